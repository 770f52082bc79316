import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DB, openDatabase, openReadDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { precompiled } from '../../server/db/precompiled.ts';
import { tempDir } from '../helpers.ts';

let remove: () => void;
let writer: DB;
let reader: DB;

const AT = '2026-11-15T10:00:00.000Z';

beforeEach(async () => {
  const temp = tempDir('vpt-precompiled-');
  remove = temp.remove;
  writer = openDatabase(join(temp.dir, 'test.sqlite'));
  await migrateToLatest(writer);
  reader = openReadDatabase(join(temp.dir, 'test.sqlite'))!;
  await writer.deleteFrom('sectors').execute();
  for (const [i, name] of ['Zorg', 'Onderwijs', 'Gemeenten', 'Wonen'].entries()) {
    await writer
      .insertInto('sectors')
      .values({ name, name_key: name.toLowerCase(), position: i, created_at: AT, updated_at: AT })
      .execute();
  }
});

afterEach(async () => {
  await reader.destroy();
  await writer.destroy();
  remove();
});

const byNameAndPosition = precompiled((db, key: string, maxPosition: number) =>
  db
    .selectFrom('sectors')
    .select(['name', 'position'])
    .where('name_key', '=', key)
    .where('position', '<=', maxPosition)
    .limit(1),
);

const fromPosition = precompiled((db, position: number) =>
  db.selectFrom('sectors').select('name').where('position', '>=', position).orderBy('position'),
);

describe('a precompiled query', () => {
  it('when run with new arguments each time, then each run gives the rows the query builder gives for them', async () => {
    for (const [key, max] of [
      ['zorg', 9],
      ['wonen', 9],
      ['wonen', 1],
      ['bestaat-niet', 9],
    ] as const) {
      const built = await writer
        .selectFrom('sectors')
        .select(['name', 'position'])
        .where('name_key', '=', key)
        .where('position', '<=', max)
        .limit(1)
        .executeTakeFirst();
      expect(await byNameAndPosition.takeFirst(reader, key, max)).toEqual(built);
      expect(await byNameAndPosition.takeFirst(writer, key, max)).toEqual(built);
    }
    expect((await fromPosition.all(reader, 2)).map((r) => r.name)).toEqual(['Gemeenten', 'Wonen']);
    expect((await fromPosition.all(reader, 0)).map((r) => r.name)).toEqual([
      'Zorg',
      'Onderwijs',
      'Gemeenten',
      'Wonen',
    ]);
  });

  it('when run inside a transaction, then it sees the transaction’s own uncommitted rows', async () => {
    await writer.transaction().execute(async (trx) => {
      await trx
        .insertInto('sectors')
        .values({ name: 'Vervoer', name_key: 'vervoer', position: 7, created_at: AT, updated_at: AT })
        .execute();
      expect((await fromPosition.all(trx, 7)).map((r) => r.name)).toEqual(['Vervoer']);
    });
  });

  it('when an argument is an item of a fixed list, then it is replaced there too', async () => {
    const inList = precompiled((db, key: string) =>
      db.selectFrom('sectors').select('name').where('name_key', 'in', [key, 'zorg']),
    );
    expect((await inList.all(reader, 'wonen')).map((r) => r.name).sort()).toEqual(['Wonen', 'Zorg']);
    expect((await inList.all(reader, 'onderwijs')).map((r) => r.name).sort()).toEqual(['Onderwijs', 'Zorg']);
  });

  it('when the query leaves an argument out, then its first run refuses it', async () => {
    const unused = precompiled((db, _key: string) => db.selectFrom('sectors').select('name'));
    await expect(unused.all(reader, 'zorg')).rejects.toThrow(/not used in the query/);
  });
});
