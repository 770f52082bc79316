import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { Quarter } from '../../server/domain/quarter.ts';
import { tempDir } from '../helpers.ts';
import { expectAppError } from '../support.ts';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-db-'));
});
afterEach(() => remove());

describe('database', () => {
  it('when a database is opened, then it runs in WAL mode with foreign keys, full sync and a busy timeout', async () => {
    const db = openDatabase(join(dir, 'nested', 'a.sqlite'));
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as Record<string, unknown>)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(2);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await db.destroy();
    }
  });

  it('when migrated, then the 8 default sectors exist in their order, and migrating again changes nothing', async () => {
    const db = openDatabase(join(dir, 'b.sqlite'));
    try {
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(db)).toEqual([]);
      const names = (await db.selectFrom('sectors').select('name').orderBy('position').execute()).map(
        (r) => r.name,
      );
      expect(names).toEqual(DEFAULT_SECTORS);
    } finally {
      await db.destroy();
    }
  });

  it('when a migration fails halfway, then what it created is rolled back and the error names it', async () => {
    const db = openDatabase(join(dir, 'c.sqlite'));
    try {
      const failing = {
        ...migrations,
        '2099-01-01-001-broken': {
          up: async (d: Parameters<NonNullable<(typeof migrations)[string]['up']>>[0]) => {
            await d.schema.createTable('half_done').addColumn('x', 'text').execute();
            await sql`this is not sql`.execute(d);
          },
        },
      };
      const error = await expectAppError(() => migrateToLatest(db, failing), 'migration_failed');
      expect(error.message).toContain("'2099-01-01-001-broken'");
      const tables = await sql<{
        name: string;
      }>`select name from sqlite_master where name = 'half_done'`.execute(db);
      expect(tables.rows).toEqual([]);
      // The migrations before it did land.
      expect((await db.selectFrom('sectors').select('id').execute()).length).toBe(8);
    } finally {
      await db.destroy();
    }
  });

  it('when a row breaks a constraint in the schema itself, then SQLite refuses it (quarter format, gear range, nvt note)', async () => {
    const db = openDatabase(join(dir, 'd.sqlite'));
    try {
      await migrateToLatest(db);
      const now = new Date().toISOString();
      const organisation = (values: { name: string; sector_id: number; member_from: Quarter }) =>
        db.insertInto('organisations').values({
          ...values,
          name_key: values.name.toLowerCase(),
          created_at: now,
          updated_at: now,
          contact_name: null,
          contact_email: null,
          contact_phone: null,
          notes: null,
          member_until: null,
          archived_at: null,
        });
      // The same row with good values goes in, so the refusals below are for the one bad value each.
      await organisation({ name: 'Goed', sector_id: 1, member_from: '2016-Q1' }).execute();
      const bad = [
        // A quarter that does not exist, past the types: the schema's own CHECK must refuse it.
        organisation({ name: 'X', sector_id: 1, member_from: '2016-Q5' as Quarter }),
        // A sector that does not exist: the foreign key refuses it.
        organisation({ name: 'Y', sector_id: 99, member_from: '2016-Q1' }),
      ];
      for (const q of bad) await expect(q.execute()).rejects.toThrow();
    } finally {
      await db.destroy();
    }
  });
});
