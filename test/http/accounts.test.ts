import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../server/contracts/errors.contract.ts';
import type { User } from '../../server/contracts/user.contract.ts';
import {
  buildTestApp,
  insertTestUser,
  TEST_NOW,
  TEST_PASSWORD,
  type TestApp,
  testAppPerTest,
} from '../helpers.ts';
import {
  call,
  changeGear,
  createOrg,
  expectError,
  expectFieldError,
  type Organisation,
  postLogin,
  type Revision,
  sessionCookie,
  setGear,
  signIn,
} from './fixtures.ts';

// --- helpers local to this file ------------------------------------------------------------

const LEADER = 'projectleider@test.example.org';

function createUser(t: TestApp, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/users', payload });
}

async function userCount(t: TestApp): Promise<number> {
  return (await t.db.selectFrom('users').select('id').execute()).length;
}

async function leaderId(t: TestApp): Promise<number> {
  return (await t.db.selectFrom('users').select('id').where('email', '=', LEADER).executeTakeFirstOrThrow())
    .id;
}

async function audit(t: TestApp, query = ''): Promise<Revision[]> {
  return (await call<{ items: Revision[] }>(t.app, { method: 'GET', url: `/api/audit${query}` }, 200)).items;
}

const PASSWORD_A = 'Zomerse-Regenboog-4711';
const PASSWORD_B = 'wintersport in Oostenrijk 2026';

const t = testAppPerTest();
let orgA: Organisation;

beforeEach(async () => {
  orgA = await createOrg(t.app, { name: 'Gemeente A' });
});

// --- creating accounts ---------------------------------------------------------------------

