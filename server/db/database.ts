import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { type DatabaseConnection, Kysely, type LogEvent, SqliteDialect, SqliteDriver } from 'kysely';
import { AppError } from '../errors.ts';
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
}

const RESTORE_HINT =
  'zet een back-up terug met `npm run cli -- restore BESTAND`, of verwijder het bestand om met een lege database te beginnen';

/**
 * SQLite ends a transaction itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM); Kysely's
 * ROLLBACK then fails with "cannot rollback - no transaction is active" and that error replaces the
 * one that matters. Skipping the ROLLBACK when none is open lets the original error through.
 */
class SqliteDriverKeepingErrors extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly sqlite: SQLite.Database,
  ) {
    super(config);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

class KeepingErrorsDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override createDriver(): SqliteDriver {
    return new SqliteDriverKeepingErrors({ database: this.sqlite }, this.sqlite);
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

/** Opens (and creates) the SQLite file with the pragmas this app relies on. */
export function openDatabase(path: string, options: DatabaseOptions = {}): DB {
  const onDisk = path !== ':memory:' && path !== '';
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  if (options.startChecks && onDisk && existsSync(path) && statSync(path).size === 0) {
    throw refused(path, 'is leeg (0 bytes)');
  }
  const sqlite = new SQLite(path);
  try {
    if (options.startChecks && onDisk) assertSound(sqlite, path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return new Kysely<Database>({
    dialect: new KeepingErrorsDialect(sqlite),
    ...(options.onQuery ? { log: options.onQuery } : {}),
  });
}
