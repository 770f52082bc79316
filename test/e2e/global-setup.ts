import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { fillDemo } from '../../scripts/demo.ts';
import { buildApp, WEB_DIR } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { OPERATOR } from '../../server/services/principal.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A SQLite file holding the demo region; each test file works on its own copy. */
    demoDatabase: string;
  }
}

/**
 * Runs once before the e2e files: checks the browser and the bundle are there and fills one
 * database with the demo region (≈ 75 organisations, quickscans up to the current quarter,
 * real clock) that every test file copies, so the 7 seconds of filling are spent only once.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Chromium ontbreekt: installeer het Debian-pakket (apt-get install chromium).');
  }
  if (!existsSync(join(WEB_DIR, 'dist', 'index.html'))) {
    throw new Error('web/dist/index.html ontbreekt: bouw eerst de frontend (npx tsx scripts/build-web.ts).');
  }
  const dir = mkdtempSync(join(tmpdir(), 'vpt-e2e-template-'));
  const databasePath = join(dir, 'demo.sqlite');
  const app = await buildApp(testConfig({ databasePath }));
  try {
    await app.ready();
    await fillDemo({
      db: app.db,
      models: app.models,
      now: app.clock,
      actor: 'demo (e2e)',
      principal: OPERATOR,
    });
  } finally {
    // Closing checkpoints the WAL into the file, so the one file is a complete copy.
    await app.close();
  }
  project.provide('demoDatabase', databasePath);
  return () => rmSync(dir, { recursive: true, force: true });
}