describe('POST /api/users', () => {
  it('when the projectleider adds a bestuur account, then it is created without any password field and can log in', async () => {
    // Act
    const res = await createUser(t, {
      email: 'Bestuurder@Regio.example.org',
      role: 'bestuur',
      password: PASSWORD_A,
    });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(Number),
      email: 'Bestuurder@Regio.example.org',
      role: 'bestuur',
      organisationId: null,
      disabled: false,
      disabledAt: null,
      lastLoginAt: null,
      version: 1,
      createdAt: TEST_NOW.toISOString(),
      updatedAt: TEST_NOW.toISOString(),
    });
    const signedIn = await postLogin(t, 'bestuurder@regio.example.org', PASSWORD_A);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
  });

  it('when an organisatie account is added with an existing organisation, then it belongs to that organisation', async () => {
    // Act
    const res = await createUser(t, {
      email: 'medewerker@gemeente-a.example.org',
      role: 'organisatie',
      organisationId: orgA.id,
      password: PASSWORD_A,
    });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as User).organisationId).toBe(orgA.id);
    expect((res.json() as User).role).toBe('organisatie');
  });

  it('when the password is shorter than 12 characters, then it answers 400 weak_password and writes nothing', async () => {
    // Arrange
    const before = await userCount(t);

    // Act
    const res = await createUser(t, {
      email: 'kort@regio.example.org',
      role: 'bestuur',
      password: '12345678901',
    });

    // Assert
    expectFieldError(res, 400, 'weak_password', 'password');
    expect(await userCount(t)).toBe(before);
  });

  it('when the email already exists in another letter case, then it answers 409 duplicate_email', async () => {
    // Arrange
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const before = await userCount(t);

    // Act
    const res = await createUser(t, {
      email: 'BESTUURDER@Regio.Example.org',
      role: 'bestuur',
      password: PASSWORD_A,
    });

    // Assert
    expectFieldError(res, 409, 'duplicate_email', 'email');
    expect(await userCount(t)).toBe(before);
  });

  it.each<[string, (orgA: number) => Record<string, unknown>, ErrorCode]>([
    [
      'the organisatie role comes without organisationId',
      () => ({ role: 'organisatie' }),
      'organisation_required',
    ],
    [
      'the bestuur role comes with an organisationId',
      (orgA) => ({ role: 'bestuur', organisationId: orgA }),
      'organisation_not_allowed',
    ],
  ])('when %s, then it answers 400 naming organisationId', async (_label, fields, code) => {
    // Act
    const res = await createUser(t, {
      email: 'org@regio.example.org',
      password: PASSWORD_A,
      ...fields(orgA.id),
    });

    // Assert
    expectFieldError(res, 400, code, 'organisationId');
  });

  it('when the organisatie role names an organisation that does not exist, then it answers 404', async () => {
    // Act
    const res = await createUser(t, {
      email: 'org@regio.example.org',
      role: 'organisatie',
      organisationId: 99_999,
      password: PASSWORD_A,
    });

    // Assert
    expectError(res, 404, 'organisation_not_found');
  });

  const badBodies: Array<[string, number, Partial<InjectOptions>]> = [
    ['no body', 400, {}],
    ['an empty object', 400, { payload: {} }],
    ['a missing password', 400, { payload: { email: 'a@b.nl', role: 'bestuur' } }],
    ['a number as email', 400, { payload: { email: 5, role: 'bestuur', password: PASSWORD_A } }],
    [
      'an email that is no address',
      400,
      { payload: { email: 'geen adres', role: 'bestuur', password: PASSWORD_A } },
    ],
    ['an unknown role', 400, { payload: { email: 'a@b.nl', role: 'beheerder', password: PASSWORD_A } }],
    [
      'a string as organisationId',
      400,
      { payload: { email: 'a@b.nl', role: 'organisatie', organisationId: '1', password: PASSWORD_A } },
    ],
    [
      'a fraction as organisationId',
      400,
      { payload: { email: 'a@b.nl', role: 'organisatie', organisationId: 1.5, password: PASSWORD_A } },
    ],
    [
      'a negative organisationId',
      400,
      { payload: { email: 'a@b.nl', role: 'organisatie', organisationId: -1, password: PASSWORD_A } },
    ],
    ['an array as body', 400, { payload: [{ email: 'a@b.nl', role: 'bestuur', password: PASSWORD_A }] }],
    ['an array as password', 400, { payload: { email: 'a@b.nl', role: 'bestuur', password: [PASSWORD_A] } }],
    [
      'an extra passwordHash field',
      400,
      { payload: { email: 'a@b.nl', role: 'bestuur', password: PASSWORD_A, passwordHash: 'scrypt$1' } },
    ],
    [
      'a password of 5000 characters',
      400,
      { payload: { email: 'a@b.nl', role: 'bestuur', password: 'x'.repeat(5000) } },
    ],
    [
      'a body over 1 MB',
      413,
      {
        payload: {
          email: 'a@b.nl',
          role: 'bestuur',
          password: PASSWORD_A,
          pad: 'x'.repeat(1024 * 1024 + 10),
        },
      },
    ],
    ['a text/plain body', 415, { payload: 'email=a@b.nl', headers: { 'content-type': 'text/plain' } }],
  ];

  it.each(badBodies)(
    'when the body is %s, then it answers %i with the error shape and creates nothing',
    async (_, status, opts) => {
      // Arrange
      const before = await userCount(t);

      // Act
      const res = await t.app.inject({ method: 'POST', url: '/api/users', ...opts });

      // Assert
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json() as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(typeof body.error.code).toBe('string');
      expect(body.error.message.length).toBeGreaterThan(0);
      expect(await userCount(t)).toBe(before);
    },
  );
});

describe('GET /api/users', () => {
  it('when the projectleider lists the accounts, then every account is listed without password data', async () => {
    // Arrange
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    await insertTestUser(t.db, 'medewerker@gemeente-a.example.org', 'organisatie', orgA.id);

    // Act
    const users = await call<User[]>(t.app, { method: 'GET', url: '/api/users' }, 200);

    // Assert
    expect(users.map((u) => [u.email, u.role, u.organisationId]).sort()).toEqual(
      [
        ['bestuurder@regio.example.org', 'bestuur', null],
        ['medewerker@gemeente-a.example.org', 'organisatie', orgA.id],
        [LEADER, 'projectleider', null],
      ].sort(),
    );
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password|hash/i);
  });
});

// --- changing accounts ---------------------------------------------------------------------

