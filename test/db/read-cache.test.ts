import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DB, openDatabase, openReadDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { cachedRead, setReadCacheEntries } from '../../server/db/read-cache.ts';
import { tempDir } from '../helpers.ts';

let remove: () => void;
let writer: DB;
let reader: DB;

beforeEach(async () => {
  const temp = tempDir('vpt-read-cache-');
  remove = temp.remove;
  writer = openDatabase(join(temp.dir, 'test.sqlite'));
  await migrateToLatest(writer);
  reader = openReadDatabase(join(temp.dir, 'test.sqlite'))!;
});

afterEach(async () => {
  await reader.destroy();
  await writer.destroy();
  remove();
});

/** Counts how often the cached computation really runs. */
function counter() {
  let runs = 0;
  return {
    compute: async () => ++runs,
    get runs() {
      return runs;
    },
  };
}

async function addSector(name: string): Promise<void> {
  const at = '2026-11-15T10:00:00.000Z';
  await writer
    .insertInto('sectors')
    .values({ name, name_key: name.toLowerCase(), position: 99, created_at: at, updated_at: at })
    .execute();
}

describe('results cached per state of the database', () => {
  it('when nothing is written between two reads on the read connection, then the second read uses the first result', async () => {
    const c = counter();
    expect(await cachedRead(reader, 'k', c.compute)).toBe(1);
    expect(await cachedRead(reader, 'k', c.compute)).toBe(1);
    expect(c.runs).toBe(1);
  });

  it('when the write connection commits between two reads, then the second read computes again', async () => {
    const c = counter();
    await cachedRead(reader, 'k', c.compute);
    await addSector('Nieuwe sector');
    expect(await cachedRead(reader, 'k', c.compute)).toBe(2);
  });

  it('when another key is asked, then it is computed on its own', async () => {
    const c = counter();
    await cachedRead(reader, 'a', c.compute);
    expect(await cachedRead(reader, 'b', c.compute)).toBe(2);
  });

  it('when the write connection asks, then nothing is cached (it does not see its own commits in data_version)', async () => {
    const c = counter();
    await cachedRead(writer, 'k', c.compute);
    await cachedRead(writer, 'k', c.compute);
    expect(c.runs).toBe(2);
  });

  it('when a computation fails, then it is not kept', async () => {
    await expect(cachedRead(reader, 'k', () => Promise.reject(new Error('mislukt')))).rejects.toThrow(
      'mislukt',
    );
    expect(await cachedRead(reader, 'k', async () => 'gelukt')).toBe('gelukt');
  });
});

describe('results cached per state of the database: when it is off', () => {
  afterEach(() => setReadCacheEntries(256));

  it('when the cache holds no entries, then every read computes', async () => {
    setReadCacheEntries(0);
    const c = counter();
    await cachedRead(reader, 'k', c.compute);
    await cachedRead(reader, 'k', c.compute);
    expect(c.runs).toBe(2);
  });

  it('when more keys are asked than the cache holds, then the least recently used is computed again', async () => {
    setReadCacheEntries(2);
    const c = counter();
    await cachedRead(reader, 'a', c.compute);
    await cachedRead(reader, 'b', c.compute);
    await cachedRead(reader, 'a', c.compute);
    await cachedRead(reader, 'c', c.compute);
    expect(c.runs).toBe(3);
    await cachedRead(reader, 'a', c.compute);
    expect(c.runs).toBe(3);
    await cachedRead(reader, 'b', c.compute);
    expect(c.runs).toBe(4);
  });
});
