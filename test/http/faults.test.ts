import { join } from 'node:path';
import SQLite, { SqliteError } from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseFault } from '../../server/http/plugins/errors.ts';
import { rowCounts, testAppPerTest } from '../helpers.ts';
import { createOrg, listSectors } from './fixtures.ts';

const t = testAppPerTest();

async function pragma(name: string): Promise<number> {
  const row = (await sql.raw(`pragma ${name}`).execute(t.db)).rows[0] as Record<string, unknown>;
  return Number(Object.values(row)[0]);
}

describe('a full disk', () => {
  it('when a write finds the disk full, then the answer is 507 "de schijf is vol", nothing is saved and the database works again once there is room', async () => {
    // Arrange: the database may not grow beyond the pages it has now.
    await createOrg(t.app, { name: 'Gemeente A' });
    const sectorId = (await listSectors(t.app))[0]!.id;
    const pages = await pragma('page_count');
    await sql.raw(`pragma max_page_count = ${pages}`).execute(t.db);

    // Act: add organisations until one no longer fits.
    let res = null;
    let before: Record<string, number> = {};
    for (let i = 0; i < 500; i++) {
      before = await rowCounts(t);
      res = await t.app.inject({
        method: 'POST',
        url: '/api/organisations',
        payload: { name: `Stichting ${i}`, sectorId, notes: 'x'.repeat(1500) },
      });
      if (res.statusCode !== 201) break;
    }

    // Assert
    expect(res?.statusCode, res?.body).toBe(507);
    expect(res?.json()).toEqual({
      error: { code: 'disk_full', message: 'de schijf is vol; er is niets opgeslagen' },
    });
    expect(await rowCounts(t)).toEqual(before);
    expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(t.db)).rows).toEqual([
      { integrity_check: 'ok' },
    ]);
    await sql.raw(`pragma max_page_count = ${pages * 100}`).execute(t.db);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: 'Stichting na de volle schijf', sectorId },
    });
    expect(after.statusCode, after.body).toBe(201);
  });
});

describe('a busy database', () => {
  it('when another process holds the write lock, then a write is answered 503 database_busy with Retry-After, and succeeds once the lock is gone', async () => {
    // Arrange: a second connection on the same file takes the write lock; the app waits only briefly.
    const sectorId = (await listSectors(t.app))[0]!.id;
    await sql.raw('pragma busy_timeout = 50').execute(t.db);
    const other = new SQLite(join(t.dir, 'test.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    const before = await rowCounts(t);
    try {
      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/organisations',
        payload: { name: 'Gemeente B', sectorId },
      });

      // Assert
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json().error.code).toBe('database_busy');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await rowCounts(t)).toEqual(before);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: 'Gemeente B', sectorId },
    });
    expect(after.statusCode, after.body).toBe(201);
  });

  it.each([
    'SQLITE_BUSY',
    'SQLITE_BUSY_SNAPSHOT',
    'SQLITE_BUSY_RECOVERY',
    'SQLITE_BUSY_TIMEOUT',
    'SQLITE_LOCKED',
    'SQLITE_LOCKED_SHAREDCACHE',
  ])(
    'when SQLite answers %s, also wrapped in another error, then it is a 503 database_busy with Retry-After',
    (code) => {
      const err = new SqliteError('database is locked', code);
      for (const thrown of [err, new Error('de transactie faalde', { cause: err })]) {
        const [status, reply, headers] = databaseFault(thrown)!;
        expect(status).toBe(503);
        expect(reply.error.code).toBe('database_busy');
        expect(headers).toEqual({ 'retry-after': '1' });
      }
    },
  );

  it('when SQLite answers SQLITE_FULL wrapped in another error, then it is a 507 disk_full; other SQLite errors are not database faults', () => {
    const full = new Error('opslaan mislukt', {
      cause: new SqliteError('database or disk is full', 'SQLITE_FULL'),
    });
    expect(databaseFault(full)?.[0]).toBe(507);
    expect(databaseFault(full)?.[1].error.code).toBe('disk_full');
    expect(databaseFault(new SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(databaseFault(new Error('iets anders'))).toBeNull();
  });
});
