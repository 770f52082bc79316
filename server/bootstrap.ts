import { z } from 'zod';
import { dutchMessages } from './contracts/messages.ts';

/**
 * What every entry point (the app, the server's start, the CLI) sets up before it reads any input:
 * zod's validation messages in plain Dutch, for the people who read them. Safe to call more than once.
 */
export function bootstrap(): void {
  z.config(dutchMessages());
}
