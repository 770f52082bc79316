import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The read-only connections (see openReadDatabase): only their results may be cached. */
const readOnly = new WeakSet<Kysely<Database>>();

export function markReadOnly(db: Kysely<Database>): void {
  readOnly.add(db);
}

/**
 * How many results each connection keeps: the reports' figures of a few periods and the status of
 * the organisations whose pages are open (a few kB each).
 */
let entries = 256;

/** Sets how many results each connection keeps; 0 turns the cache off (the bench measures both). */
export function setReadCacheEntries(count: number): void {
  entries = count;
}

const DATA_VERSION = CompiledQuery.raw('pragma data_version');

interface Entry {
  version: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<Kysely<Database>, Map<string, Entry>>();

/**
 * A result computed once per state of the database: on the read-only connection SQLite's
 * `data_version` changes whenever another connection (the app's writes, the CLI) commits, so a
 * cached result is used only while nothing has been written since. On any other connection (the
 * write connection does not see its own commits in `data_version`) it computes every time.
 * The value is shared between callers: treat it as read-only.
 */
export async function cachedRead<T>(
  db: Kysely<Database>,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  if (!readOnly.has(db) || entries === 0) return compute();
  const version = Number(
    Object.values((await db.executeQuery(DATA_VERSION)).rows[0] as Record<string, unknown>)[0],
  );
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // Most recently used last, so the oldest goes first when the cache is full.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  cache.set(key, { version, value });
  if (cache.size > entries) cache.delete(cache.keys().next().value!);
  // A failed computation is not kept.
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}
