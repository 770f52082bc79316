import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, with nothing that reaches the network on its own (the e2e tests and
 * the bench's render measurement). playwright-core's launch() gives every browser a fresh,
 * temporary user-data directory of its own and removes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