describe('PATCH /api/users/:id', () => {
  it('when an account is disabled, then its open session ends at once and it can no longer log in', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const client = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, payload: { disabled: true } });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, disabled: true, disabledAt: TEST_NOW.toISOString() });
    expectError(await client.inject({ method: 'GET', url: '/api/auth/me' }), 401, 'unauthenticated');
    // The right password of a disabled account hears that it is disabled (a wrong one gets the usual 401).
    expectError(await postLogin(t, 'bestuurder@regio.example.org'), 403, 'user_disabled');
  });

  it('when a disabled account is enabled again, then it can log in again', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    await call(t.app, { method: 'PATCH', url: `/api/users/${id}`, payload: { disabled: true } }, 200);

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      payload: { disabled: false },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ disabled: false, disabledAt: null });
    expect((await postLogin(t, 'bestuurder@regio.example.org')).statusCode).toBe(200);
  });

  it('when a bestuur account becomes an organisatie account, then the new role and organisation are stored and shown at the next login', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'wisselaar@regio.example.org', 'bestuur');

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      payload: { role: 'organisatie', organisationId: orgA.id },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, role: 'organisatie', organisationId: orgA.id });
    const relogin = await postLogin(t, 'wisselaar@regio.example.org');
    expect(relogin.json()).toMatchObject({ user: { role: 'organisatie', organisationId: orgA.id } });
  });

  it('when a projectleider is demoted, then the open session can no longer do what a projectleider may', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'collega@regio.example.org', 'projectleider');
    const colleague = await signIn(t, 'collega@regio.example.org');

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      payload: { role: 'bestuur' },
    });
    const write = await colleague.inject({ method: 'POST', url: '/api/sectors', payload: { name: 'Sport' } });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect([401, 403]).toContain(write.statusCode);
    expect(
      (await t.db.selectFrom('sectors').select('name').where('name', '=', 'Sport').execute()).length,
    ).toBe(0);
  });

  it('when the bestuur role gets an organisationId, then it answers 400', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      payload: { organisationId: orgA.id },
    });

    // Assert
    expectError(res, 400, 'organisation_not_allowed');
  });

  it('when the signed-in projectleider tries to disable their own account, then it answers 409 and nothing changes', async () => {
    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${await leaderId(t)}`,
      payload: { disabled: true },
    });

    // Assert
    expectError(res, 409, 'cannot_disable_self');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });

  it('when the last active projectleider would be demoted, then it answers 409 last_projectleider', async () => {
    // Arrange: another projectleider exists but is disabled, so it does not count.
    const other = await insertTestUser(t.db, 'oud@regio.example.org', 'projectleider');
    await call(t.app, { method: 'PATCH', url: `/api/users/${other}`, payload: { disabled: true } }, 200);

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${await leaderId(t)}`,
      payload: { role: 'bestuur' },
    });

    // Assert
    expectError(res, 409, 'last_projectleider');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toMatchObject({ user: { role: 'projectleider' } });
  });

  it('when another active projectleider exists, then a projectleider may hand over and become bestuur', async () => {
    // Arrange
    await insertTestUser(t.db, 'opvolger@regio.example.org', 'projectleider');

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${await leaderId(t)}`,
      payload: { role: 'bestuur' },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as User).role).toBe('bestuur');
  });

  const badPatches: Array<[string, number, string, unknown]> = [
    ['a non-numeric id', 400, 'abc', { disabled: true }],
    ['an id of zero', 400, '0', { disabled: true }],
    ['an unknown id', 404, '99999', { disabled: true }],
    ['a string as disabled', 400, '{id}', { disabled: 'ja' }],
    ['an unknown role', 400, '{id}', { role: 'beheerder' }],
    ['a string organisationId', 400, '{id}', { organisationId: '1' }],
    ['an unknown field', 400, '{id}', { email: 'ander@regio.example.org' }],
    ['an array body', 400, '{id}', [{ disabled: true }]],
  ];

  it.each(badPatches)(
    'when the patch has %s, then it answers %i with the error shape and changes nothing',
    async (_, status, idText, payload) => {
      // Arrange
      const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
      const before = await t.db.selectFrom('users').selectAll().execute();

      // Act
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${idText.replace('{id}', String(id))}`,
        payload: payload as InjectOptions['payload'],
      });

      // Assert
      expect(res.statusCode, res.body).toBe(status);
      expect(Object.keys(res.json() as object)).toEqual(['error']);
      expect(await t.db.selectFrom('users').selectAll().execute()).toEqual(before);
    },
  );
});

