import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { AppError } from '../../server/errors.ts';
import { tempDir } from '../helpers.ts';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-start-'));
});
afterEach(() => remove());

/** The error a start refuses with, or fails the test when the start goes through. */
async function refusal(start: () => unknown): Promise<AppError> {
  try {
    await start();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('the start was not refused');
}

describe('start checks of the database file', () => {
  it('when the file at DATABASE_PATH is 0 bytes, then the server does not start, names the file and what to do, and leaves the file as it is', async () => {
    // Arrange
    const path = join(dir, 'vpt.sqlite');
    writeFileSync(path, '');

    // Act
    const err = await refusal(() => buildApp(testConfig({ databasePath: path })));

    // Assert
    expect(err.code).toBe('database_unavailable');
    expect(err.message).toBe(
      `de database '${path}' is leeg (0 bytes); zet een back-up terug met \`npm run cli -- restore BESTAND\`, of verwijder het bestand om met een lege database te beginnen`,
    );
    expect(statSync(path).size).toBe(0);
  });

  it('when the file at DATABASE_PATH is not a SQLite database, then the start is refused naming the file', async () => {
    const path = join(dir, 'vpt.sqlite');
    writeFileSync(
      path,
      'dit is geen database, maar een tekstbestand dat per ongeluk hier staat\n'.repeat(100),
    );
    const before = readFileSync(path);

    const err = await refusal(() => openDatabase(path, { startChecks: true }));

    expect(err.code).toBe('database_unavailable');
    expect(err.message).toContain(`de database '${path}' is geen (gave) SQLite-database`);
    expect(err.message).toContain('npm run cli -- restore BESTAND');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('when a page of the database is damaged, then quick_check fails and the start is refused naming the file', async () => {
    // Arrange: a migrated database whose last page (an index or table page) is overwritten.
    const path = join(dir, 'vpt.sqlite');
    const db = openDatabase(path);
    await migrateToLatest(db);
    await db.destroy();
    const raw = new SQLite(path);
    raw.pragma('journal_mode = DELETE');
    const pageSize = Number(raw.pragma('page_size', { simple: true }));
    const pages = Number(raw.pragma('page_count', { simple: true }));
    raw.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (pages - 1) * pageSize);
    closeSync(fd);

    // Act
    const err = await refusal(() => openDatabase(path, { startChecks: true }));

    // Assert
    expect(err.code).toBe('database_unavailable');
    expect(err.message.startsWith(`de database '${path}' is beschadigd (quick_check: `)).toBe(true);
    expect(err.message).toContain('npm run cli -- restore BESTAND');
  });

  it('when the file does not exist yet or is a sound database, then the start checks let it through', async () => {
    const path = join(dir, 'nieuw', 'vpt.sqlite');
    const fresh = openDatabase(path, { startChecks: true });
    await migrateToLatest(fresh);
    await fresh.destroy();

    const again = openDatabase(path, { startChecks: true });
    try {
      expect(await migrateToLatest(again)).toEqual([]);
    } finally {
      await again.destroy();
    }
  });
});
