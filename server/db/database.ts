import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogEvent, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';

export type DB = Kysely<Database>;

export interface DatabaseOptions {
  /** Called after every query; tests count queries with it. */
  onQuery?: (event: LogEvent) => void;
}

/** Opens (and creates) the SQLite file with the pragmas this app relies on. */
export function openDatabase(path: string, options: DatabaseOptions = {}): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    ...(options.onQuery ? { log: options.onQuery } : {}),
  });
}
