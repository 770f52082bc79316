// Sign-in limits count failures only: an office behind one address signs in all day, while a
// guesser is slowed down per account (growing waits, never a lock) and per address.
import { randomBytes, scryptSync } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import type { CreatedShareLink } from '../../server/contracts/share-link.contract.ts';
import type { Database, Role } from '../../server/db/schema.ts';
import { LoginThrottle } from '../../server/security/login-throttle.ts';
import { buildTestApp, TEST_NOW, type TestApp } from '../helpers.ts';
import { call, createOrg, expectError, postLogin, sessionCookie } from './fixtures.ts';

// --- helpers local to this file ------------------------------------------------------------

const PASSWORD = 'een goed wachtwoord voor de test';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const OFFICE_IP = '192.0.2.10';

// A cheap scrypt hash (N=1024, the cost is read from the hash): hundreds of sign-ins stay fast.
const salt = randomBytes(16);
const CHEAP_HASH = `scrypt$1024$8$1$${salt.toString('base64')}$${scryptSync(PASSWORD, salt, 64, {
  N: 1024,
  r: 8,
  p: 1,
}).toString('base64')}`;

let t: TestApp;
let now: Date;

afterEach(async () => {
  await t?.close();
});

async function arrange(config: Partial<Config> = {}): Promise<void> {
  now = new Date(TEST_NOW);
  t = await buildTestApp({ as: 'projectleider', now: () => now, config });
}

function advance(ms: number): void {
  now = new Date(now.getTime() + ms);
}

