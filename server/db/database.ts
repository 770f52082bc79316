import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type LogEvent,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import { AppError } from '../errors.ts';
import { markReadOnly } from './read-cache.ts';
import type { Database } from './schema.ts';

export type DB = Kysely<Database>;

export interface DatabaseOptions {
  /** Called after every query; tests count queries with it. */
  onQuery?: (event: LogEvent) => void;
  /**
   * Refuse a file that exists but is empty (0 bytes) or fails `quick_check`, instead of
   * turning it into a fresh installation. The server's start asks for this; a restore does not.
   */
  startChecks?: boolean;
  /** How long a write waits for another connection's write lock before SQLITE_BUSY; default 5 s. */
  busyTimeoutMs?: number;
}

const RESTORE_HINT =
  'zet een back-up terug met `npm run cli -- restore BESTAND`, of verwijder het bestand om met een lege database te beginnen';

/** How many prepared statements each connection keeps for reuse. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The connection as Kysely sees it, with its prepared statements kept by SQL text (least recently
 * used out first): Kysely prepares every query anew, which costs about as much as running a small
 * one. A statement still being iterated (a streamed query) is not handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      const cached = cache.get(sqlText);
      if (cached && !cached.busy) {
        cache.delete(sqlText);
        cache.set(sqlText, cached);
        return cached;
      }
      const statement = sqlite.prepare(sqlText);
      if (!cached) {
        cache.set(sqlText, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}

/**
 * Two changes to Kysely's SQLite driver. Write transactions start `BEGIN IMMEDIATE`: they take
 * the write lock at once, where SQLite's busy timeout applies, instead of failing with
 * SQLITE_BUSY when a read turns into a write while another process writes. And SQLite ends a
 * transaction itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM); Kysely's ROLLBACK
 * then fails with "cannot rollback - no transaction is active" and that error replaces the one
 * that matters, so the ROLLBACK is skipped when no transaction is open.
 */
class AppSqliteDriver extends SqliteDriver {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly immediate: boolean,
  ) {
    super({ database: withStatementCache(sqlite) });
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(this.immediate ? 'begin immediate' : 'begin'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

class AppSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly immediate: boolean,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): SqliteDriver {
    return new AppSqliteDriver(this.sqlite, this.immediate);
  }
}

function refused(path: string, what: string): AppError {
  return new AppError('database_unavailable', 503, `de database '${path}' ${what}; ${RESTORE_HINT}`);
}

/** Runs `quick_check` and throws, naming the file, when it is not a sound SQLite database. */
function assertSound(sqlite: SQLite.Database, path: string): void {
  let result: unknown[];
  try {
    result = sqlite.pragma('quick_check', { simple: false }) as unknown[];
  } catch (err) {
    const code = String((err as { code?: string }).code ?? '');
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw refused(path, `is geen (gave) SQLite-database (${code})`);
    }
    throw err;
  }
  const lines = result.map((row) =>
    String(Object.values(row as Record<string, unknown>)[0]).replace(/\s+/g, ' '),
  );
  if (lines.length !== 1 || lines[0] !== 'ok') {
    throw refused(path, `is beschadigd (quick_check: ${lines.slice(0, 3).join('; ')})`);
  }
}

/**
 * Why the app could not write the database file, or null: the file (when it exists) and its
 * folder (SQLite writes its -wal and -shm files beside it) must be writable.
 */
function unwritable(path: string): string | null {
  for (const [target, what] of [
    [path, 'is niet schrijfbaar'],
    [dirname(path), 'staat in een map die niet schrijfbaar is'],
  ] as const) {
    if (target === path && !existsSync(path)) continue;
    try {
      accessSync(target, constants.W_OK);
    } catch {
      return `${what} (controleer de rechten van de gebruiker die de server draait)`;
    }
  }
  return null;
}

/** Which file the database is: compared later to notice a file deleted or replaced under the app. */
export interface DatabaseFile {
  path: string;
  dev: number;
  ino: number;
}

export function databaseFileOf(path: string): DatabaseFile | null {
  if (path === ':memory:' || path === '' || !existsSync(path)) return null;
  const { dev, ino } = statSync(path);
  return { path, dev, ino };
}

/**
 * What is wrong with the database file while the app runs, in Dutch, or null: deleted, replaced by
 * another file (the app would keep writing to the old one, which nobody can see), or no longer
 * writable. For the health check.
 */
export function databaseFileProblem(file: DatabaseFile): string | null {
  let now: { dev: number; ino: number };
  try {
    now = statSync(file.path);
  } catch {
    return `de database '${file.path}' is verwijderd terwijl de server draait; stop de server en zet een back-up terug`;
  }
  if (now.dev !== file.dev || now.ino !== file.ino) {
    return `de database '${file.path}' is vervangen terwijl de server draait; herstart de server (een terugzetting gaat met de server gestopt)`;
  }
  const problem = unwritable(file.path);
  return problem ? `de database '${file.path}' ${problem}` : null;
}

/** Opens (and creates) the SQLite file with the pragmas this app relies on. */
export function openDatabase(path: string, options: DatabaseOptions = {}): DB {
  const onDisk = path !== ':memory:' && path !== '';
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  if (options.startChecks && onDisk) {
    if (existsSync(path) && statSync(path).size === 0) throw refused(path, 'is leeg (0 bytes)');
    const problem = unwritable(path);
    if (problem) throw refused(path, problem);
  }
  const sqlite = new SQLite(path);
  try {
    if (options.startChecks && onDisk) assertSound(sqlite, path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return new Kysely<Database>({
    dialect: new AppSqliteDialect(sqlite, true),
    ...(options.onQuery ? { log: options.onQuery } : {}),
  });
}

/**
 * A second, read-only connection to the same file, for the requests that only read: in WAL mode
 * it reads the last committed state while the write connection is busy (a long import), so pages
 * and the health check keep answering. Null for an in-memory database, which has no second
 * connection; then everything goes over the one connection.
 */
export function openReadDatabase(path: string, options: Pick<DatabaseOptions, 'onQuery'> = {}): DB | null {
  if (path === ':memory:' || path === '') return null;
  const sqlite = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('query_only = ON');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<Database>({
    dialect: new AppSqliteDialect(sqlite, false),
    ...(options.onQuery ? { log: options.onQuery } : {}),
  });
  markReadOnly(db);
  return db;
}