describe('POST /api/users/:id/password', () => {
  it('when the projectleider sets a new password, then the old one stops working, the new one works and open sessions end', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const client = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      payload: { password: PASSWORD_B },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.stringify(res.json())).not.toMatch(/scrypt|password/i);
    expectError(await client.inject({ method: 'GET', url: '/api/auth/me' }), 401, 'unauthenticated');
    expectError(
      await postLogin(t, 'bestuurder@regio.example.org', TEST_PASSWORD),
      401,
      'invalid_credentials',
    );
    expect((await postLogin(t, 'bestuurder@regio.example.org', PASSWORD_B)).statusCode).toBe(200);
  });

  it('when the new password is too short, then it answers 400 weak_password and the old password still works', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      payload: { password: 'kort' },
    });

    // Assert
    expectFieldError(res, 400, 'weak_password', 'password');
    expect((await postLogin(t, 'bestuurder@regio.example.org', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it.each([
    ['no body', undefined],
    ['a number as password', { password: 123456789012 }],
    ['an extra field', { password: PASSWORD_B, email: 'x@y.nl' }],
  ])('when the body has %s, then it answers 400 with the error shape', async (_, payload) => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      ...(payload === undefined ? {} : { payload }),
    });

    // Assert
    expect(res.statusCode, res.body).toBe(400);
    expect(Object.keys(res.json() as object)).toEqual(['error']);
  });

  it('when the account does not exist, then it answers 404', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users/99999/password',
      payload: { password: PASSWORD_B },
    });

    // Assert
    expectError(res, 404, 'user_not_found');
  });
});

describe('DELETE /api/users/:id', () => {
  it('when an account is removed, then its open session ends at once and it is no longer listed', async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const client = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: `/api/users/${id}` });

    // Assert
    expect(res.statusCode, res.body).toBe(204);
    expectError(await client.inject({ method: 'GET', url: '/api/auth/me' }), 401, 'unauthenticated');
    expectError(await postLogin(t, 'bestuurder@regio.example.org'), 401, 'invalid_credentials');
    const users = await call<User[]>(t.app, { method: 'GET', url: '/api/users' }, 200);
    expect(users.map((u) => u.email)).toEqual([LEADER]);
  });

  it('when the signed-in projectleider tries to remove their own (the last) account, then it answers 409', async () => {
    // Act
    const res = await t.app.inject({ method: 'DELETE', url: `/api/users/${await leaderId(t)}` });

    // Assert
    expectError(res, 409, 'cannot_remove_self');
    expect(await userCount(t)).toBe(1);
  });

  it('when the account does not exist, then it answers 404', async () => {
    // Act
    const res = await t.app.inject({ method: 'DELETE', url: '/api/users/99999' });

    // Assert
    expectError(res, 404, 'user_not_found');
  });
});

describe('account management as another role', () => {
  it.each([
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['PATCH', '/api/users/1'],
    ['POST', '/api/users/1/password'],
    ['DELETE', '/api/users/1'],
  ] as const)('when bestuur calls %s %s, then it answers 403', async (method, url) => {
    // Arrange
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const board = await signIn(t, 'bestuurder@regio.example.org');
    const before = await t.db.selectFrom('users').selectAll().execute();

    // Act
    const res = await board.inject({
      method,
      url,
      ...(method === 'GET' || method === 'DELETE'
        ? {}
        : { payload: { email: 'x@y.nl', role: 'projectleider', password: PASSWORD_A } }),
    });

    // Assert
    expectError(res, 403, 'forbidden');
    expect(await t.db.selectFrom('users').selectAll().execute()).toEqual(before);
  });
});

// --- secrets at rest -----------------------------------------------------------------------

