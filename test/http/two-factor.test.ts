import type { LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import type {
  LoginCodeReply,
  RecoveryCodes,
  TwoFactorEnrol,
  TwoFactorRequired,
  TwoFactorSetup,
  TwoFactorStatus,
} from '../../server/contracts/auth.contract.ts';
import type { Revision } from '../../server/contracts/revision.contract.ts';
import type { UserListItem } from '../../server/contracts/user.contract.ts';
import { buildTestApp, insertTestUser, TEST_NOW, TEST_PASSWORD, type TestApp } from '../helpers.ts';
import {
  type Client,
  clientFrom,
  expectError,
  expectFieldError,
  postLogin,
  sessionCookie,
} from './fixtures.ts';

const EMAIL = 'bestuurder@regio.example.org';
const SECOND = 1000;
const MINUTE = 60 * SECOND;

let t: TestApp;
/** The app's clock: tests move it forward. */
let now: Date;

afterEach(async () => {
  await t?.close();
});

async function start(config: Partial<Config> = {}): Promise<void> {
  now = new Date(TEST_NOW);
  t = await buildTestApp({ as: 'anonymous', now: () => now, config });
}

function advance(ms: number): void {
  now = new Date(now.getTime() + ms);
}

/** The code an authenticator app shows for `secret` at the app's current time (or `at`). */
function codeFor(secret: string, at: Date = now): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
}

function postCode(challenge: string, code: string): Promise<LightMyRequestResponse> {
  return t.anonymous({ method: 'POST', url: '/api/auth/login/code', payload: { challenge, code } });
}

/** Signs in an account without two-factor sign-in and returns its client. */
async function signIn(email = EMAIL): Promise<Client> {
  const res = await postLogin(t, email);
  expect(res.statusCode, res.body).toBe(200);
  return clientFrom(t, res);
}

/** Switches two-factor sign-in on through the account page's API; returns the secret and recovery codes. */
async function enable(client: Client): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await client.inject({ method: 'POST', url: '/api/auth/two-factor/setup' });
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret } = setup.json() as TwoFactorSetup;
  const confirm = await client.inject({
    method: 'POST',
    url: '/api/auth/two-factor/confirm',
    payload: { code: codeFor(secret) },
  });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { secret, recoveryCodes: (confirm.json() as RecoveryCodes).recoveryCodes };
}

/** An account with two-factor sign-in switched on, and a moment later (a new time step). */
async function accountWithTwoFactor(email = EMAIL, role: 'bestuur' | 'projectleider' = 'bestuur') {
  const id = await insertTestUser(t.db, email, role);
  const enabled = await enable(await signIn(email));
  advance(30 * SECOND);
  return { id, ...enabled };
}

/** The password step of an account with two-factor sign-in: its challenge. */
async function passwordStep(email = EMAIL): Promise<string> {
  const res = await postLogin(t, email);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as TwoFactorRequired;
  expect(body).toEqual({
    twoFactor: 'required',
    challenge: expect.any(String),
    expiresAt: expect.any(String),
  });
  expect(sessionCookie(res)).toBeNull();
  return body.challenge;
}

