import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { cliSandbox } from './sandbox.ts';

const sandbox = cliSandbox('vpt-cli-backup-');
const { cli, cliJson } = sandbox;

function addOrg(name: string) {
  return cliJson(['org', 'add', '--name', name, '--sector', 'Zorg', '--member-from', '2016-Q1']);
}

async function orgNames(): Promise<string[]> {
  const list = await cliJson(['org', 'list']);
  const items = (Array.isArray(list) ? list : list.items) as Array<{ name: string }>;
  return items.map((o) => o.name).sort();
}

describe('cli: backup and restore', () => {
  it('when a backup is made, then it prints file, bytes and integrity ok, and restore brings that state back', async () => {
    await addOrg('Stichting Alfa');
    const file = join(sandbox.dir, 'back-ups', 'vpt-2026-11-15.sqlite');

    const backup = await cliJson(['backup', file]);
    expect(backup).toEqual({ file, bytes: statSync(file).size, integrity: 'ok' });

    await addOrg('Stichting Beta');
    expect(await orgNames()).toEqual(['Stichting Alfa', 'Stichting Beta']);

    const restored = await cliJson(['restore', file]);
    expect(restored).toMatchObject({ file, database: sandbox.databasePath, migrated: [] });
    expect(restored.previous).toContain(`${sandbox.databasePath}.voor-herstel-`);
    expect(await orgNames()).toEqual(['Stichting Alfa']);
  });

  it('when run without --json, then backup and restore say in Dutch what they did', async () => {
    const file = join(sandbox.dir, 'kopie.sqlite');
    const backup = await cli(['backup', file]);
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(
      /^back-up geschreven: .*kopie\.sqlite \(\d+ bytes, integrity_check ok\)\n$/,
    );

    const restore = await cli(['restore', file]);
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(restore.stdout).toContain(`hersteld: ${sandbox.databasePath} is nu de back-up ${file}`);
    expect(restore.stdout).toContain('de vorige database is bewaard als');
  });

  it('when the backup file exists, then backup refuses it with exit 1 unless --overwrite is given', async () => {
    const file = sandbox.file('bestaand.sqlite', 'iets anders');
    const refused = await cli(['backup', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('bestaat al');
    expect(refused.stderr).toContain('--overwrite');
    expect(readFileSync(file, 'utf8')).toBe('iets anders');

    expect((await cliJson(['backup', file, '--overwrite'])).integrity).toBe('ok');
  });

  it('when the server holds the database, then restore refuses with exit 1 and changes nothing', async () => {
    await addOrg('Stichting Alfa');
    const file = join(sandbox.dir, 'kopie.sqlite');
    await cliJson(['backup', file]);
    await addOrg('Stichting Beta');

    const server = openDatabase(sandbox.databasePath);
    try {
      await server.selectFrom('organisations').select('id').execute();
      const refused = await cli(['restore', file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is in gebruik (draait de server nog?)');
    } finally {
      await server.destroy();
    }
    expect(await orgNames()).toEqual(['Stichting Alfa', 'Stichting Beta']);
  });

  it.each([
    ['empty (0 bytes)', Buffer.alloc(0)],
    ['damaged (not a database any more)', Buffer.from('dit was ooit een database'.repeat(200))],
  ])('when the database is %s, then restore still puts the backup back', async (_what, broken) => {
    // Arrange
    await addOrg('Stichting Alfa');
    const file = join(sandbox.dir, 'goed.sqlite');
    expect((await cli(['backup', file])).code).toBe(0);
    writeFileSync(sandbox.databasePath, broken);

    // Act
    const restore = await cli(['restore', file]);

    // Assert
    expect(restore, restore.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(await orgNames()).toEqual(['Stichting Alfa']);
  });

  it('when the file to restore is not a database, then restore refuses it with exit 1', async () => {
    const file = join(sandbox.dir, 'notities.txt');
    writeFileSync(file, 'geen database');
    const refused = await cli(['restore', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('geen SQLite-database');
  });

  it('when backup or restore is given no file, then it is a usage mistake (exit 2)', async () => {
    expect((await cli(['backup'])).code).toBe(2);
    expect((await cli(['restore'])).code).toBe(2);
  });
});
