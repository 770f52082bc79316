// The CLI of issue 13, item 4: `user invite` and `user reset-link` print a one-time link.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { hashToken } from '../../server/security/tokens.ts';
import { TEST_NOW } from '../helpers.ts';
import { cliSandbox } from './sandbox.ts';

const sandbox = cliSandbox('vpt-cli-invitations-', {
  PUBLIC_URL: 'https://vpt.regio.example',
});
const { cli, cliJson } = sandbox;

const LINK = /^https:\/\/vpt\.regio\.example\/uitnodiging#([A-Za-z0-9_-]{43})$/;

async function storedHashes(): Promise<string[]> {
  const db = openDatabase(sandbox.databasePath);
  try {
    return (await db.selectFrom('invitations').select('token_hash').execute()).map((r) => r.token_hash);
  } finally {
    await db.destroy();
  }
}

describe('cli: user invite', () => {
  it('when a person is invited with --json, then the link to PUBLIC_URL and its end date are printed and only the hash is stored', async () => {
    const out = await cliJson(['user', 'invite', '--email', 'nieuw@regio.example', '--role', 'bestuur']);
    expect(out).toMatchObject({
      email: 'nieuw@regio.example',
      role: 'bestuur',
      organisationId: null,
      expiresAt: new Date(TEST_NOW.getTime() + 7 * 86_400_000).toISOString(),
      mailed: false,
    });
    const token = LINK.exec(out.link)?.[1];
    expect(token, out.link).toBeDefined();
    expect(await storedHashes()).toEqual([hashToken(token!)]);
  });

  it('when a person is invited without --json, then the link is printed in Dutch to pass on', async () => {
    const r = await cli(['user', 'invite', '--email', 'nieuw@regio.example', '--role', 'bestuur']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^uitnodiging voor nieuw@regio\.example, geldig tot 22 nov 2026/);
    expect(r.stdout).toMatch(/ {2}https:\/\/vpt\.regio\.example\/uitnodiging#[A-Za-z0-9_-]{43}\n/);
    expect(r.stdout).toContain('niet gemaild');
  });

  it('when the role organisatie has no organisation, or the address has an account, then it is refused in Dutch', async () => {
    const noOrg = await cli(['user', 'invite', '--email', 'o@regio.example', '--role', 'organisatie']);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toMatch(/hoort bij één organisatie/);

    await cliJson(
      ['user', 'add', '--email', 'bestaand@regio.example', '--role', 'bestuur'],
      'een lang genoeg wachtwoord',
    );
    const dup = await cli(['user', 'invite', '--email', 'bestaand@regio.example', '--role', 'bestuur']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/er bestaat al een account met e-mailadres 'bestaand@regio\.example'/);
  });
});

describe('cli: user reset-link', () => {
  it('when a reset link is made for an account, then its link is printed', async () => {
    const user = await cliJson(
      ['user', 'add', '--email', 'vergeten@regio.example', '--role', 'bestuur'],
      'een lang genoeg wachtwoord',
    );
    const out = await cliJson(['user', 'reset-link', String(user.id)]);
    expect(out).toMatchObject({ email: 'vergeten@regio.example', mailed: false });
    expect(out.link).toMatch(LINK);
    expect(out.expiresAt).toBe(new Date(TEST_NOW.getTime() + 7 * 86_400_000).toISOString());
  });

  it('when the account does not exist, then it says so', async () => {
    const r = await cli(['user', 'reset-link', '999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/account 999 bestaat niet/);
  });
});
