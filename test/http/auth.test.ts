import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import type { Session as SessionBody } from '../../server/contracts/auth.contract.ts';
import { buildTestApp, insertTestUser, TEST_NOW, TEST_PASSWORD, type TestApp } from '../helpers.ts';
import { clientFrom, createOrg, expectError, postLogin, sessionCookie, signIn } from './fixtures.ts';

// --- helpers local to this file ------------------------------------------------------------

/** Every row of every table, to prove a refused request wrote nothing. */
async function dumpDatabase(t: TestApp): Promise<Record<string, unknown[]>> {
  const tables = await sql<{ name: string }>`
    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(
    t.db,
  );
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables.rows) {
    dump[name] = (await sql`SELECT * FROM ${sql.table(name)}`.execute(t.db)).rows;
  }
  return dump;
}

const MINUTE = 60_000;

let t: TestApp;

afterEach(async () => {
  await t?.close();
});

// --- login, me, logout ---------------------------------------------------------------------

describe('POST /api/auth/login', () => {
  it('when the email and password are correct, then it answers the user, a CSRF token and sets an HttpOnly Lax session cookie', async () => {
    // Arrange
    t = await buildTestApp(); // the signed-in projectleider adds the organisation
    const orgId = (await createOrg(t.app, { name: 'Gemeente A' })).id;
    await insertTestUser(t.db, 'medewerker@gemeente-a.example.org', 'organisatie', orgId);

    // Act
    const res = await postLogin(t, 'medewerker@gemeente-a.example.org', TEST_PASSWORD);

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as SessionBody;
    expect(body).toEqual({
      user: { email: 'medewerker@gemeente-a.example.org', role: 'organisatie', organisationId: orgId },
      csrfToken: expect.any(String),
      via: 'account',
    });
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(22);
    const cookie = sessionCookie(res);
    expect(cookie).not.toBeNull();
    expect(cookie!.value.length).toBeGreaterThanOrEqual(22);
    expect(cookie!.attributes).toHaveProperty('httponly');
    expect(cookie!.attributes.samesite?.toLowerCase()).toBe('lax');
    expect(cookie!.attributes.path).toBe('/');
    expect(cookie!.attributes).not.toHaveProperty('secure');
  });

  it('when the email differs only in case and surrounding spaces, then the login still succeeds', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const res = await postLogin(t, '  Bestuurder@REGIO.example.org ', TEST_PASSWORD);

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SessionBody).user).toEqual({
      email: 'bestuurder@regio.example.org',
      role: 'bestuur',
      organisationId: null,
    });
  });

  it('when signed in, then GET /api/auth/me returns the same user and CSRF token as the login', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const login = await postLogin(t, 'bestuurder@regio.example.org', TEST_PASSWORD);
    const client = clientFrom(t, login);

    // Act
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toEqual(login.json());
  });

  it('when the password is wrong or the email unknown, then both answer the identical 401 invalid_credentials', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const wrongPassword = await postLogin(t, 'bestuurder@regio.example.org', 'niet het goede wachtwoord');
    const unknownEmail = await postLogin(t, 'niemand@regio.example.org', 'niet het goede wachtwoord');

    // Assert
    expectError(wrongPassword, 401, 'invalid_credentials');
    expectError(unknownEmail, 401, 'invalid_credentials');
    expect(wrongPassword.body).toBe(unknownEmail.body);
    expect(sessionCookie(wrongPassword)).toBeNull();
    expect(sessionCookie(unknownEmail)).toBeNull();
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('when the account is disabled, then a wrong password answers the same 401 as for an unknown account', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const id = await insertTestUser(t.db, 'oud@regio.example.org', 'bestuur');
    await t.db
      .updateTable('users')
      .set({ disabled_at: TEST_NOW.toISOString() })
      .where('id', '=', id)
      .execute();
    const reference = await postLogin(t, 'niemand@regio.example.org', 'een verkeerd wachtwoord');

    // Act
    const res = await postLogin(t, 'oud@regio.example.org', 'een verkeerd wachtwoord');

    // Assert
    expectError(res, 401, 'invalid_credentials');
    expect(res.body).toBe(reference.body);
    expect(sessionCookie(res)).toBeNull();
  });

  it('when the account is disabled, then the right password hears that it is disabled and whom to ask, and gets no session', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const id = await insertTestUser(t.db, 'oud@regio.example.org', 'bestuur');
    await t.db
      .updateTable('users')
      .set({ disabled_at: TEST_NOW.toISOString() })
      .where('id', '=', id)
      .execute();

    // Act
    const res = await postLogin(t, 'oud@regio.example.org', TEST_PASSWORD);

    // Assert
    const body = expectError(res, 403, 'user_disabled');
    expect(body.error.message).toBe(
      'dit account is uitgeschakeld. Vraag de projectleider om het weer aan te zetten',
    );
    expect(sessionCookie(res)).toBeNull();
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });
});

describe('the Secure flag of the session cookie', () => {
  const cases: Array<[string, boolean, Partial<Config>, Record<string, string>]> = [
    ['COOKIE_SECURE=always over plain http', true, { cookieSecure: 'always' }, {}],
    [
      'COOKIE_SECURE=never behind an https proxy',
      false,
      { cookieSecure: 'never', trustProxy: true },
      { 'x-forwarded-proto': 'https' },
    ],
    ['COOKIE_SECURE=auto over plain http', false, { cookieSecure: 'auto' }, {}],
    [
      'COOKIE_SECURE=auto behind a trusted https proxy',
      true,
      { cookieSecure: 'auto', trustProxy: true },
      { 'x-forwarded-proto': 'https' },
    ],
    [
      'COOKIE_SECURE=auto with x-forwarded-proto from an untrusted client',
      false,
      { cookieSecure: 'auto', trustProxy: false },
      { 'x-forwarded-proto': 'https' },
    ],
  ];

  it.each(cases)('when %s, then Secure is set: %s', async (_, secure, config, headers) => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous', config });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const res = await postLogin(t, 'bestuurder@regio.example.org', TEST_PASSWORD, { headers });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    const cookie = sessionCookie(res)!;
    expect('secure' in cookie.attributes).toBe(secure);
    expect(cookie.attributes).toHaveProperty('httponly');
    expect(cookie.attributes.samesite?.toLowerCase()).toBe('lax');
  });
});

describe('POST /api/auth/logout', () => {
  it('when a signed-in user logs out, then the old cookie no longer works at once', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const client = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const logout = await client.inject({ method: 'POST', url: '/api/auth/logout' });
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expect(logout.statusCode, logout.body).toBe(204);
    const cleared = sessionCookie(logout);
    expect(cleared).not.toBeNull();
    expect(cleared!.value).toBe('');
    expectError(me, 401, 'unauthenticated');
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('when logout comes without the X-CSRF-Token header, then 403 csrf_failed and the session lives on', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const client = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const logout = await t.anonymous({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `vpt_sessie=${client.token}` },
    });
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expectError(logout, 403, 'csrf_failed');
    expect(me.statusCode, me.body).toBe(200);
  });

  it('when nobody is signed in, then logout answers 401', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({ method: 'POST', url: '/api/auth/logout' });

    // Assert
    expectError(res, 401, 'unauthenticated');
  });

  it('when the cookie holds an unknown token, then me answers 401 and clears the cookie', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'vpt_sessie=verzonnen-token-dat-niet-bestaat' },
    });

    // Assert
    expectError(res, 401, 'unauthenticated');
    expect(sessionCookie(res)?.value).toBe('');
  });
});

// --- idle expiry ---------------------------------------------------------------------------

describe('session idle expiry', () => {
  let now: Date;
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  async function buildClockedApp(): Promise<void> {
    now = TEST_NOW;
    t = await buildTestApp({ as: 'anonymous', now: () => now, config: { sessionIdleMs: 60 * MINUTE } });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
  }

  it('when the session is idle longer than the idle time, then the next request answers 401', async () => {
    // Arrange
    await buildClockedApp();
    const client = await signIn(t, 'bestuurder@regio.example.org');
    advance(60 * MINUTE + 1);

    // Act
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expectError(me, 401, 'unauthenticated');
  });

  it('when the session is idle just under the idle time, then it still works', async () => {
    // Arrange
    await buildClockedApp();
    const client = await signIn(t, 'bestuurder@regio.example.org');
    advance(59 * MINUTE);

    // Act
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expect(me.statusCode, me.body).toBe(200);
  });

  it('when the last request came seconds after the last stored activity, then the session ends exactly the idle time after that request, not earlier', async () => {
    // Arrange: a request 30 seconds after login (the stored time is written at most once a minute).
    await buildClockedApp();
    const client = await signIn(t, 'bestuurder@regio.example.org');
    advance(30_000);
    expect((await client.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);

    // Act: just under the idle time after that request, and then exactly at it.
    advance(60 * MINUTE - 1);
    const justUnder = await client.inject({ method: 'GET', url: '/api/auth/me' });
    advance(60 * MINUTE);
    const exactlyAt = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expect(justUnder.statusCode, justUnder.body).toBe(200);
    expectError(exactlyAt, 401, 'unauthenticated');
  });

  it('when the user is active within each idle window, then the session outlives the idle time since login', async () => {
    // Arrange
    await buildClockedApp();
    const client = await signIn(t, 'bestuurder@regio.example.org');
    advance(50 * MINUTE);
    const between = await client.inject({ method: 'GET', url: '/api/auth/me' });
    advance(50 * MINUTE);

    // Act
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expect(between.statusCode, between.body).toBe(200);
    expect(me.statusCode, me.body).toBe(200);
  });

  it('when the user is active within each idle window, then the cookie held by the browser has not expired either', async () => {
    // Arrange: a cookie jar that honours Max-Age/Expires the way a browser does, on the app's clock.
    await buildClockedApp();
    const jar = { value: '', expiresAt: Number.POSITIVE_INFINITY };
    const remember = (res: LightMyRequestResponse) => {
      const c = sessionCookie(res);
      if (!c) return;
      jar.value = c.value;
      if (c.attributes['max-age'] !== undefined)
        jar.expiresAt = now.getTime() + Number(c.attributes['max-age']) * 1000;
      else if (c.attributes.expires !== undefined) jar.expiresAt = Date.parse(c.attributes.expires);
      else jar.expiresAt = Number.POSITIVE_INFINITY;
    };
    const login = await postLogin(t, 'bestuurder@regio.example.org', TEST_PASSWORD);
    remember(login);
    advance(50 * MINUTE);
    remember(
      await t.anonymous({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: `vpt_sessie=${jar.value}` },
      }),
    );
    advance(50 * MINUTE);

    // Act: would the browser still send the cookie 100 minutes after login (idle time 60)?
    const stillSent = jar.expiresAt > now.getTime();

    // Assert
    expect(
      stillSent,
      'the cookie Max-Age is set once at login; an active user loses the cookie after the idle time since login',
    ).toBe(true);
  });

  it('when an idle session has expired, then activity afterwards does not revive it', async () => {
    // Arrange
    await buildClockedApp();
    const client = await signIn(t, 'bestuurder@regio.example.org');
    advance(61 * MINUTE);
    await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Act
    advance(1 * MINUTE);
    const again = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expectError(again, 401, 'unauthenticated');
  });
});

// --- CSRF ----------------------------------------------------------------------------------

describe('CSRF protection', () => {
  /** Routes that need no session at all: they are reachable without a cookie, hence without CSRF. */
  const PUBLIC_WRITES = new Set([
    'POST /api/auth/login',
    'POST /api/auth/login/code',
    'POST /api/auth/setup',
    'POST /api/auth/share',
    'POST /api/invitations/by-token',
    'POST /api/invitations/accept',
  ]);

  async function stateChangingRoutes(orgId: number): Promise<InjectOptions[]> {
    const doc = (await t.anonymous({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes: InjectOptions[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const upper = method.toUpperCase();
        if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(upper)) continue;
        const url = `${path.startsWith('/api') ? '' : '/api'}${path}`
          .replace(/\{id\}/g, String(orgId))
          .replace(/\{quarter\}/g, '2026-Q4');
        if (PUBLIC_WRITES.has(`${upper} ${url}`)) continue;
        routes.push({
          method: upper as InjectOptions['method'],
          url,
          ...(upper === 'DELETE' ? {} : { payload: {} }),
        });
      }
    }
    return routes;
  }

  it('when a signed-in request changes state without X-CSRF-Token, then every such route answers 403 and nothing is written', async () => {
    // Arrange
    t = await buildTestApp();
    const org = await createOrg(t.app, { name: 'Gemeente A' });
    const routes = await stateChangingRoutes(org.id);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const before = await dumpDatabase(t);
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(1);

    // Act
    const results: string[] = [];
    for (const route of routes) {
      // The signed-in inject adds cookie and CSRF token; an explicit empty header wins over it.
      const res = await t.app.inject({ ...route, headers: { 'x-csrf-token': '' } });
      results.push(
        `${route.method} ${route.url} -> ${res.statusCode} ${(res.json() as { error?: { code?: string } }).error?.code}`,
      );
    }

    // Assert
    expect(results).toEqual(routes.map((r) => `${r.method} ${r.url} -> 403 csrf_failed`));
    expect(await dumpDatabase(t)).toEqual(before);
  });

  it('when the X-CSRF-Token header is missing altogether, then a write answers 403 and nothing is written', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'leider@regio.example.org', 'projectleider');
    const client = await signIn(t, 'leider@regio.example.org');
    const before = await dumpDatabase(t);
    const sector = await t.db.selectFrom('sectors').select('id').executeTakeFirstOrThrow();

    // Act
    const res = await t.anonymous({
      method: 'POST',
      url: '/api/organisations',
      headers: { cookie: `vpt_sessie=${client.token}` },
      payload: { name: 'Gemeente B', sectorId: sector.id },
    });

    // Assert
    expectError(res, 403, 'csrf_failed');
    expect(await dumpDatabase(t)).toEqual(before);
  });

  it.each([
    ['a wrong token', () => 'dit-is-niet-het-token'],
    ['the token of another session', (other: string) => other],
  ])(
    'when the X-CSRF-Token header carries %s, then a write answers 403 and nothing is written',
    async (_, pick) => {
      // Arrange
      t = await buildTestApp({ as: 'anonymous' });
      await insertTestUser(t.db, 'leider@regio.example.org', 'projectleider');
      await insertTestUser(t.db, 'collega@regio.example.org', 'projectleider');
      const client = await signIn(t, 'leider@regio.example.org');
      const other = await signIn(t, 'collega@regio.example.org');
      const before = await dumpDatabase(t);

      // Act
      const res = await client.inject({
        method: 'POST',
        url: '/api/sectors',
        headers: { 'x-csrf-token': pick(other.csrfToken) },
        payload: { name: 'Onderwijs en Cultuur' },
      });

      // Assert
      expectError(res, 403, 'csrf_failed');
      expect(await dumpDatabase(t)).toEqual(before);
    },
  );

  it('when the right X-CSRF-Token comes along, then the same write succeeds', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'leider@regio.example.org', 'projectleider');
    const client = await signIn(t, 'leider@regio.example.org');

    // Act
    const res = await client.inject({ method: 'POST', url: '/api/sectors', payload: { name: 'Cultuur' } });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
  });

  it('when a signed-in user only reads, then no X-CSRF-Token is needed', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const client = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const res = await t.anonymous({
      method: 'GET',
      url: '/api/sectors',
      headers: { cookie: `vpt_sessie=${client.token}` },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
  });
});

// --- rate limiting -------------------------------------------------------------------------

describe('login rate limiting', () => {
  const limits = { loginLimitPerAccount: 3, loginLimitPerIp: 5 };

  function expectTooMany(res: LightMyRequestResponse): void {
    expectError(res, 429, 'too_many_requests');
    const retryAfter = res.headers['retry-after'];
    expect(retryAfter, 'Retry-After header').toBeDefined();
    expect(Number(retryAfter)).toBeGreaterThan(0);
  }

  it('when one account fails too often, then the next attempt answers 429 with Retry-After, even with the right password', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous', config: limits });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const failures = [];
    for (let i = 0; i < 3; i++)
      failures.push(await postLogin(t, 'bestuurder@regio.example.org', `fout ${i}`));

    // Act
    const limited = await postLogin(t, 'bestuurder@regio.example.org', TEST_PASSWORD);

    // Assert
    expect(failures.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    expectTooMany(limited);
    expect(sessionCookie(limited)).toBeNull();
  });

  it('when the attempts for one account differ in letter case, then they count for the same account', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous', config: limits });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    await postLogin(t, 'bestuurder@regio.example.org', 'fout 1');
    await postLogin(t, 'BESTUURDER@regio.example.org', 'fout 2');
    await postLogin(t, 'Bestuurder@Regio.Example.Org', 'fout 3');

    // Act
    const limited = await postLogin(t, ' bestuurder@REGIO.example.org', 'fout 4');

    // Assert
    expectTooMany(limited);
  });

  it('when an account is limited, then attempts for it from another IP address are limited too', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous', config: limits });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    for (let i = 0; i < 3; i++) {
      await postLogin(t, 'bestuurder@regio.example.org', `fout ${i}`, { remoteAddress: '10.0.0.1' });
    }

    // Act
    const fromElsewhere = await postLogin(t, 'bestuurder@regio.example.org', 'fout 4', {
      remoteAddress: '10.0.0.2',
    });

    // Assert
    expectTooMany(fromElsewhere);
  });

  it('when another account signs in from the same IP, then the wait of the first account does not hold it up and its successes do not count', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous', config: limits });
    await insertTestUser(t.db, 'een@regio.example.org', 'bestuur');
    await insertTestUser(t.db, 'twee@regio.example.org', 'bestuur');
    for (let i = 0; i < 3; i++) await postLogin(t, 'een@regio.example.org', `fout ${i}`);
    const accountLimited = await postLogin(t, 'een@regio.example.org', 'fout 3'); // must wait: not counted

    // Act: more sign-ins from this IP than its limit of 5 failures, all right
    const others = [];
    for (let i = 0; i < 6; i++) others.push(await postLogin(t, 'twee@regio.example.org', TEST_PASSWORD));

    // Assert
    expectTooMany(accountLimited);
    expect(others.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('when many different emails are tried from one IP, then the per-IP limit stops them', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous', config: limits });
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push((await postLogin(t, `gok${i}@regio.example.org`, 'geraden wachtwoord')).statusCode);
    }

    // Act
    const limited = await postLogin(t, 'gok5@regio.example.org', 'geraden wachtwoord');
    const otherIp = await postLogin(t, 'gok6@regio.example.org', 'geraden wachtwoord', {
      remoteAddress: '10.9.9.9',
    });

    // Assert
    expect(answers).toEqual([401, 401, 401, 401, 401]);
    expectTooMany(limited);
    expectError(otherIp, 401, 'invalid_credentials');
  });
});

// --- first-run setup -----------------------------------------------------------------------

describe('first-run setup', () => {
  const SETUP_PASSWORD = 'eerste projectleider wachtwoord';

  it('when there are no accounts, then a setup token exists and GET /api/auth/setup says needed', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({ method: 'GET', url: '/api/auth/setup' });

    // Assert
    expect(typeof t.app.setupToken.value).toBe('string');
    expect(t.app.setupToken.value!.length).toBeGreaterThanOrEqual(22);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ needed: true });
  });

  it('when the token is wrong, then POST /api/auth/setup answers 404 and creates nothing', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token: 'verkeerd-token', email: 'leider@regio.example.org', password: SETUP_PASSWORD },
    });

    // Assert
    expectError(res, 404, 'setup_token_invalid');
    expect(await t.db.selectFrom('users').selectAll().execute()).toEqual([]);
    expect((await t.anonymous({ method: 'GET', url: '/api/auth/setup' })).json()).toEqual({ needed: true });
  });

  it('when the token is right, then the first projectleider is created and signed in, and the token stops working', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const token = t.app.setupToken.value!;

    // Act
    const res = await t.anonymous({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token, email: 'Leider@Regio.example.org', password: SETUP_PASSWORD },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as SessionBody).user).toEqual({
      email: 'Leider@Regio.example.org',
      role: 'projectleider',
      organisationId: null,
    });
    const users = await t.db.selectFrom('users').select(['email', 'role', 'disabled_at']).execute();
    expect(users).toEqual([{ email: 'Leider@Regio.example.org', role: 'projectleider', disabled_at: null }]);
    const client = clientFrom(t, res);
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode, me.body).toBe(200);
    expect((me.json() as SessionBody).user.role).toBe('projectleider');

    const second = await t.anonymous({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token, email: 'indringer@regio.example.org', password: SETUP_PASSWORD },
    });
    expectError(second, 404, 'setup_token_invalid');
    expect(await t.db.selectFrom('users').select('email').execute()).toHaveLength(1);
    expect((await t.anonymous({ method: 'GET', url: '/api/auth/setup' })).json()).toEqual({ needed: false });
    expect(t.app.setupToken.value).toBeNull();
  });

  it('when the first setup attempt has a too short password, then it answers 400 and the token still works', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const token = t.app.setupToken.value!;

    // Act
    const weak = await t.anonymous({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token, email: 'leider@regio.example.org', password: 'kort' },
    });
    const retry = await t.anonymous({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token, email: 'leider@regio.example.org', password: SETUP_PASSWORD },
    });

    // Assert
    expectError(weak, 400, 'weak_password');
    expect(retry.statusCode, retry.body).toBe(201);
  });

  it('when an account was added another way after start, then the setup token creates no second account', async () => {
    // Arrange: the app started without accounts (token issued); then an account appeared (e.g. via the CLI).
    t = await buildTestApp({ as: 'anonymous' });
    const token = t.app.setupToken.value!;
    await insertTestUser(t.db, 'cli@regio.example.org', 'projectleider');

    // Act
    const status = await t.anonymous({ method: 'GET', url: '/api/auth/setup' });
    const res = await t.anonymous({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token, email: 'indringer@regio.example.org', password: SETUP_PASSWORD },
    });

    // Assert
    expect(status.json()).toEqual({ needed: false });
    expect([404, 409]).toContain(res.statusCode);
    expect((res.json() as { error: { code: string } }).error.code).toMatch(/^setup_/);
    expect(await t.db.selectFrom('users').select('email').execute()).toEqual([
      { email: 'cli@regio.example.org' },
    ]);
    expect(sessionCookie(res)).toBeNull();
  });

  it('when the setup page is opened, then it serves HTML and its script loads', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const page = await t.anonymous({ method: 'GET', url: `/setup?token=${t.app.setupToken.value}` });
    const script = await t.anonymous({ method: 'GET', url: '/assets/setup.js' });

    // Assert
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('/assets/setup.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });
});

// --- security headers ----------------------------------------------------------------------

describe('security headers', () => {
  function expectSecurityHeaders(res: LightMyRequestResponse): void {
    const csp = String(res.headers['content-security-policy'] ?? '');
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...sources] = d.split(/\s+/);
          return [name!, sources] as const;
        }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    // Nothing from anywhere else, and no inline script or style.
    for (const [name, sources] of directives) {
      for (const source of sources) {
        expect(["'self'", "'none'", 'data:'], `${name} ${source}`).toContain(source);
      }
    }
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBeTruthy();
  }

  it.each([
    ['a JSON API answer', '/api/health'],
    ['an API error answer', '/api/auth/me'],
    ['an unknown route', '/api/bestaat-niet'],
    ['the setup page', '/setup'],
    ['a static asset', '/assets/setup.js'],
  ])('when %s is served, then it carries a strict CSP, nosniff and a referrer policy', async (_, url) => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({ method: 'GET', url });

    // Assert
    expect(res.statusCode).toBeLessThan(500);
    expectSecurityHeaders(res);
  });
});

// --- bad inputs ----------------------------------------------------------------------------

describe('bad inputs on the login, setup and share endpoints', () => {
  const huge = 'x'.repeat(1024 * 1024 + 10);
  const bad: Array<[string, number, Partial<InjectOptions>]> = [
    ['no body', 400, {}],
    ['an empty object', 400, { payload: {} }],
    ['a missing password', 400, { payload: { email: 'a@b.nl' } }],
    ['a missing email', 400, { payload: { password: 'x' } }],
    ['a number as email', 400, { payload: { email: 5, password: 'iets langer dan twaalf' } }],
    ['null as password', 400, { payload: { email: 'a@b.nl', password: null } }],
    ['an array as body', 400, { payload: [{ email: 'a@b.nl', password: 'x' }] }],
    ['an array as email', 400, { payload: { email: ['a@b.nl'], password: 'x' } }],
    ['an object as password', 400, { payload: { email: 'a@b.nl', password: { $ne: '' } } }],
    ['an unknown extra field', 400, { payload: { email: 'a@b.nl', password: 'x', role: 'projectleider' } }],
    ['a far too long email', 400, { payload: { email: `${'a'.repeat(300)}@b.nl`, password: 'x' } }],
    ['a far too long password', 400, { payload: { email: 'a@b.nl', password: 'x'.repeat(5000) } }],
    ['a body over 1 MB', 413, { payload: { email: 'a@b.nl', password: huge } }],
    [
      'a text/plain body',
      415,
      { payload: 'email=a@b.nl&password=x', headers: { 'content-type': 'text/plain' } },
    ],
    [
      'a form body',
      415,
      {
        payload: 'email=a@b.nl&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    ],
    [
      'broken JSON',
      400,
      { payload: '{"email": "a@b.nl", ', headers: { 'content-type': 'application/json' } },
    ],
    [
      'a __proto__ key',
      400,
      {
        payload: '{"email":"a@b.nl","password":"x","__proto__":{"admin":true}}',
        headers: { 'content-type': 'application/json' },
      },
    ],
  ];

  it.each(bad)('when the login gets %s, then it answers %i with the error shape', async (_, status, opts) => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({ method: 'POST', url: '/api/auth/login', ...opts });

    // Assert
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json() as { error: { code: string; message: string } };
    expect(typeof body.error.code).toBe('string');
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  const otherBodies: Array<[string, string, unknown]> = [
    ['an empty setup body', '/api/auth/setup', {}],
    [
      'a number as setup token',
      '/api/auth/setup',
      { token: 5, email: 'a@b.nl', password: 'iets langer dan twaalf' },
    ],
    [
      'a setup email that is no email address',
      '/api/auth/setup',
      { token: 'x', email: 'geen e-mailadres', password: 'iets langer dan twaalf' },
    ],
    [
      'a far too long setup token',
      '/api/auth/setup',
      { token: 'x'.repeat(1000), email: 'a@b.nl', password: 'iets langer dan twaalf' },
    ],
    ['an array as setup body', '/api/auth/setup', [1, 2, 3]],
    ['an empty share body', '/api/auth/share', {}],
    ['an empty share token', '/api/auth/share', { token: '' }],
    ['an array as share token', '/api/auth/share', { token: ['abc'] }],
    ['a far too long share token', '/api/auth/share', { token: 'x'.repeat(1000) }],
  ];

  it.each(otherBodies)('when %s is posted to %s, then it answers 400, never 500', async (_, url, payload) => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await t.anonymous({ method: 'POST', url, payload: payload as InjectOptions['payload'] });

    // Assert
    expectError(res, 400, 'validation_failed');
    expect(await t.db.selectFrom('users').selectAll().execute()).toEqual([]);
  });

  it('when the login gets an empty email and password of the right type, then it answers 401, not a crash', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await postLogin(t, '', '');

    // Assert
    expectError(res, 401, 'invalid_credentials');
  });

  it('when the password holds unusual unicode, then the login answers 401, not a crash', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');

    // Act
    const res = await postLogin(t, 'bestuurder@regio.example.org', '\ud800\u0000\u202e😀 e\u0301');

    // Assert
    expectError(res, 401, 'invalid_credentials');
  });
});
