import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely, LogEvent } from 'kysely';
import { buildApp } from '../server/app.ts';
import { type Config, testConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { Database, Role } from '../server/db/schema.ts';
import { hashPassword } from '../server/security/passwords.ts';
import type { ServiceContext } from '../server/services/context.ts';
import { loadModelRegistry } from '../server/services/model-registry.ts';
import { startSession } from '../server/services/sessions.service.ts';

/** A fixed "now" for tests: 15 November 2026, in 2026-Q4. */
export const TEST_NOW = new Date('2026-11-15T10:00:00Z');

export interface TestApp {
  /** The app; its `inject` carries the session cookie and CSRF token of the signed-in test user. */
  app: FastifyInstance;
  /** The same app without any session: an anonymous client. */
  anonymous: FastifyInstance['inject'];
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

export const TEST_PASSWORD = 'correct paard batterij niet';
let testHash: Promise<string> | null = null;

/** Inserts an account directly (one scrypt hash per test run) and returns its id. */
export async function insertTestUser(
  db: Kysely<Database>,
  email: string,
  role: Role,
  organisationId: number | null = null,
): Promise<number> {
  testHash ??= hashPassword(TEST_PASSWORD);
  const now = TEST_NOW.toISOString();
  const row = await db
    .insertInto('users')
    .values({
      email,
      email_key: email.toLowerCase(),
      password_hash: await testHash,
      role,
      organisation_id: organisationId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Makes every `app.inject` carry this session's cookie and CSRF token (a test's own headers win). */
export function signInjects(app: FastifyInstance, session: { token: string; csrfToken: string }): void {
  const original = app.inject.bind(app);
  const signed = (opts?: unknown, callback?: unknown) => {
    if (opts === undefined) return original();
    const o = (typeof opts === 'string' ? { url: opts } : opts) as { headers?: Record<string, string> };
    return (original as (o: unknown, c?: unknown) => unknown)(
      {
        ...o,
        headers: { cookie: `vpt_sessie=${session.token}`, 'x-csrf-token': session.csrfToken, ...o.headers },
      },
      callback,
    );
  };
  Object.defineProperty(app, 'inject', { value: signed, configurable: true, writable: true });
}

/**
 * The real app on a fresh SQLite file in a temporary directory, with a pinned clock. By default
 * a projectleider is signed in (`as`); `as: 'anonymous'` leaves `app.inject` without a session.
 */
export async function buildTestApp(
  options: {
    now?: () => Date;
    config?: Partial<Config>;
    as?: 'projectleider' | 'bestuur' | 'anonymous';
  } = {},
): Promise<TestApp> {
  const { dir, remove } = tempDir();
  const queries: LogEvent[] = [];
  const db = openDatabase(join(dir, 'test.sqlite'), { onQuery: (e) => queries.push(e) });
  const app = await buildApp(testConfig({ databasePath: join(dir, 'test.sqlite'), ...options.config }), {
    db,
    now: options.now ?? (() => TEST_NOW),
  });
  await app.ready();
  const anonymous = app.inject.bind(app);
  const as = options.as ?? 'projectleider';
  if (as !== 'anonymous') {
    const userId = await insertTestUser(db, `${as}@test.example.org`, as);
    const session = await startSession(
      { db, models: app.models, now: app.clock, actor: 'test' },
      { userId },
      app.config.sessionIdleMs,
    );
    signInjects(app, session);
  }
  return {
    app,
    anonymous,
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