describe('enabling two-factor sign-in on the account page', () => {
  it('when an account confirms the new secret with a current code, then it is on and ten different recovery codes come back once', async () => {
    // Arrange
    await start();
    await insertTestUser(t.db, EMAIL, 'bestuur');
    const client = await signIn();

    // Act
    const setup = await client.inject({ method: 'POST', url: '/api/auth/two-factor/setup' });
    const { secret, uri } = setup.json() as TwoFactorSetup;
    const pending = await client.inject({ method: 'GET', url: '/api/auth/two-factor' });
    const confirm = await client.inject({
      method: 'POST',
      url: '/api/auth/two-factor/confirm',
      payload: { code: codeFor(secret) },
    });

    // Assert
    expect(setup.statusCode, setup.body).toBe(200);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain(encodeURIComponent(EMAIL));
    expect((pending.json() as TwoFactorStatus).enabled).toBe(false);
    expect(confirm.statusCode, confirm.body).toBe(200);
    const { recoveryCodes } = confirm.json() as RecoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const status = await client.inject({ method: 'GET', url: '/api/auth/two-factor' });
    expect(status.json()).toEqual({
      enabled: true,
      enabledAt: TEST_NOW.toISOString(),
      recoveryCodesLeft: 10,
      required: false,
    });
    // Stored hashed: neither the codes nor anything like them are in the table.
    const stored = await t.db.selectFrom('recovery_codes').select('code_hash').execute();
    expect(stored).toHaveLength(10);
    for (const { code_hash } of stored) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(recoveryCodes.map((c) => c.replaceAll('-', ''))).not.toContain(code_hash);
    }
  });

  it('when the confirmation code is wrong, then 400 about the field code and two-factor sign-in stays off', async () => {
    // Arrange
    await start();
    await insertTestUser(t.db, EMAIL, 'bestuur');
    const client = await signIn();
    const { secret } = (
      await client.inject({ method: 'POST', url: '/api/auth/two-factor/setup' })
    ).json() as TwoFactorSetup;
    const wrong = codeFor(secret) === '000000' ? '111111' : '000000';

    // Act
    const res = await client.inject({
      method: 'POST',
      url: '/api/auth/two-factor/confirm',
      payload: { code: wrong },
    });

    // Assert
    expectFieldError(res, 400, 'invalid_two_factor_code', 'code');
    const status = await client.inject({ method: 'GET', url: '/api/auth/two-factor' });
    expect((status.json() as TwoFactorStatus).enabled).toBe(false);
    // Without 2FA the login still answers the session as before.
    expect((await postLogin(t, EMAIL)).json()).toHaveProperty('csrfToken');
  });

  it('when enabled, then the change is in the account history and the list of accounts says so', async () => {
    // Arrange
    await start();
    const { id } = await accountWithTwoFactor();
    const leader = await insertTestUser(t.db, 'leider@regio.example.org', 'projectleider');
    expect(leader).toBeGreaterThan(0);
    const admin = await signIn('leider@regio.example.org');

    // Act
    const list = (await admin.inject({ method: 'GET', url: '/api/users' })).json() as UserListItem[];
    const audit = (await admin.inject({ method: 'GET', url: '/api/audit?entity=user' })).json() as {
      items: Revision[];
    };

    // Assert
    expect(list.find((u) => u.id === id)?.twoFactor).toBe(true);
    expect(list.find((u) => u.email === 'leider@regio.example.org')?.twoFactor).toBe(false);
    const change = audit.items.find((r) => r.entityId === id && r.action === 'update');
    expect(change).toMatchObject({
      actor: EMAIL,
      before: { twoFactor: false },
      after: { twoFactor: true },
    });
  });
});

describe('signing in with two-factor sign-in', () => {
  it('when the password is right, then there is no session yet; with the current code the session starts', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const challenge = await passwordStep();

    // Act
    const res = await postCode(challenge, codeFor(secret));

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as LoginCodeReply;
    expect(body).toEqual({
      user: { email: EMAIL, role: 'bestuur', organisationId: null },
      csrfToken: expect.any(String),
      via: 'account',
    });
    const client = clientFrom(t, res);
    expect((await client.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    // The challenge is stored hashed only.
    expect(await t.db.selectFrom('login_challenges').selectAll().execute()).toEqual([]);
  });

  it('when the code is wrong, then 401 about the field code, no session, and the right code still works', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const challenge = await passwordStep();
    const right = codeFor(secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');

    // Act
    const refused = await postCode(challenge, wrong);
    const accepted = await postCode(challenge, right);

    // Assert
    expectFieldError(refused, 401, 'invalid_two_factor_code', 'code');
    expect(sessionCookie(refused)).toBeNull();
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('when a code that was already used is sent again (a replay), then it is refused even within its 30 seconds', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const code = codeFor(secret);
    expect((await postCode(await passwordStep(), code)).statusCode).toBe(200);
    advance(5 * SECOND);

    // Act
    const replay = await postCode(await passwordStep(), code);

    // Assert
    const body = expectFieldError(replay, 401, 'invalid_two_factor_code', 'code');
    expect(body.error.message).toContain('al gebruikt');
    expect(sessionCookie(replay)).toBeNull();
    advance(30 * SECOND);
    expect((await postCode(await passwordStep(), codeFor(secret))).statusCode).toBe(200);
  });

  it('when the code of the previous 30 seconds is sent (a slow typist), then it is still accepted', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const earlier = codeFor(secret);
    advance(30 * SECOND);

    // Act
    const res = await postCode(await passwordStep(), earlier);

    // Assert
    expect(res.statusCode, res.body).toBe(200);
  });

  it('when a recovery code is used, then it signs in once and the same recovery code is refused after that', async () => {
    // Arrange
    await start();
    const { recoveryCodes } = await accountWithTwoFactor();
    const code = recoveryCodes[3]!;

    // Act
    const first = await postCode(await passwordStep(), ` ${code.toUpperCase()} `);
    const again = await postCode(await passwordStep(), code);

    // Assert
    expect(first.statusCode, first.body).toBe(200);
    expectFieldError(again, 401, 'invalid_two_factor_code', 'code');
    const client = clientFrom(t, first);
    const status = (await client.inject({ method: 'GET', url: '/api/auth/two-factor' })).json();
    expect((status as TwoFactorStatus).recoveryCodesLeft).toBe(9);
  });

  it('when the challenge is older than 5 minutes, then the right code is refused and the password must be given again', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const challenge = await passwordStep();
    advance(5 * MINUTE);

    // Act
    const res = await postCode(challenge, codeFor(secret));

    // Assert
    expectError(res, 401, 'two_factor_challenge_invalid');
    expect(sessionCookie(res)).toBeNull();
    expect(await t.db.selectFrom('login_challenges').selectAll().execute()).toEqual([]);
  });

  it('when a challenge has been used, then it does not sign in a second time', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const challenge = await passwordStep();
    expect((await postCode(challenge, codeFor(secret))).statusCode).toBe(200);
    advance(30 * SECOND);

    // Act
    const res = await postCode(challenge, codeFor(secret));

    // Assert
    expectError(res, 401, 'two_factor_challenge_invalid');
  });

  it('when the challenge is made up, then 401 and no session', async () => {
    await start();
    const res = await postCode('verzonnen-challenge', '123456');
    expectError(res, 401, 'two_factor_challenge_invalid');
    expect(sessionCookie(res)).toBeNull();
  });

  it('when wrong codes are tried too often, then the code step answers 429 with Retry-After, even for the right code', async () => {
    // Arrange
    await start({ loginLimitPerAccount: 4 });
    const { secret } = await accountWithTwoFactor();
    const challenge = await passwordStep();
    // Only failures count: four wrong codes use up the free attempts, then the account waits.
    for (let i = 0; i < 4; i++) {
      expect((await postCode(challenge, `99999${i}`)).statusCode).toBe(401);
    }

    // Act
    const limited = await postCode(challenge, codeFor(secret));

    // Assert
    expectError(limited, 429, 'too_many_requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(sessionCookie(limited)).toBeNull();
  });

  it('when the account is disabled, then the right password hears that it is disabled (403) and an open challenge stops working', async () => {
    // Arrange
    await start();
    const { id, secret } = await accountWithTwoFactor();
    const challenge = await passwordStep();
    await t.db.updateTable('users').set({ disabled_at: now.toISOString() }).where('id', '=', id).execute();

    // Act
    const password = await postLogin(t, EMAIL);
    const code = await postCode(challenge, codeFor(secret));

    // Assert
    expectError(password, 403, 'user_disabled');
    expectError(code, 401, 'two_factor_challenge_invalid');
    expect(sessionCookie(code)).toBeNull();
  });

  it('when the password is wrong, then the usual 401 comes and no challenge is made', async () => {
    await start();
    await accountWithTwoFactor();
    expectError(await postLogin(t, EMAIL, 'een verkeerd wachtwoord'), 401, 'invalid_credentials');
    expect(await t.db.selectFrom('login_challenges').selectAll().execute()).toEqual([]);
  });
});

