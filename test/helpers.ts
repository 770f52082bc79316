import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type Kysely, type LogEvent, sql } from 'kysely';
import { afterEach, beforeEach, expect } from 'vitest';
import { buildApp } from '../server/app.ts';
import { type Config, testConfig } from '../server/config.ts';
import { ERROR_CODES, PROBLEM_CODES } from '../server/contracts/errors.contract.ts';
import { openDatabase, openReadDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { Database, Role } from '../server/db/schema.ts';
import { hashPassword } from '../server/security/passwords.ts';
import type { ServiceContext } from '../server/services/context.ts';
import { loadModelRegistry } from '../server/services/model-registry.ts';
import { OPERATOR, type Principal } from '../server/services/principal.ts';
import { resolveSession, startSession } from '../server/services/sessions.service.ts';

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

/** The cookie and CSRF token of a session. */
export interface Session {
  token: string;
  csrfToken: string;
}

/** The request headers that carry a session: its cookie and its CSRF token. */
export function sessionHeaders(session: Session): Record<string, string> {
  return { cookie: `vpt_sessie=${session.token}`, 'x-csrf-token': session.csrfToken };
}

/** Makes every `app.inject` carry this session's cookie and CSRF token (a test's own headers win). */
export function signInjects(app: FastifyInstance, session: Session): void {
  const original = app.inject.bind(app);
  const signed = (opts?: unknown, callback?: unknown) => {
    if (opts === undefined) return original();
    const o = (typeof opts === 'string' ? { url: opts } : opts) as { headers?: Record<string, string> };
    return (original as (o: unknown, c?: unknown) => unknown)(
      { ...o, headers: { ...sessionHeaders(session), ...o.headers } },
      callback,
    );
  };
  Object.defineProperty(app, 'inject', { value: signed, configurable: true, writable: true });
}

/**
 * Asserts that an error reply speaks the one error contract: its code is one of ERROR_CODES and
 * every problem's code one of PROBLEM_CODES or ERROR_CODES. Other replies pass untouched.
 */
export function expectKnownCodes(res: LightMyRequestResponse): void {
  const json = /^application\/json/.test(String(res.headers['content-type']));
  // A HEAD reply has the headers of the error but no body.
  if (res.statusCode < 400 || !json || res.body === '') return;
  const body = res.json() as { error?: { code?: unknown; details?: { problems?: unknown } } };
  if (!body?.error) return;
  const where = `${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(ERROR_CODES, where).toContain(body.error.code);
  const problems = body.error.details?.problems;
  if (problems === undefined) return;
  expect(Array.isArray(problems), where).toBe(true);
  for (const problem of problems as Array<{ code?: unknown; message?: unknown }>) {
    expect([...PROBLEM_CODES, ...ERROR_CODES], where).toContain(problem.code);
    expect(typeof problem.message, where).toBe('string');
  }
}

/** Wraps an `inject` so that every error reply is checked against the error contract. */
function checkingCodes(inject: FastifyInstance['inject']): FastifyInstance['inject'] {
  const checked = (opts?: unknown, callback?: unknown) => {
    if (opts === undefined || callback !== undefined) {
      return (inject as (o?: unknown, c?: unknown) => unknown)(opts, callback);
    }
    return (inject as (o: unknown) => Promise<LightMyRequestResponse>)(opts).then((res) => {
      expectKnownCodes(res);
      return res;
    });
  };
  return checked as FastifyInstance['inject'];
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
  const onQuery = (e: LogEvent) => queries.push(e);
  const db = openDatabase(join(dir, 'test.sqlite'), { onQuery });
  // Reads go over a read-only connection of their own, as in the app (see server/http/context.ts).
  const readDb = openReadDatabase(join(dir, 'test.sqlite'), { onQuery })!;
  const app = await buildApp(testConfig({ databasePath: join(dir, 'test.sqlite'), ...options.config }), {
    db,
    readDb,
    now: options.now ?? (() => TEST_NOW),
  });
  await app.ready();
  // Every reply in the suite is checked against the error contract, whichever test sent it.
  Object.defineProperty(app, 'inject', {
    value: checkingCodes(app.inject.bind(app)),
    configurable: true,
    writable: true,
  });
  const anonymous = app.inject.bind(app);
  const as = options.as ?? 'projectleider';
  if (as !== 'anonymous') {
    const userId = await insertTestUser(db, `${as}@test.example.org`, as);
    signInjects(app, await startTestSession(app, userId));
  }
  return {
    app,
    anonymous,
    db,
    queries,
    dir,
    close: async () => {
      await app.close();
      await readDb.destroy();
      await db.destroy();
      remove();
    },
  };
}

/**
 * A fresh app per test: builds it before each test of the file (or describe block) and closes it
 * after. The returned object is refilled for every test, so `t.app` is always the current one.
 */
export function testAppPerTest(options: Parameters<typeof buildTestApp>[0] = {}): TestApp {
  const current = {} as TestApp;
  beforeEach(async () => {
    Object.assign(current, await buildTestApp(options));
  });
  afterEach(async () => {
    await current.close?.();
  });
  return current;
}

/** The context of trusted code (the CLI, the demo, a test's arrange step) on the app's database. */
export function operatorContext(app: FastifyInstance, actor = 'test'): ServiceContext {
  return { db: app.db, models: app.models, now: app.clock, actor, principal: OPERATOR };
}

/** A session for an existing account, started directly (no login round trip). */
export function startTestSession(app: FastifyInstance, userId: number): Promise<Session> {
  return startSession(operatorContext(app), { userId }, app.config.sessionIdleMs);
}

/**
 * The principal of an account or a share link as a request would carry it: a real session started
 * and resolved, for calling services as that account or link.
 */
export async function principalOf(
  ctx: ServiceContext,
  owner: { userId: number } | { shareLinkId: number },
): Promise<Principal> {
  const trusted = { ...ctx, principal: OPERATOR };
  const idleMs = 60 * 60_000;
  const session = await startSession(trusted, owner, idleMs);
  const principal = await resolveSession(trusted, session.token, idleMs);
  if (!principal) throw new Error(`no principal for ${JSON.stringify(owner)}`);
  return principal;
}

/**
 * A service context on a migrated database, for service and repository tests: a fresh one in a
 * temporary directory, or the file at `databasePath` (which then stays when it is closed).
 */
export async function buildTestContext(
  options: { now?: () => Date; actor?: string; databasePath?: string } = {},
): Promise<{ ctx: ServiceContext; close: () => Promise<void> }> {
  const temp = options.databasePath === undefined ? tempDir() : null;
  const db = openDatabase(options.databasePath ?? join(temp!.dir, 'test.sqlite'));
  await migrateToLatest(db);
  const now = options.now ?? (() => TEST_NOW);
  const models = await loadModelRegistry(db, testConfig().model, now());
  return {
    ctx: { db, models, now, actor: options.actor ?? 'test', principal: OPERATOR },
    close: async () => {
      await db.destroy();
      temp?.remove();
    },
  };
}

/** Row counts of the tables a write touches, to prove a failed write left nothing behind. */
export async function rowCounts(on: { db: Kysely<Database> }): Promise<Record<string, number>> {
  const tables = ['sectors', 'organisations', 'quickscans', 'quickscan_answers', 'revisions'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await on.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * Every row of the given tables (default: every table of the app), as stored: to prove a refused
 * write left the database exactly as it was, or that closed figures stayed byte for byte the same.
 */
export async function rowsOf(
  db: Kysely<Database>,
  tables?: ReadonlyArray<keyof Database>,
): Promise<Record<string, unknown[]>> {
  const names =
    tables ??
    ((
      await sql<{
        name: keyof Database;
      }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name <> 'sessions' order by name`.execute(
        db,
      )
    ).rows.map((r) => r.name) as Array<keyof Database>);
  const result: Record<string, unknown[]> = {};
  for (const table of names) {
    const rows = (await sql`select * from ${sql.table(table)}`.execute(db)).rows;
    result[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return result;
}
