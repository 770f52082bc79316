import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  statSync,
} from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError, ConflictError, RuleError, ValidationError } from '../errors.ts';
import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  integrity: 'ok';
}

export interface RestoreResult {
  /** The back-up that was restored. */
  file: string;
  /** The database file it replaced. */
  database: string;
  /** Where the replaced database was kept, or null when there was none. */
  previous: string | null;
  /** Migrations run on the restored copy to bring it to this version's schema. */
  migrated: string[];
}

/** Tables only our databases have; a file without them is someone else's SQLite file. */
const OUR_TABLES = ['kysely_migration', 'sectors', 'organisations', 'quickscans'] as const;

/** A name next to `file` for work in progress, so the final rename stays on one file system. */
function tempNameFor(file: string, purpose: string): string {
  return join(dirname(file), `.${basename(file)}.${purpose}-${process.pid}-${Date.now()}`);
}

/** Flushes a file (or a directory entry) to disk; SQLite does not fsync a VACUUM INTO copy. */
function fsyncPath(path: string): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** `PRAGMA integrity_check` on a file: the problems found, empty when it is sound. */
function integrityProblems(path: string, readonly: boolean): string[] {
  const db = new SQLite(path, { readonly, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const messages = rows.map((r) => r.integrity_check);
    return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
  } finally {
    db.close();
  }
}

/**
 * Writes a consistent copy of the open database to `file` while others keep writing. `VACUUM
 * INTO` reads one snapshot in a single read transaction (WAL lets writers go on meanwhile), where
 * the online backup API restarts whenever another connection writes. The copy is made under a
 * temporary name, flushed, checked read-only with `integrity_check` and only then renamed to
 * `file`: a failed backup never leaves a half file, and never replaces an earlier good one.
 */
export async function backupDatabase(
  // biome-ignore lint/suspicious/noExplicitAny: a backup copies whatever schema the file has
  db: Kysely<any>,
  file: string,
  options: { overwrite?: boolean } = {},
): Promise<BackupResult> {
  const target = resolve(file);
  const main = (await sql<{ name: string; file: string }>`pragma database_list`.execute(db)).rows.find(
    (r) => r.name === 'main',
  )?.file;
  if (!main) throw new ValidationError('een database in het geheugen kan niet worden geback-upt');
  if (sameFile(target, main) || [`${main}-wal`, `${main}-shm`].some((f) => sameFile(target, f))) {
    throw new ValidationError(`'${file}' is de database zelf; kies een ander bestand voor de back-up`);
  }
  if (existsSync(target) && !options.overwrite) {
    throw new ConflictError(
      `'${file}' bestaat al; kies een nieuwe naam of geef --overwrite mee om het te vervangen`,
      'file_exists',
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const temp = tempNameFor(target, 'backup');
  try {
    try {
      await sql`vacuum into ${temp}`.execute(db);
    } catch (err) {
      throw new AppError(
        'write_failed',
        500,
        `de back-up naar '${file}' is mislukt: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    fsyncPath(temp);
    const problems = integrityProblems(temp, true);
    if (problems.length > 0) {
      throw new AppError(
        'backup_invalid',
        500,
        `de back-up is niet goedgekeurd (integrity_check: ${problems.slice(0, 3).join('; ')}); er is niets opgeslagen`,
      );
    }
    const bytes = statSync(temp).size;
    await rename(temp, target);
    fsyncPath(dirname(target));
    return { file: target, bytes, integrity: 'ok' };
  } finally {
    await rm(temp, { force: true });
  }
}

/** Checks that `path` is a sound database of ours with no migrations newer than this version. */
function checkRestorable(path: string, shownAs: string): void {
  let problems: string[];
  try {
    // Our private copy, opened writable: a back-up made by hand from a WAL database needs its -shm.
    problems = integrityProblems(path, false);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new ValidationError(`'${shownAs}' is geen SQLite-database`, undefined, 'backup_invalid');
    }
    if (code === 'SQLITE_CORRUPT') {
      throw new ValidationError(
        `'${shownAs}' is beschadigd (${(err as Error).message}); kies een andere back-up`,
        undefined,
        'backup_invalid',
      );
    }
    throw err;
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `'${shownAs}' is beschadigd (integrity_check: ${problems.slice(0, 3).join('; ')}); kies een andere back-up`,
      undefined,
      'backup_invalid',
    );
  }
  const db = new SQLite(path, { fileMustExist: true });
  try {
    const tables = new Set(
      (
        db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>
      ).map((r) => r.name),
    );
    if (!OUR_TABLES.every((t) => tables.has(t))) {
      throw new ValidationError(
        `'${shownAs}' is geen database van VPT-schakelmodel`,
        undefined,
        'backup_invalid',
      );
    }
    const applied = (db.prepare('select name from kysely_migration').all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0) {
      throw new RuleError(
        `'${shownAs}' komt van een nieuwere versie van VPT-schakelmodel (onbekende migraties: ${unknown.join(', ')}); werk deze installatie eerst bij en herstel dan opnieuw`,
        'schema_too_new',
      );
    }
  } finally {
    db.close();
  }
}

/**
 * Refuses when another connection has the database at `path` open. In WAL mode every open
 * connection holds a shared lock on the file, idle or not, so leaving WAL (which needs the only
 * lock) fails at once with SQLITE_BUSY when the server runs; when it succeeds it has also
 * checkpointed the WAL into the file, so nothing is left in a -wal that could be lost.
 */
function assertNotInUse(path: string): void {
  if (!existsSync(path)) return;
  const db = new SQLite(path, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
  } catch (err) {
    const code = String((err as { code?: string }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new ConflictError(
        `de database '${path}' is in gebruik (draait de server nog?); stop de server en probeer het opnieuw`,
        'database_in_use',
      );
    }
    // No server runs on a file that is not (or no longer) a database: that is what a restore is for.
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return;
    throw err;
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `databasePath` with the back-up `file`, which must be sound, ours and
 * not newer than this version. The back-up is copied next to the database, checked, migrated and
 * flushed there first; the database is replaced only then, by a rename, when no one else has it
 * open. The replaced database is kept as `<database>.voor-herstel-<time>`.
 */
export async function restoreDatabase(
  file: string,
  databasePath: string,
  now: Date = new Date(),
): Promise<RestoreResult> {
  const source = resolve(file);
  const target = resolve(databasePath);
  if (!existsSync(source))
    throw new ValidationError(`het bestand '${file}' bestaat niet`, undefined, 'file_missing');
  if (sameFile(source, target)) {
    throw new ValidationError(`'${file}' is de database zelf; kies een back-up om te herstellen`);
  }
  assertNotInUse(target);
  await mkdir(dirname(target), { recursive: true });
  const temp = tempNameFor(target, 'herstel');
  try {
    copyFileSync(source, temp);
    checkRestorable(temp, file);
    const db = openDatabase(temp);
    let migrated: string[];
    try {
      migrated = await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    // The last connection to close has checkpointed and removed the copy's -wal.
    fsyncPath(temp);
    assertNotInUse(target);
    let previous: string | null = null;
    if (existsSync(target)) {
      previous = `${target}.voor-herstel-${now.toISOString().replace(/[:.]/g, '-')}`;
      try {
        linkSync(target, previous);
      } catch {
        copyFileSync(target, previous);
      }
    }
    // A -wal left next to the new file would be replayed into it: remove before the rename.
    for (const stale of [`${target}-wal`, `${target}-shm`, `${target}-journal`])
      await rm(stale, { force: true });
    await rename(temp, target);
    fsyncPath(dirname(target));
    return { file: source, database: target, previous, migrated };
  } finally {
    await rm(temp, { force: true });
    for (const side of ['-wal', '-shm', '-journal']) await rm(`${temp}${side}`, { force: true });
  }
}
