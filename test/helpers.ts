import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely, LogEvent } from 'kysely';
import { buildApp } from '../server/app.ts';
import { type Config, testConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { Database } from '../server/db/schema.ts';
import type { ServiceContext } from '../server/services/context.ts';
import { loadModelRegistry } from '../server/services/model-registry.ts';

/** A fixed "now" for tests: 15 November 2026, in 2026-Q4. */
export const TEST_NOW = new Date('2026-11-15T10:00:00Z');

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  /** Queries run since the last reset; the report tests count them. */
  queries: LogEvent[];
  dir: string;
  close: () => Promise<void>;
}

/** A temporary directory removed by the returned function. */
export function tempDir(prefix = 'vpt-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real app on a fresh SQLite file in a temporary directory, with a pinned clock. */
export async function buildTestApp(
  options: { now?: () => Date; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const { dir, remove } = tempDir();
  const queries: LogEvent[] = [];
  const db = openDatabase(join(dir, 'test.sqlite'), { onQuery: (e) => queries.push(e) });
  const app = await buildApp(testConfig({ databasePath: join(dir, 'test.sqlite'), ...options.config }), {
    db,
    now: options.now ?? (() => TEST_NOW),
  });
  await app.ready();
  return {
    app,
    db,
    queries,
    dir,
    close: async () => {
      await app.close();
      await db.destroy();
      remove();
    },
  };
}

/** A service context on a fresh migrated database, for service and repository tests. */
export async function buildTestContext(
  options: { now?: () => Date; actor?: string } = {},
): Promise<{ ctx: ServiceContext; close: () => Promise<void> }> {
  const { dir, remove } = tempDir();
  const db = openDatabase(join(dir, 'test.sqlite'));
  await migrateToLatest(db);
  const now = options.now ?? (() => TEST_NOW);
  const models = await loadModelRegistry(db, testConfig().model, now());
  return {
    ctx: { db, models, now, actor: options.actor ?? 'test' },
    close: async () => {
      await db.destroy();
      remove();
    },
  };
}
