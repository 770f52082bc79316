import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import type { Database } from '../../server/db/schema.ts';
import { HOUSEKEEPING_INTERVAL_MS, housekeepingPlugin } from '../../server/http/plugins/housekeeping.ts';
import { insertTestUser, TEST_NOW, tempDir } from '../helpers.ts';

const MINUTE = 60_000;
const at = (offsetMs: number) => new Date(TEST_NOW.getTime() + offsetMs).toISOString();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real app on a fresh SQLite file, built (and migrated) but not yet started. */
async function unstartedApp(now: () => Date): Promise<{ app: FastifyInstance; db: Kysely<Database> }> {
  const { dir, remove } = tempDir();
  const path = join(dir, 'test.sqlite');
  const db = openDatabase(path);
  const app = await buildApp(testConfig({ databasePath: path }), { db, now });
  cleanups.push(
    remove,
    () => db.destroy(),
    () => app.close(),
  );
  return { app, db };
}

/** A session row as a previous run of the server would have left it; the token hash names it. */
async function insertSession(
  db: Kysely<Database>,
  name: string,
  owner: { userId: number } | { shareLinkId: number },
  expiresAt: string,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: name,
      user_id: 'userId' in owner ? owner.userId : null,
      share_link_id: 'shareLinkId' in owner ? owner.shareLinkId : null,
      csrf_token: 'csrf',
      created_at: at(-60 * MINUTE),
      last_seen_at: at(-60 * MINUTE),
      expires_at: expiresAt,
    })
    .execute();
}

async function insertShareLink(
  db: Kysely<Database>,
  name: string,
  values: { expiresAt: string; revokedAt?: string },
): Promise<number> {
  const sector = await db.selectFrom('sectors').select('id').orderBy('id').executeTakeFirstOrThrow();
  let org = await db.selectFrom('organisations').select('id').executeTakeFirst();
  org ??= await db
    .insertInto('organisations')
    .values({
      name: 'Gemeente Dijkwaard',
      name_key: 'gemeente dijkwaard',
      sector_id: sector.id,
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      notes: null,
      member_from: '2015-Q4',
      member_until: null,
      archived_at: null,
      created_at: at(0),
      updated_at: at(0),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const link = await db
    .insertInto('share_links')
    .values({
      organisation_id: org.id,
      token_hash: `link-${name}`,
      label: name,
      expires_at: values.expiresAt,
      revoked_at: values.revokedAt ?? null,
      created_by: 'test',
      created_at: at(-7 * 24 * 60 * MINUTE),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return link.id;
}

async function sessionNames(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('token_hash').orderBy('token_hash').execute();
  return rows.map((r) => r.token_hash);
}

describe('expired sessions are purged', () => {
  it('when the server starts, then every session that can no longer be used is gone and the live ones stay', async () => {
    // Arrange: sessions as an earlier run left them in the database
    const { app, db } = await unstartedApp(() => TEST_NOW);
    const user = await insertTestUser(db, 'pl@test.example.org', 'projectleider');
    const disabled = await insertTestUser(db, 'weg@test.example.org', 'bestuur');
    await db
      .updateTable('users')
      .set({ disabled_at: at(-MINUTE) })
      .where('id', '=', disabled)
      .execute();
    const liveLink = await insertShareLink(db, 'live', { expiresAt: at(7 * 24 * 60 * MINUTE) });
    const expiredLink = await insertShareLink(db, 'expired', { expiresAt: at(-MINUTE) });
    const revokedLink = await insertShareLink(db, 'revoked', {
      expiresAt: at(7 * 24 * 60 * MINUTE),
      revokedAt: at(-MINUTE),
    });
    await insertSession(db, 'idle-too-long', { userId: user }, at(-MINUTE));
    await insertSession(db, 'idle-ends-now', { userId: user }, at(0));
    await insertSession(db, 'live', { userId: user }, at(30 * MINUTE));
    await insertSession(db, 'of-a-disabled-account', { userId: disabled }, at(30 * MINUTE));
    await insertSession(db, 'share-live', { shareLinkId: liveLink }, at(30 * MINUTE));
    await insertSession(db, 'share-link-expired', { shareLinkId: expiredLink }, at(30 * MINUTE));
    await insertSession(db, 'share-link-revoked', { shareLinkId: revokedLink }, at(30 * MINUTE));
    expect(await sessionNames(db)).toHaveLength(7);

    // Act
    await app.ready();

    // Assert
    expect(await sessionNames(db)).toEqual(['live', 'share-live']);
  });

  it('while the server runs, then sessions that expire in the meantime are purged every hour', async () => {
    // Arrange: a started app whose clock we move; only the interval timers are faked
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = TEST_NOW;
    const { app, db } = await unstartedApp(() => now);
    await app.ready();
    const user = await insertTestUser(db, 'pl@test.example.org', 'projectleider');
    await insertSession(db, 'ends-in-half-an-hour', { userId: user }, at(30 * MINUTE));
    await insertSession(db, 'ends-in-three-hours', { userId: user }, at(180 * MINUTE));

    // Act: an hour passes
    now = new Date(TEST_NOW.getTime() + HOUSEKEEPING_INTERVAL_MS);
    await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);

    // Assert
    await vi.waitFor(async () => expect(await sessionNames(db)).toEqual(['ends-in-three-hours']));
  });

  it('when the app closes, then the purge timer is stopped', async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { app } = await unstartedApp(() => TEST_NOW);
    await app.ready();
    const running = vi.getTimerCount();

    // Act
    await app.close();

    // Assert
    expect(running).toBeGreaterThan(0);
    expect(vi.getTimerCount()).toBe(running - 1);
  });

  it('when a shorter interval is injected, then the plugin purges at that pace', async () => {
    // Arrange: the plugin alone on a migrated database, purging every 20 ms
    const { app: real, db } = await unstartedApp(() => TEST_NOW);
    await real.ready();
    let now = TEST_NOW;
    const app = Fastify({ logger: false });
    app.decorate('db', db);
    app.decorate('models', real.models);
    app.decorate('clock', () => now);
    await app.register(housekeepingPlugin, { intervalMs: 20 });
    await app.ready();
    cleanups.push(() => app.close());
    const user = await insertTestUser(db, 'pl@test.example.org', 'projectleider');
    await insertSession(db, 'ends-in-a-minute', { userId: user }, at(MINUTE));

    // Act: two minutes pass on the clock
    now = new Date(TEST_NOW.getTime() + 2 * MINUTE);

    // Assert
    await vi.waitFor(async () => expect(await sessionNames(db)).toEqual([]), { timeout: 2000 });
  });
});