describe('secrets in the database', () => {
  async function everyTextValue(): Promise<string[]> {
    const tables = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(t.db);
    const values: string[] = [];
    for (const { name } of tables.rows) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(t.db)).rows;
      for (const row of rows) {
        for (const value of Object.values(row)) {
          if (typeof value === 'string') values.push(value);
          else if (value instanceof Uint8Array) values.push(Buffer.from(value).toString('latin1'));
        }
      }
    }
    return values;
  }

  it('when accounts, a password reset, a share link and sessions exist, then no password, share token or session token is stored in plain text', async () => {
    // Arrange
    const a = (await call<User>(
      t.app,
      {
        method: 'POST',
        url: '/api/users',
        payload: { email: 'a@regio.example.org', role: 'bestuur', password: PASSWORD_A },
      },
      201,
    )) as User;
    await call(
      t.app,
      {
        method: 'POST',
        url: '/api/users',
        payload: {
          email: 'b@regio.example.org',
          role: 'organisatie',
          organisationId: orgA.id,
          password: PASSWORD_A,
        },
      },
      201,
    );
    const resetPassword = 'opnieuw ingesteld wachtwoord!';
    await call(
      t.app,
      { method: 'POST', url: `/api/users/${a.id}/password`, payload: { password: resetPassword } },
      200,
    );
    const session = await signIn(t, 'a@regio.example.org', resetPassword);
    const link = await call<{ token: string }>(
      t.app,
      { method: 'POST', url: `/api/organisations/${orgA.id}/share-links`, payload: { expiresInDays: 7 } },
      201,
    );
    const opened = await t.anonymous({
      method: 'POST',
      url: '/api/auth/share',
      payload: { token: link.token },
    });
    const shareSession = sessionCookie(opened)!.value;
    const secrets = {
      PASSWORD_A,
      resetPassword,
      TEST_PASSWORD,
      shareToken: link.token,
      sessionToken: session.token,
      shareSessionToken: shareSession,
    };

    // Act
    const values = await everyTextValue();
    const files = readdirSync(t.dir).map((f) => readFileSync(join(t.dir, f)).toString('latin1'));

    // Assert
    expect(values.length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(10);
      expect(
        values.filter((v) => v.includes(secret)),
        `${name} found in a column`,
      ).toEqual([]);
      expect(files.filter((f) => f.includes(secret)).length, `${name} found in the database files`).toBe(0);
    }
    const hashes = await t.db.selectFrom('users').select(['email', 'password_hash']).execute();
    for (const { email, password_hash } of hashes) {
      expect(password_hash.startsWith('scrypt$'), email).toBe(true);
    }
    // Salted: the same password gives different hashes.
    const b = hashes.find((h) => h.email === 'b@regio.example.org')!;
    const first = hashes.find((h) => h.email === LEADER)!;
    expect(b.password_hash).not.toBe(first.password_hash);
    // The change history keeps no hash either.
    const revisions = await t.db.selectFrom('revisions').select(['before', 'after']).execute();
    expect(JSON.stringify(revisions)).not.toMatch(/scrypt|password_?hash/i);
  });

  it('when two accounts get the same password through the API, then their stored hashes differ', async () => {
    // Act
    for (const email of ['een@regio.example.org', 'twee@regio.example.org']) {
      await call(
        t.app,
        { method: 'POST', url: '/api/users', payload: { email, role: 'bestuur', password: PASSWORD_B } },
        201,
      );
    }

    // Assert
    const rows = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', 'in', ['een@regio.example.org', 'twee@regio.example.org'])
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
    expect(rows.every((r) => r.password_hash.startsWith('scrypt$'))).toBe(true);
  });
});

// --- change history ------------------------------------------------------------------------

