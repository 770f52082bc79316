// Scheduled backups (issue 11, item 1): with BACKUP_DIR set the server backs itself up when it
// starts (no backup yet) and the health check shows when; the copy is a sound database.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, tempDir } from '../helpers.ts';
import { getJson } from './fixtures.ts';

describe('scheduled backups', () => {
  let t: TestApp | undefined;
  let dir: ReturnType<typeof tempDir> | undefined;
  afterEach(async () => {
    await t?.close();
    dir?.remove();
  });

  it('when BACKUP_DIR is set and there is no backup yet, then one is made at start and the health check shows its time', async () => {
    // Arrange
    dir = tempDir('vpt-backups-');
    t = await buildTestApp({ config: { backup: { dir: dir.dir, everyHours: 24, keep: 3 } } });

    // Act
    await t.app.ready();
    await expect
      .poll(
        async () =>
          (await getJson<{ backup: { lastBackupAt: string | null } }>(t!.app, '/api/health')).backup,
        {
          timeout: 10_000,
        },
      )
      .toMatchObject({ lastBackupAt: expect.any(String), failing: false });

    // Assert
    const files = readdirSync(dir.dir).filter((f) => f.endsWith('.sqlite'));
    expect(files).toHaveLength(1);
    const copy = new Database(join(dir.dir, files[0]!), { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('select count(*) as n from sectors').get()).toEqual({ n: 8 });
    } finally {
      copy.close();
    }
  });
});