async function addAccounts(emails: string[], role: Role = 'bestuur'): Promise<void> {
  const at = now.toISOString();
  await t.db
    .insertInto('users')
    .values(
      emails.map((email): import('kysely').Insertable<Database['users']> => ({
        email,
        email_key: email.toLowerCase(),
        password_hash: CHEAP_HASH,
        role,
        organisation_id: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

function login(email: string, password = PASSWORD, ip = OFFICE_IP): Promise<LightMyRequestResponse> {
  return postLogin(t, email, password, { remoteAddress: ip });
}

function openShare(token: string, ip = OFFICE_IP): Promise<LightMyRequestResponse> {
  return t.anonymous({ method: 'POST', url: '/api/auth/share', payload: { token }, remoteAddress: ip });
}

function expectWait(res: LightMyRequestResponse, seconds: number): string {
  const body = expectError(res, 429, 'too_many_requests');
  expect(Number(res.headers['retry-after'])).toBe(seconds);
  expect(sessionCookie(res)).toBeNull();
  return body.error.message;
}

const people = (n: number) => Array.from({ length: n }, (_, i) => `medewerker${i + 1}@gemeente.example.org`);

// --- the office ----------------------------------------------------------------------------

describe('an office behind one IP address', () => {
  it('when 30 people sign in correctly several times within 15 minutes, then every sign-in succeeds', async () => {
    // Arrange
    await arrange();
    const office = people(30);
    await addAccounts(office);

    // Act: a typo by everyone, then five rounds within 15 minutes (the old limits refused the 6th
    // attempt of an account and the 21st of the address)
    const statuses: number[] = [];
    for (const email of office) statuses.push((await login(email, 'tikfout in het wachtwoord')).statusCode);
    for (let round = 0; round < 5; round++) {
      const replies = await Promise.all(office.map((email) => login(email)));
      statuses.push(...replies.map((r) => r.statusCode));
      advance(2 * MINUTE);
    }

    // Assert
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(150).fill(200));
  }, 60_000);

  it('when share links are opened from the office, then they do not use up the sign-in budget, nor the reverse', async () => {
    // Arrange: tiny limits, so that each bucket is full after a few failures
    await arrange({ loginLimitPerIp: 3, loginLimitSharePerIp: 3 });
    await addAccounts(['leider@gemeente.example.org']);
    const org = await createOrg(t.app, { name: 'Gemeente Voorbeeld' });
    const link = await call<CreatedShareLink>(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/share-links`, payload: {} },
      201,
    );

    // Act
    const goodOpens = await Promise.all(Array.from({ length: 20 }, () => openShare(link.token)));
    const badOpens = [];
    for (let i = 0; i < 4; i++) badOpens.push(await openShare(`bestaat-niet-${i}`));
    const loginAfterShares = await login('leider@gemeente.example.org');
    for (let i = 0; i < 3; i++) await login('leider@gemeente.example.org', `fout ${i}`);
    const loginRefused = await login('leider@gemeente.example.org');
    advance(15 * MINUTE);
    const shareAfterWindow = await openShare(link.token);

    // Assert
    expect(goodOpens.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(badOpens.slice(0, 3).map((r) => r.statusCode)).toEqual([404, 404, 404]);
    expect(expectWait(badOpens[3]!, 15 * 60)).toBe(
      'te veel deellinks geopend die niet werken; probeer het over 15 minuten opnieuw',
    );
    expect(loginAfterShares.statusCode, loginAfterShares.body).toBe(200);
    expectWait(loginRefused, 15 * 60);
    expect(shareAfterWindow.statusCode, shareAfterWindow.body).toBe(200);
  });
});

// --- the attacker --------------------------------------------------------------------------

describe('an attacker guessing passwords', () => {
  const victim = 'directeur@gemeente.example.org';

  it('when one account gets many wrong guesses, then each further attempt must wait longer, and after the wait the owner gets in', async () => {
    // Arrange
    await arrange();
    await addAccounts([victim, 'collega@gemeente.example.org']);
    const attacker = '198.51.100.7';
    const free = [];
    for (let i = 0; i < 5; i++) free.push((await login(victim, `gok ${i}`, attacker)).statusCode);

    // Act: the attacker tries again the moment each wait ends
    const waits: number[] = [];
    const messages: string[] = [];
    for (let i = 0; i < 12; i++) {
      const refused = await login(victim, 'nog een gok', attacker);
      const wait = Number(refused.headers['retry-after']);
      messages.push(expectWait(refused, wait));
      waits.push(wait);
      advance(wait * SECOND);
      expectError(await login(victim, `gok na wachten ${i}`, attacker), 401, 'invalid_credentials');
    }
    const ownerTooSoon = await login(victim, PASSWORD, '203.0.113.5');
    const colleague = await login('collega@gemeente.example.org', PASSWORD, '203.0.113.5');
    advance(15 * MINUTE);
    const owner = await login(victim, PASSWORD, '203.0.113.5');
    const afterReset = [];
    for (let i = 0; i < 5; i++) afterReset.push((await login(victim, `gok ${i}`, attacker)).statusCode);

    // Assert
    expect(free).toEqual([401, 401, 401, 401, 401]);
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
    expect(messages[0]).toBe(
      'te veel foute inlogpogingen voor dit account; wacht 2 seconden en probeer het dan opnieuw',
    );
    expect(messages[9]).toBe(
      'te veel foute inlogpogingen voor dit account; wacht 15 minuten en probeer het dan opnieuw',
    );
    expectWait(ownerTooSoon, 900);
    expect(colleague.statusCode, colleague.body).toBe(200);
    expect(owner.statusCode, owner.body).toBe(200);
    // The right password cleared the count: five free guesses again, no wait.
    expect(afterReset).toEqual([401, 401, 401, 401, 401]);
  });

  it('when an account has a few failures, then they are forgotten a window after the last one', async () => {
    // Arrange
    await arrange();
    await addAccounts([victim]);
    for (let i = 0; i < 5; i++) await login(victim, `gok ${i}`);
    expectWait(await login(victim), 2);

    // Act
    advance(2 * SECOND + 15 * MINUTE);
    const fresh = [];
    for (let i = 0; i < 5; i++) fresh.push((await login(victim, `gok ${i}`)).statusCode);

    // Assert
    expect(fresh).toEqual([401, 401, 401, 401, 401]);
  });

  it('when the attempts for one account come from many addresses, then they count for the same account', async () => {
    // Arrange
    await arrange();
    await addAccounts([victim]);
    for (let i = 0; i < 5; i++) await login(victim.toUpperCase(), `gok ${i}`, `10.0.0.${i + 1}`);

    // Act
    const refused = await login(` ${victim}`, 'gok 6', '10.0.0.99');

    // Assert
    expectWait(refused, 2);
  });

  it('when many accounts are sprayed from one address, then the per-address limit stops it and other addresses are unaffected', async () => {
    // Arrange
    await arrange({ loginLimitPerIp: 20 });
    const accounts = people(25);
    await addAccounts(accounts);
    const sprayer = '198.51.100.66';
    const answers = [];
    for (const email of accounts.slice(0, 20))
      answers.push((await login(email, 'Welkom2026!', sprayer)).statusCode);

    // Act
    const limited = await login(accounts[20]!, 'Welkom2026!', sprayer);
    const evenRight = await login(accounts[21]!, PASSWORD, sprayer);
    const elsewhere = await login(accounts[22]!, PASSWORD, '203.0.113.9');
    advance(15 * MINUTE);
    const afterWindow = await login(accounts[23]!, PASSWORD, sprayer);

    // Assert
    expect(answers).toEqual(Array(20).fill(401));
    expect(expectWait(limited, 15 * 60)).toBe(
      'te veel foute inlogpogingen vanaf dit netwerkadres; probeer het over 15 minuten opnieuw',
    );
    expectWait(evenRight, 15 * 60);
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    expect(afterWindow.statusCode, afterWindow.body).toBe(200);
  });
});

// --- memory ----------------------------------------------------------------------------------

describe('the throttle in memory', () => {
  it('when failures have run out, then they are dropped, so a flood of made-up accounts does not stay', () => {
    // Arrange
    let clock = TEST_NOW.getTime();
    const throttle = new LoginThrottle(
      { windowMs: 15 * MINUTE, freeFailuresPerAccount: 5, failuresPerIp: 300, shareFailuresPerIp: 300 },
      () => new Date(clock),
    );
    for (let i = 0; i < 1000; i++) throttle.recordFailure('login', `10.0.${i >> 8}.${i & 255}`, `gok${i}`);
    const before = throttle.size;

    // Act: a window later, one more failure sweeps what ran out
    clock += 16 * MINUTE;
    throttle.recordFailure('share', '10.9.9.9');

    // Assert
    expect(before).toEqual({ accounts: 1000, addresses: 1000 });
    expect(throttle.size).toEqual({ accounts: 0, addresses: 1 });
  });
});
