import {
  chmodSync,
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
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
    // No free pages (a migration that rebuilds a table leaves some): the last page is in use.
    raw.exec('VACUUM');
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

describe('the health check watches the database file', () => {
  async function startedApp(path: string) {
    const app = await buildApp(testConfig({ databasePath: path }));
    await app.ready();
    return app;
  }

  it('when the database file is deleted while the server runs, then the health check answers 503 naming the file', async () => {
    // Arrange
    const path = join(dir, 'vpt.sqlite');
    const app = await startedApp(path);
    try {
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

      // Act
      rmSync(path);
      const res = await app.inject({ method: 'GET', url: '/api/health' });

      // Assert
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toEqual({
        code: 'database_unavailable',
        message: `de database '${path}' is verwijderd terwijl de server draait; stop de server en zet een back-up terug`,
      });
    } finally {
      await app.close();
    }
  });

  it('when the database file is replaced by another while the server runs, then the health check answers 503 saying to restart', async () => {
    // Arrange
    const path = join(dir, 'vpt.sqlite');
    const app = await startedApp(path);
    try {
      // Act: another file is moved into its place (as a careless restore with `mv` would).
      const other = join(dir, 'ander.sqlite');
      copyFileSync(path, other);
      renameSync(other, path);
      const res = await app.inject({ method: 'GET', url: '/api/health' });

      // Assert
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toContain(
        `de database '${path}' is vervangen terwijl de server draait`,
      );
    } finally {
      await app.close();
    }
  });

  // root may write any file, so a read-only file cannot be shown to root.
  it.skipIf(process.getuid?.() === 0)(
    'when the database file is read-only, then the server does not start and says to check the rights',
    async () => {
      const path = join(dir, 'vpt.sqlite');
      await (await startedApp(path)).close();
      chmodSync(path, 0o444);

      const err = await refusal(() => buildApp(testConfig({ databasePath: path })));

      expect(err.message).toContain(`de database '${path}' is niet schrijfbaar`);
    },
  );
});
