import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { TEST_NOW } from '../helpers.ts';
import { cliSandbox } from './sandbox.ts';

const sandbox = cliSandbox('vpt-cli-2fa-');
const { cli, cliJson } = sandbox;
const PASSWORD = 'correct paard batterij niet';

/** Switches two-factor sign-in on for an account straight in the database, as a confirmed enrolment leaves it. */
async function enableTwoFactor(email: string): Promise<void> {
  const db = openDatabase(sandbox.databasePath);
  try {
    await migrateToLatest(db);
    const secret = new Secret({ size: 20 }).base32;
    const step = TOTP.counter({ period: 30, timestamp: TEST_NOW.getTime() });
    const user = await db
      .updateTable('users')
      .set({ totp_secret: secret, totp_enabled_at: TEST_NOW.toISOString(), totp_last_step: step })
      .where('email', '=', email)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('recovery_codes')
      .values({ user_id: user.id, code_hash: 'a'.repeat(64), created_at: TEST_NOW.toISOString() })
      .execute();
  } finally {
    await db.destroy();
  }
}

async function twoFactorColumns(email: string) {
  const db = openDatabase(sandbox.databasePath);
  try {
    const user = await db
      .selectFrom('users')
      .select(['id', 'totp_secret', 'totp_enabled_at', 'totp_last_step'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const codes = await db.selectFrom('recovery_codes').selectAll().where('user_id', '=', user.id).execute();
    return { ...user, recoveryCodes: codes.length };
  } finally {
    await db.destroy();
  }
}

describe('cli: user reset-2fa', () => {
  it('when the last projectleider lost their phone, then the operator resets two-factor sign-in and the secret and recovery codes are gone', async () => {
    // Arrange
    await cliJson(
      ['user', 'add', '--email', 'leider@regio.example.org', '--role', 'projectleider'],
      PASSWORD,
    );
    await enableTwoFactor('leider@regio.example.org');

    // Act
    const after = await cliJson(['user', 'reset-2fa', '--email', 'Leider@Regio.example.org']);

    // Assert
    expect(after).toMatchObject({
      email: 'leider@regio.example.org',
      role: 'projectleider',
      disabled: false,
    });
    expect(await twoFactorColumns('leider@regio.example.org')).toMatchObject({
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      recoveryCodes: 0,
    });
    const list = await cliJson(['user', 'list']);
    expect(list[0]).toMatchObject({ email: 'leider@regio.example.org', twoFactor: false });
  });

  it('when run without --json, then it says in Dutch what happened', async () => {
    await cliJson(
      ['user', 'add', '--email', 'leider@regio.example.org', '--role', 'projectleider'],
      PASSWORD,
    );
    await enableTwoFactor('leider@regio.example.org');
    const r = await cli(['user', 'reset-2fa', '--email', 'leider@regio.example.org']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('twee-staps-inloggen van leider@regio.example.org is uitgezet');
  });

  it('when the account has no two-factor sign-in, or does not exist, then it exits 1 and says why', async () => {
    await cliJson(
      ['user', 'add', '--email', 'leider@regio.example.org', '--role', 'projectleider'],
      PASSWORD,
    );

    const none = await cli(['user', 'reset-2fa', '--email', 'leider@regio.example.org', '--json']);
    const unknown = await cli(['user', 'reset-2fa', '--email', 'niemand@regio.example.org', '--json']);

    expect(none.code).toBe(1);
    expect(none.stderr).toContain('twee-staps-inloggen staat niet aan');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("er is geen account met e-mailadres 'niemand@regio.example.org'");
  });
});
