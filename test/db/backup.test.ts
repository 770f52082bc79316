import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { fillDemo } from '../../scripts/demo.ts';
import { backupDatabase, restoreDatabase } from '../../server/db/backup.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import {
  runScheduledBackup,
  scheduledBackupName,
  startBackupSchedule,
} from '../../server/services/backup.service.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { reportMatrix, reportSummary } from '../../server/services/reports.service.ts';
import { buildTestContext, tempDir } from '../helpers.ts';
import { expectAppError } from '../support.ts';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-backup-'));
});
afterEach(() => remove());

async function firstSectorId(ctx: ServiceContext): Promise<number> {
  const row = await ctx.db.selectFrom('sectors').select('id').orderBy('position').executeTakeFirstOrThrow();
  return row.id;
}

function organisationNames(file: string): string[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return (db.prepare('select name from organisations order by id').all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
  } finally {
    db.close();
  }
}

function integrity(file: string): string {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** A migrated database with a few organisations at `path`, closed again. */
async function smallDatabase(path: string, names: string[]): Promise<void> {
  const { ctx, close } = await buildTestContext({ databasePath: path });
  try {
    const sectorId = await firstSectorId(ctx);
    for (const name of names) await createOrganisation(ctx, { name, sectorId, memberFrom: '2016-Q1' });
  } finally {
    await close();
  }
}

/**
 * A second process that creates organisations through the services, one transaction each, and
 * prints the name of every write once it is acknowledged (committed).
 */
function startWriter(databasePath: string) {
  const script = join(dir, 'writer.mts');
  const root = resolve(import.meta.dirname, '../..');
  writeFileSync(
    script,
    `
import { testConfig } from '${root}/server/config.ts';
import { openDatabase } from '${root}/server/db/database.ts';
import { loadModelRegistry } from '${root}/server/services/model-registry.ts';
import { createOrganisation } from '${root}/server/services/organisations.service.ts';
import { OPERATOR } from '${root}/server/services/principal.ts';
const db = openDatabase(${JSON.stringify(databasePath)});
const now = () => new Date('2026-11-15T10:00:00Z');
const models = await loadModelRegistry(db, testConfig().model, now());
const ctx = { db, models, now, actor: 'schrijver', principal: OPERATOR };
const { id: sectorId } = await db.selectFrom('sectors').select('id').orderBy('position').executeTakeFirstOrThrow();
for (let i = 0; ; i++) {
  const org = await createOrganisation(ctx, { name: 'Organisatie ' + i, sectorId, memberFrom: '2016-Q1' });
  process.stdout.write(org.name + '\\n');
}
`,
  );
  // Node itself with tsx's loader, not the tsx wrapper: killing the wrapper would leave its node
  // child writing on forever.
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, script],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acknowledged: string[] = [];
  let buffered = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    acknowledged.push(...lines);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  return {
    acknowledged,
    async waitFor(count: number): Promise<void> {
      const deadline = Date.now() + 20_000;
      while (acknowledged.length < count) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the writer stopped after ${acknowledged.length} writes: ${errors}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('backup', () => {
  it('when another process writes organisations through the services while a backup runs, then every write acknowledged before the backup started is in the copy and the copy is sound', async () => {
    const databasePath = join(dir, 'live.sqlite');
    await smallDatabase(databasePath, []);
    const writer = startWriter(databasePath);
    const db = openDatabase(databasePath);
    try {
      await writer.waitFor(30);
      const beforeBackup = [...writer.acknowledged];

      const result = await backupDatabase(db, join(dir, 'kopie.sqlite'));
      await writer.waitFor(writer.acknowledged.length + 10);
      await writer.stop();

      expect(result).toEqual({
        file: join(dir, 'kopie.sqlite'),
        bytes: readFileSync(join(dir, 'kopie.sqlite')).length,
        integrity: 'ok',
      });
      // One self-contained file: no -wal or -shm beside it, and no temporary file left.
      expect(readdirSync(dir).filter((f) => f.includes('kopie'))).toEqual(['kopie.sqlite']);
      const copied = organisationNames(result.file);
      expect(copied).toEqual(expect.arrayContaining(beforeBackup));
      // A snapshot: a prefix of what was written, and the writer went on after it.
      expect(copied).toEqual(writer.acknowledged.slice(0, copied.length));
      expect(copied.length).toBeLessThan(writer.acknowledged.length);
      expect(integrity(result.file)).toBe('ok');
    } finally {
      await writer.stop();
      await db.destroy();
    }
  });

  it('when the backup file already exists, then it is refused and kept, unless overwrite is asked for', async () => {
    const databasePath = join(dir, 'live.sqlite');
    await smallDatabase(databasePath, ['Alfa']);
    const db = openDatabase(databasePath);
    try {
      const file = join(dir, 'kopie.sqlite');
      writeFileSync(file, 'een eerdere back-up');
      const error = await expectAppError(() => backupDatabase(db, file), 'file_exists');
      expect(error.message).toContain('bestaat al');
      expect(readFileSync(file, 'utf8')).toBe('een eerdere back-up');

      await backupDatabase(db, file, { overwrite: true });
      expect(organisationNames(file)).toEqual(['Alfa']);
    } finally {
      await db.destroy();
    }
  });

  it('when the backup file is the database itself, then it is refused even with overwrite', async () => {
    const databasePath = join(dir, 'live.sqlite');
    await smallDatabase(databasePath, ['Alfa']);
    const db = openDatabase(databasePath);
    try {
      await expectAppError(() => backupDatabase(db, databasePath, { overwrite: true }), 'validation_failed');
      await expectAppError(
        () => backupDatabase(db, `${databasePath}-wal`, { overwrite: true }),
        'validation_failed',
      );
      expect(organisationNames(databasePath)).toEqual(['Alfa']);
    } finally {
      await db.destroy();
    }
  });
});

describe('restore', () => {
  it('when a backup of a filled region is restored into a fresh path, then the reports there are identical', async () => {
    const { ctx, close } = await buildTestContext({ databasePath: join(dir, 'bron.sqlite') });
    const restoredPath = join(dir, 'nieuw', 'vpt.sqlite');
    try {
      const demo = await fillDemo(ctx, { seed: 7 });
      const backup = await backupDatabase(ctx.db, join(dir, 'back-up.sqlite'));

      const result = await restoreDatabase(backup.file, restoredPath);
      expect(result).toEqual({ file: backup.file, database: restoredPath, previous: null, migrated: [] });

      const restored = await buildTestContext({ databasePath: restoredPath });
      try {
        expect(await reportSummary(restored.ctx, demo.from, demo.to)).toEqual(
          await reportSummary(ctx, demo.from, demo.to),
        );
        expect(await reportMatrix(restored.ctx, demo.from, demo.to)).toEqual(
          await reportMatrix(ctx, demo.from, demo.to),
        );
      } finally {
        await restored.close();
      }
    } finally {
      await close();
    }
  }, 60_000);

  it('when a database is restored over an existing one, then it replaces it, the old one is kept beside it and no -wal of the old one survives', async () => {
    const databasePath = join(dir, 'live.sqlite');
    const backupFile = join(dir, 'back-up.sqlite');
    await smallDatabase(databasePath, ['Alfa']);
    const db = openDatabase(databasePath);
    await backupDatabase(db, backupFile);
    await db.destroy();
    await smallDatabase(databasePath, ['Beta']);

    const result = await restoreDatabase(backupFile, databasePath, new Date('2026-11-15T10:00:00Z'));

    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    expect(organisationNames(databasePath)).toEqual(['Alfa']);
    expect(result.previous).toBe(`${databasePath}.voor-herstel-2026-11-15T10-00-00-000Z`);
    expect(organisationNames(result.previous!)).toEqual(['Alfa', 'Beta']);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('when the backup predates a migration, then the restored database is migrated to the latest schema', async () => {
    const old = openDatabase(join(dir, 'oud.sqlite'));
    const names = Object.keys(migrations);
    await migrateToLatest(old, Object.fromEntries(Object.entries(migrations).slice(0, -1)));
    await old.destroy();

    const result = await restoreDatabase(join(dir, 'oud.sqlite'), join(dir, 'live.sqlite'));

    expect(result.migrated).toEqual(names.slice(-1));
    const db = new SQLite(join(dir, 'live.sqlite'), { readonly: true });
    const applied = (
      db.prepare('select name from kysely_migration order by name').all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    db.close();
    expect(applied).toEqual(names);
  });

  describe('refused, and the database left as it was', () => {
    const databasePath = () => join(dir, 'live.sqlite');
    let backupFile: string;

    beforeEach(async () => {
      await smallDatabase(databasePath(), ['Alfa', 'Beta']);
      const db = openDatabase(databasePath());
      backupFile = (await backupDatabase(db, join(dir, 'back-up.sqlite'))).file;
      await db.destroy();
    });

    function expectUntouched(): void {
      expect(organisationNames(databasePath())).toEqual(['Alfa', 'Beta']);
      expect(readdirSync(dir).filter((f) => f.startsWith('.') || f.includes('voor-herstel'))).toEqual([]);
    }

    it('when another connection has the database open, idle, then the restore says it is in use', async () => {
      const server = openDatabase(databasePath());
      try {
        await server.selectFrom('organisations').select('id').execute();
        const error = await expectAppError(
          () => restoreDatabase(backupFile, databasePath()),
          'database_in_use',
        );
        expect(error.message).toContain('stop de server');
      } finally {
        await server.destroy();
      }
      expectUntouched();
    });

    it('when another connection holds a read transaction, then the restore says it is in use', async () => {
      const server = new SQLite(databasePath());
      server.pragma('journal_mode = WAL');
      try {
        server.exec('begin');
        server.prepare('select count(*) from organisations').get();
        await expectAppError(() => restoreDatabase(backupFile, databasePath()), 'database_in_use');
        server.exec('commit');
      } finally {
        server.close();
      }
      expectUntouched();
    });

    it('when another connection is in the middle of a write, then the restore says it is in use and the write commits', async () => {
      const server = openDatabase(databasePath());
      try {
        await server.transaction().execute(async (trx) => {
          await sql`update organisations set notes = 'bezig' where name = 'Alfa'`.execute(trx);
          await expectAppError(() => restoreDatabase(backupFile, databasePath()), 'database_in_use');
        });
      } finally {
        await server.destroy();
      }
      expectUntouched();
    });

    it('when the backup is corrupt, then it is refused as damaged', async () => {
      const corrupt = join(dir, 'kapot.sqlite');
      writeFileSync(corrupt, readFileSync(backupFile));
      const fd = openSync(corrupt, 'r+');
      // Page 1 (the header and schema) stays; the pages after it become noise.
      writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 4096);
      const error = await expectAppError(() => restoreDatabase(corrupt, databasePath()), 'backup_invalid');
      expect(error.message).toContain('beschadigd');
      expectUntouched();
    });

    it('when the file is not a database, or not one of ours, then it is refused', async () => {
      const text = join(dir, 'notities.txt');
      writeFileSync(text, 'dit is geen database '.repeat(100));
      expect(
        (await expectAppError(() => restoreDatabase(text, databasePath()), 'backup_invalid')).message,
      ).toContain('geen SQLite-database');

      const foreign = join(dir, 'ander.sqlite');
      const db = new SQLite(foreign);
      db.exec('create table boodschappen (naam text)');
      db.close();
      expect(
        (await expectAppError(() => restoreDatabase(foreign, databasePath()), 'backup_invalid')).message,
      ).toContain('geen database van VPT-schakelmodel');
      expectUntouched();
    });

    it('when the backup has a migration this version does not know, then it is refused as newer', async () => {
      const db = new SQLite(backupFile);
      db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
        '2099-01-01-999-toekomst',
        new Date().toISOString(),
      );
      db.close();
      const error = await expectAppError(() => restoreDatabase(backupFile, databasePath()), 'schema_too_new');
      expect(error.message).toContain('2099-01-01-999-toekomst');
      expect(error.message).toContain('nieuwere versie');
      expectUntouched();
    });

    it('when the backup does not exist, then it is refused', async () => {
      await expectAppError(() => restoreDatabase(join(dir, 'weg.sqlite'), databasePath()), 'file_missing');
      expectUntouched();
    });
  });
});

describe('scheduled backups', () => {
  const quiet = { info: () => {}, error: () => {} };

  it('when scheduled backups run, then each is a sound copy named by its time and only the newest N are kept', async () => {
    const databasePath = join(dir, 'live.sqlite');
    await smallDatabase(databasePath, ['Alfa']);
    const backups = join(dir, 'back-ups');
    const db = openDatabase(databasePath);
    try {
      writeFileSync(join(dir, 'eigen-kopie.sqlite'), 'niet van het schema');
      for (const minute of [0, 1, 2, 3]) {
        await runScheduledBackup(
          db,
          { dir: backups, everyHours: 24, keep: 2 },
          new Date(Date.UTC(2026, 10, 15, 3, minute)),
        );
      }
      expect(readdirSync(backups)).toEqual([
        scheduledBackupName(new Date(Date.UTC(2026, 10, 15, 3, 2))),
        scheduledBackupName(new Date(Date.UTC(2026, 10, 15, 3, 3))),
      ]);
      expect(readdirSync(backups)[0]).toBe('vpt-2026-11-15T03-02-00-000Z.sqlite');
      expect(organisationNames(join(backups, readdirSync(backups)[1]!))).toEqual(['Alfa']);
      expect(existsSync(join(dir, 'eigen-kopie.sqlite'))).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('when the schedule runs, then the status names the last backup, and a restart reads it from the directory', async () => {
    const databasePath = join(dir, 'live.sqlite');
    await smallDatabase(databasePath, ['Alfa']);
    const schedule = { dir: join(dir, 'back-ups'), everyHours: 0.05 / 3600, keep: 3 };
    const db = openDatabase(databasePath);
    try {
      const first = await startBackupSchedule(db, schedule, { log: quiet });
      expect(first.status()).toEqual({ lastBackupAt: null, lastFile: null, lastError: null });
      // Wait for five backups, so that the oldest two have been removed (keep 3).
      const seen = new Set<string>();
      const deadline = Date.now() + 5000;
      while (seen.size < 5 && Date.now() < deadline) {
        const file = first.status().lastFile;
        if (file) seen.add(file);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen.size).toBe(5);
      await first.stop();
      const status = first.status();
      expect(status.lastError).toBeNull();
      expect(readdirSync(schedule.dir)).toHaveLength(3);
      expect(status.lastFile).toBe(join(schedule.dir, readdirSync(schedule.dir).at(-1)!));
      expect(integrity(status.lastFile!)).toBe('ok');

      const restarted = await startBackupSchedule(db, { ...schedule, everyHours: 24 }, { log: quiet });
      expect(restarted.status()).toEqual(status);
      await restarted.stop();
    } finally {
      await db.destroy();
    }
  });
});