describe('switching two-factor sign-in off and new recovery codes', () => {
  it('when the password and a current code are given, then it is off and the next login answers the session at once', async () => {
    // Arrange
    await start();
    const { secret } = await accountWithTwoFactor();
    const client = clientFrom(t, await postCode(await passwordStep(), codeFor(secret)));
    advance(30 * SECOND);

    // Act
    const wrongPassword = await client.inject({
      method: 'POST',
      url: '/api/auth/two-factor/disable',
      payload: { password: 'niet mijn wachtwoord', code: codeFor(secret) },
    });
    const res = await client.inject({
      method: 'POST',
      url: '/api/auth/two-factor/disable',
      payload: { password: TEST_PASSWORD, code: codeFor(secret) },
    });

    // Assert
    expectFieldError(wrongPassword, 400, 'wrong_password', 'password');
    expect(res.statusCode, res.body).toBe(204);
    const login = await postLogin(t, EMAIL);
    expect(login.json()).toHaveProperty('csrfToken');
    expect(sessionCookie(login)).not.toBeNull();
    expect(await t.db.selectFrom('recovery_codes').selectAll().execute()).toEqual([]);
  });

  it('when new recovery codes are asked for, then the old ones stop working', async () => {
    // Arrange
    await start();
    const { secret, recoveryCodes } = await accountWithTwoFactor();
    const client = clientFrom(t, await postCode(await passwordStep(), codeFor(secret)));
    advance(30 * SECOND);

    // Act
    const res = await client.inject({
      method: 'POST',
      url: '/api/auth/two-factor/recovery-codes',
      payload: { code: codeFor(secret) },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    const fresh = (res.json() as RecoveryCodes).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expectFieldError(
      await postCode(await passwordStep(), recoveryCodes[0]!),
      401,
      'invalid_two_factor_code',
      'code',
    );
    expect((await postCode(await passwordStep(), fresh[0]!)).statusCode).toBe(200);
  });
});

describe('REQUIRE_2FA', () => {
  it('when projectleiders must use it and one has not set it up, then the password step gives a secret and the session starts only after a code', async () => {
    // Arrange
    await start({ requireTwoFactor: 'projectleider' });
    await insertTestUser(t.db, 'leider@regio.example.org', 'projectleider');
    await insertTestUser(t.db, EMAIL, 'bestuur');

    // Act
    const res = await postLogin(t, 'leider@regio.example.org');
    const enrol = res.json() as TwoFactorEnrol;
    const done = await postCode(enrol.challenge, codeFor(enrol.secret));

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(enrol).toEqual({
      twoFactor: 'enrol',
      challenge: expect.any(String),
      expiresAt: new Date(TEST_NOW.getTime() + 5 * MINUTE).toISOString(),
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      uri: expect.stringMatching(/^otpauth:\/\/totp\/.*secret=/),
    });
    expect(sessionCookie(res)).toBeNull();
    expect(done.statusCode, done.body).toBe(200);
    const body = done.json() as LoginCodeReply;
    expect(body.user.role).toBe('projectleider');
    expect(body.recoveryCodes).toHaveLength(10);
    const client = clientFrom(t, done);
    const status = (await client.inject({ method: 'GET', url: '/api/auth/two-factor' })).json();
    expect(status).toMatchObject({ enabled: true, required: true, recoveryCodesLeft: 10 });
    // It cannot be switched off while required.
    advance(30 * SECOND);
    const off = await client.inject({
      method: 'POST',
      url: '/api/auth/two-factor/disable',
      payload: { password: TEST_PASSWORD, code: codeFor(enrol.secret) },
    });
    expectError(off, 409, 'two_factor_required');
    // The next sign-in asks for a code; the bestuur account is not affected.
    expect((await postLogin(t, 'leider@regio.example.org')).json()).toMatchObject({ twoFactor: 'required' });
    expect((await postLogin(t, EMAIL)).json()).toHaveProperty('csrfToken');
  });

  it('when the enrolment code is wrong, then nothing is switched on and no session starts', async () => {
    // Arrange
    await start({ requireTwoFactor: 'all' });
    await insertTestUser(t.db, EMAIL, 'bestuur');
    const enrol = (await postLogin(t, EMAIL)).json() as TwoFactorEnrol;
    const wrong = codeFor(enrol.secret) === '000000' ? '111111' : '000000';

    // Act
    const res = await postCode(enrol.challenge, wrong);

    // Assert
    expectFieldError(res, 401, 'invalid_two_factor_code', 'code');
    const user = await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', EMAIL)
      .executeTakeFirstOrThrow();
    expect(user.totp_enabled_at).toBeNull();
    expect(user.last_login_at).toBeNull();
  });
});

describe('resetting another account (lost phone)', () => {
  it('when the projectleider resets an account, then its sessions end, the next login needs only the password, and the history shows who did it', async () => {
    // Arrange
    await start();
    const { id, secret } = await accountWithTwoFactor();
    const session = clientFrom(t, await postCode(await passwordStep(), codeFor(secret)));
    await insertTestUser(t.db, 'leider@regio.example.org', 'projectleider');
    const admin = await signIn('leider@regio.example.org');

    // Act
    const res = await admin.inject({ method: 'DELETE', url: `/api/users/${id}/two-factor` });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, email: EMAIL });
    expectError(await session.inject({ method: 'GET', url: '/api/auth/me' }), 401, 'unauthenticated');
    expect((await postLogin(t, EMAIL)).json()).toHaveProperty('csrfToken');
    const audit = (await admin.inject({ method: 'GET', url: '/api/audit?entity=user' })).json() as {
      items: Revision[];
    };
    expect(
      audit.items.find((r) => r.entityId === id && r.actor === 'leider@regio.example.org'),
    ).toMatchObject({
      action: 'update',
      before: { twoFactor: true },
      after: { twoFactor: false },
    });
    // Nothing left to reset.
    expectError(
      await admin.inject({ method: 'DELETE', url: `/api/users/${id}/two-factor` }),
      409,
      'two_factor_not_enabled',
    );
  });

  it('when a projectleider tries to reset their own, or a bestuur account tries it, then it is refused', async () => {
    // Arrange
    await start();
    const { id: leader, secret } = await accountWithTwoFactor('leider@regio.example.org', 'projectleider');
    const admin = clientFrom(
      t,
      await postCode(await passwordStep('leider@regio.example.org'), codeFor(secret)),
    );
    await insertTestUser(t.db, EMAIL, 'bestuur');
    const bestuur = await signIn(EMAIL);

    // Act
    const own = await admin.inject({ method: 'DELETE', url: `/api/users/${leader}/two-factor` });
    const other = await bestuur.inject({ method: 'DELETE', url: `/api/users/${leader}/two-factor` });

    // Assert
    expectError(own, 409, 'cannot_reset_own_two_factor');
    expectError(other, 403, 'forbidden');
  });
});