describe('GET /api/audit', () => {
  it('when the projectleider changes a gear, then the history shows before and after and the signed-in email as actor', async () => {
    // Arrange
    const created = await setGear(t.app, orgA.id, '2026-Q4', 2);
    await changeGear(t.app, orgA.id, '2026-Q4', 3, created.version);

    // Act
    const items = await audit(t);

    // Assert
    const update = items.find((i) => i.entity === 'quickscan' && i.action === 'update');
    expect(update).toBeDefined();
    expect(update!.actor).toBe(LEADER);
    expect(update!.organisationId).toBe(orgA.id);
    expect(update!.before).toMatchObject({ gear: 2 });
    expect(update!.after).toMatchObject({ gear: 3 });
    expect(items.every((i) => i.actor === LEADER)).toBe(true);
  });

  it('when user X changes a gear, then the history names X as actor and keeps the earlier gear in before', async () => {
    // Arrange
    const created = await setGear(t.app, orgA.id, '2026-Q4', 4);
    await insertTestUser(t.db, 'x@regio.example.org', 'projectleider');
    const x = await signIn(t, 'x@regio.example.org');
    const change = await x.inject({
      method: 'PUT',
      url: `/api/organisations/${orgA.id}/gears/2026-Q4`,
      payload: { gear: 2, expectedVersion: created.version },
    });
    expect(change.statusCode, change.body).toBe(200);

    // Act
    const items = await audit(t, `?organisationId=${orgA.id}&entity=quickscan`);

    // Assert
    expect(items.map((i) => [i.action, i.actor])).toEqual([
      ['update', 'x@regio.example.org'],
      ['create', LEADER],
    ]);
    expect(items[0]!.before).toMatchObject({ gear: 4 });
    expect(items[0]!.after).toMatchObject({ gear: 2 });
  });

  it('when filtered by organisation, then only that organisation’s changes are listed', async () => {
    // Arrange
    const orgB = await createOrg(t.app, { name: 'Gemeente B' });
    await setGear(t.app, orgA.id, '2026-Q4', 2);
    await setGear(t.app, orgB.id, '2026-Q4', 3);

    // Act
    const onlyB = await audit(t, `?organisationId=${orgB.id}`);

    // Assert
    expect(onlyB.length).toBeGreaterThanOrEqual(2);
    expect(onlyB.every((i) => i.organisationId === orgB.id)).toBe(true);
    expect(onlyB.some((i) => i.entity === 'quickscan' && (i.after as { gear?: number }).gear === 3)).toBe(
      true,
    );
  });

  it('when account changes happen, then they appear in the history without password data', async () => {
    // Arrange
    const created = await call<User>(
      t.app,
      {
        method: 'POST',
        url: '/api/users',
        payload: { email: 'nieuw@regio.example.org', role: 'bestuur', password: PASSWORD_A },
      },
      201,
    );
    await call(t.app, { method: 'PATCH', url: `/api/users/${created.id}`, payload: { disabled: true } }, 200);

    // Act
    const items = await audit(t, '?entity=user');

    // Assert
    expect(items.map((i) => [i.action, i.entityId, i.actor])).toEqual([
      ['disable', created.id, LEADER],
      ['create', created.id, LEADER],
    ]);
    expect(items[0]!.before).toMatchObject({ disabled: false });
    expect(items[0]!.after).toMatchObject({ disabled: true });
    expect(JSON.stringify(items)).not.toContain(PASSWORD_A);
    expect(JSON.stringify(items)).not.toMatch(/scrypt|hash/i);
  });

  it('when bestuur or an anonymous client asks for the history, then bestuur gets 403 and anonymous 401', async () => {
    // Arrange
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const board = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const asBoard = await board.inject({ method: 'GET', url: '/api/audit' });
    const asNobody = await t.anonymous({ method: 'GET', url: '/api/audit' });

    // Assert
    expectError(asBoard, 403, 'forbidden');
    expectError(asNobody, 401, 'unauthenticated');
  });

  it.each([
    ['a date that is no date', '?from=gisteren'],
    ['a reversed period', '?from=2026-11-10&to=2026-11-01'],
    ['an organisationId that is no number', '?organisationId=abc'],
    ['a limit above the maximum', '?limit=100000'],
  ])('when the query has %s, then it answers 400', async (_, query) => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: `/api/audit${query}` });

    // Assert
    expect(res.statusCode, res.body).toBe(400);
    expect(Object.keys(res.json() as object)).toEqual(['error']);
  });
});

describe('GET /api/audit filtered by period', () => {
  let now: Date;

  beforeEach(async () => {
    await t.close();
    now = new Date('2026-11-10T09:00:00Z');
    // A long idle time: the clock jumps days ahead while the test session stays signed in. It
    // takes the place of this test's app, so the per-test hook closes it.
    Object.assign(t, await buildTestApp({ now: () => now, config: { sessionIdleMs: 30 * 86_400_000 } }));
    orgA = await createOrg(t.app, { name: 'Gemeente A' }); // 10 November
  });

  it('when changes happen on different days, then from and to select the period, a bare "to" date including that day', async () => {
    // Arrange
    now = new Date('2026-11-12T15:30:00Z');
    const created = await setGear(t.app, orgA.id, '2026-Q4', 2); // 12 November
    now = new Date('2026-11-14T08:00:00Z');
    await changeGear(t.app, orgA.id, '2026-Q4', 3, created.version); // 14 November

    // Act
    const middle = await audit(t, '?from=2026-11-11&to=2026-11-12');
    const fromThe13th = await audit(t, '?from=2026-11-13');
    const untilThe10th = await audit(t, '?to=2026-11-10');
    const byTime = await audit(t, '?from=2026-11-12T15:30:00Z&to=2026-11-14T07:59:59Z');

    // Assert
    expect(middle.map((i) => [i.entity, i.action, i.at])).toEqual([
      ['quickscan', 'create', '2026-11-12T15:30:00.000Z'],
    ]);
    expect(fromThe13th.map((i) => [i.entity, i.action])).toEqual([['quickscan', 'update']]);
    expect(untilThe10th.map((i) => [i.entity, i.action])).toEqual([['organisation', 'create']]);
    expect(byTime.map((i) => i.action)).toEqual(['create']);
  });
});
