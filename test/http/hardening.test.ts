import { afterEach, describe, expect, it } from 'vitest';
import { isCommonPassword } from '../../server/domain/common-passwords.ts';
import { buildTestApp, insertTestUser, TEST_PASSWORD, type TestApp, testAppPerTest } from '../helpers.ts';
import { expectError, expectFieldError } from './fixtures.ts';

const GOOD_PASSWORD = 'Zomerse-Regenboog-4711';
const BLANK = 'het wachtwoord is leeg of bestaat alleen uit spaties';
const REPEATED = 'het wachtwoord bestaat uit één teken dat steeds herhaald wordt; kies een ander';
const COMMON = 'dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden; kies een ander';
const LIKE_EMAIL = 'het wachtwoord lijkt te veel op het e-mailadres; kies een ander';

/** Passwords every route refuses, with the message it gives. */
const REFUSED: Array<[string, string, string]> = [
  ['an empty password', '', BLANK],
  ['fifteen spaces', ' '.repeat(15), BLANK],
  ['tabs, newlines and spaces only', '\t \n \t \n      \t ', BLANK],
  ['one repeated character', 'aaaaaaaaaaaaaaa', REPEATED],
  ['one repeated character with spaces around it', '  ############  ', REPEATED],
  ['a listed password', 'wachtwoord1234', COMMON],
  ['a listed password in another case, with spaces around it', '  PassWord1234  ', COMMON],
  ['a listed word with a year and symbols', 'Welkom2026!!!', COMMON],
  ['a football club and its founding year', 'Feyenoord1908', COMMON],
  ['a football club with a space', 'Ajax Amsterdam', COMMON],
  ['a counting run', '123456789012', COMMON],
  ['a keyboard walk', 'qwertyuiopasdf', COMMON],
  ['a diagonal keyboard walk', '1qaz2wsx3edc', COMMON],
  ['a short unit repeated', 'abcabcabcabc', COMMON],
  ['a listed word repeated', 'welkomwelkom', COMMON],
];

describe('Cache-Control on API replies', () => {
  const t = testAppPerTest();

  it.each([
    ['the health check', () => t.anonymous({ method: 'GET', url: '/api/health' }), 200],
    ['a signed-in JSON list', () => t.app.inject({ method: 'GET', url: '/api/users' }), 200],
    ['a call without a session', () => t.anonymous({ method: 'GET', url: '/api/users' }), 401],
    ['an unknown API address', () => t.anonymous({ method: 'GET', url: '/api/bestaat-niet?x=1' }), 404],
    ['a refused body', () => t.app.inject({ method: 'POST', url: '/api/users', payload: { email: 5 } }), 400],
  ])('when the API answers %s, then the reply says no-store', async (_name, send, status) => {
    // Act
    const res = await send();

    // Assert
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when an unknown API address is asked for, then it is route_not_found and not stored', async () => {
    // Act
    const res = await t.anonymous({ method: 'GET', url: '/api/bestaat-niet' });

    // Assert
    expectError(res, 404, 'route_not_found');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['the start page', '/', 'text/html'],
    ['a page address', '/organisaties', 'text/html'],
    ['a stylesheet', '/assets/base.css', 'text/css'],
  ])('when %s is asked for, then it keeps its own caching', async (_name, url, accept) => {
    // Act
    const res = await t.anonymous({ method: 'GET', url, headers: { accept } });

    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).not.toBe('no-store');
  });
});

describe('password policy', () => {
  const t = testAppPerTest();

  it.each(REFUSED)(
    'when a new account gets %s, then it answers 400 weak_password and writes nothing',
    async (_name, password, message) => {
      // Arrange
      const before = await t.db.selectFrom('users').select('id').execute();

      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        payload: { email: 'nieuw@regio.example.org', role: 'bestuur', password },
      });

      // Assert
      expect(expectFieldError(res, 400, 'weak_password', 'password').error.message).toBe(message);
      expect(await t.db.selectFrom('users').select('id').execute()).toEqual(before);
    },
  );

  it.each(REFUSED)(
    'when a password is reset to %s, then it answers 400 weak_password and the old one stays',
    async (_name, password, message) => {
      // Arrange
      const id = await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
      const hashBefore = await t.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', id)
        .execute();

      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/users/${id}/password`,
        payload: { password },
      });

      // Assert
      expect(expectFieldError(res, 400, 'weak_password', 'password').error.message).toBe(message);
      expect(await t.db.selectFrom('users').select('password_hash').where('id', '=', id).execute()).toEqual(
        hashBefore,
      );
    },
  );

  it('when a new account gets a password that is its e-mail name with a year, then it is refused', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { email: 'Jan.Jansen@regio.example.org', role: 'bestuur', password: 'jan.jansen2026!' },
    });

    // Assert
    expect(expectFieldError(res, 400, 'weak_password', 'password').error.message).toBe(LIKE_EMAIL);
  });

  it("when a password is reset to the account's e-mail name with a suffix, then it is refused", async () => {
    // Arrange
    const id = await insertTestUser(t.db, 'marieke.devries@regio.example.org', 'bestuur');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      payload: { password: 'Marieke.deVries!!' },
    });

    // Assert
    expect(expectFieldError(res, 400, 'weak_password', 'password').error.message).toBe(LIKE_EMAIL);
  });

  it('when a password contains the e-mail name but is long enough without it, then it is accepted', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: {
        email: 'leider@regio.example.org',
        role: 'bestuur',
        password: 'eerste projectleider wachtwoord',
      },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
  });

  it('when a long, uncommon password is given, then the account is created and the reset works', async () => {
    // Act
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { email: 'nieuw@regio.example.org', role: 'bestuur', password: GOOD_PASSWORD },
    });
    const id = (created.json() as { id: number }).id;
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      payload: { password: 'wintersport in Oostenrijk 2026' },
    });

    // Assert
    expect(created.statusCode, created.body).toBe(201);
    expect(reset.statusCode, reset.body).toBe(200);
  });

  it("when the suite's own passwords are checked, then none is on the list", () => {
    for (const password of [
      TEST_PASSWORD,
      GOOD_PASSWORD,
      'wintersport in Oostenrijk 2026',
      'eerste projectleider wachtwoord',
    ]) {
      expect(isCommonPassword(password), password).toBe(false);
    }
  });
});

describe('password policy at the first-run setup', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each(REFUSED)(
    'when the first projectleider picks %s, then it answers 400 and the token still works',
    async (_name, password, message) => {
      // Arrange
      t = await buildTestApp({ as: 'anonymous' });
      const token = t.app.setupToken.value!;

      // Act
      const res = await t.anonymous({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { token, email: 'leider@regio.example.org', password },
      });

      // Assert
      expect(expectFieldError(res, 400, 'weak_password', 'password').error.message).toBe(message);
      expect(t.app.setupToken.value).toBe(token);
      expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
    },
  );
});
