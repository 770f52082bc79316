import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ErrorBody, ErrorCode, Problem } from '../../server/contracts/errors.contract.ts';
import type { Organisation } from '../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
import type { Sector } from '../../server/contracts/sector.contract.ts';
import type { Role } from '../../server/contracts/user.contract.ts';
import {
  expectKnownCodes,
  insertTestUser,
  type Session,
  sessionHeaders,
  startTestSession,
  TEST_PASSWORD,
  type TestApp,
} from '../helpers.ts';
import type { AnswersInput } from '../support.ts';

export type { Organisation } from '../../server/contracts/organisation.contract.ts';
export type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
export type { Revision } from '../../server/contracts/revision.contract.ts';
export type { Sector } from '../../server/contracts/sector.contract.ts';
export type { ErrorBody };

/**
 * Asserts the one error shape `{ error: { code, message, details? } }` with the expected status
 * and code (one of ERROR_CODES, and each problem's code one of PROBLEM_CODES or ERROR_CODES), and
 * returns the body for further checks.
 */
export function expectError(res: LightMyRequestResponse, status: number, code: ErrorCode): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  const allowed = ['code', 'message', 'details'];
  expect(Object.keys(body.error).filter((k) => !allowed.includes(k))).toEqual([]);
  expectKnownCodes(res);
  for (const problem of body.error.details?.problems ?? []) {
    const fields = ['code', 'message', 'path', 'criterion', 'row', 'column'];
    expect(
      Object.keys(problem).filter((k) => !fields.includes(k)),
      res.body,
    ).toEqual([]);
    expect(problem.message.length, res.body).toBeGreaterThan(0);
    // A path names the field inside the body, query or params, never the location itself.
    expect(problem.path ?? '', res.body).not.toMatch(/^(body|querystring|params|headers)\./);
  }
  return body;
}

/** The problems of an error reply (empty when it lists none). */
export function problemsOf(body: ErrorBody) {
  return body.error.details?.problems ?? [];
}

/**
 * Asserts an error about one field, as a page needs it to put the message next to that field:
 * exactly one problem, naming `path` (inside the body, query or params, without a prefix). A
 * validation failure's problem is `invalid_field` (or `unknown_field`), a service's refusal of one
 * field carries the error's own code; either way the reply's message is the problem's message.
 */
export function expectFieldError(
  res: LightMyRequestResponse,
  status: number,
  code: ErrorCode,
  path: string,
  problemCode: Problem['code'] = code === 'validation_failed' ? 'invalid_field' : code,
): ErrorBody {
  const body = expectError(res, status, code);
  const problems = problemsOf(body);
  expect(
    problems.map((p) => ({ code: p.code, path: p.path })),
    res.body,
  ).toEqual([{ code: problemCode, path }]);
  const problem = problems[0]!;
  // One problem: the message above the form is that problem's own, without any field path.
  expect(body.error.message).toBe(problem.message);
  return body;
}

/** Sends a request and asserts the status; returns the parsed JSON body (undefined when empty). */
export async function call<T = unknown>(
  app: FastifyInstance,
  options: InjectOptions,
  expectedStatus: number,
): Promise<T> {
  const res = await app.inject(options);
  expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBe(expectedStatus);
  return (res.body === '' ? undefined : res.json()) as T;
}

// --- signed-in clients ---------------------------------------------------------------------

/** Who `injectAs` signs in as: a role of the region, or the organisatie role of one organisation. */
export type SignedIn = Exclude<Role, 'organisatie'> | { organisatie: number };

// Keyed by the app, not the TestApp: testAppPerTest refills one TestApp object with a new app
// (and database) for every test, and a session of the previous one would not exist in it.
const signedIn = new WeakMap<TestApp['app'], Map<string, Session>>();

/** The session of a test account for `who` on this app: made once, then reused. */
export async function sessionAs(t: TestApp, who: SignedIn): Promise<Session> {
  const key = typeof who === 'string' ? who : `organisatie-${who.organisatie}`;
  let sessions = signedIn.get(t.app);
  if (!sessions) {
    sessions = new Map();
    signedIn.set(t.app, sessions);
  }
  const known = sessions.get(key);
  if (known) return known;
  const userId =
    typeof who === 'string'
      ? await insertTestUser(t.db, `als-${key}@test.example.org`, who)
      : await insertTestUser(t.db, `als-${key}@test.example.org`, 'organisatie', who.organisatie);
  const session = await startTestSession(t.app, userId);
  sessions.set(key, session);
  return session;
}

/**
 * Sends a request as another account than the test app's own: signs in as `who` (an account made
 * for it on first use) and injects with that session's cookie and CSRF token.
 */
export async function injectAs(
  t: TestApp,
  who: SignedIn,
  request: InjectOptions,
): Promise<LightMyRequestResponse> {
  const session = await sessionAs(t, who);
  return t.anonymous({ ...request, headers: { ...sessionHeaders(session), ...request.headers } });
}

/**
 * A browser-like client: a session (`token` is the session cookie's value) that sends its cookie
 * and, unless a request overrides it, its CSRF token.
 */
export interface Client extends Session {
  inject: (opts: InjectOptions) => Promise<LightMyRequestResponse>;
}

export function clientOf(t: TestApp, session: Session): Client {
  return {
    token: session.token,
    csrfToken: session.csrfToken,
    inject: (opts) => t.anonymous({ ...opts, headers: { ...sessionHeaders(session), ...opts.headers } }),
  };
}

/** The session cookie a reply sets, with its attributes (names in lower case, '' for flags); null when none. */
export function sessionCookie(
  res: LightMyRequestResponse,
): { value: string; line: string; attributes: Record<string, string> } | null {
  const raw = res.headers['set-cookie'];
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const line = all.find((c) => c.startsWith('vpt_sessie='));
  if (!line) return null;
  const [first, ...rest] = line.split(';').map((p) => p.trim());
  const attributes: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq === -1) attributes[part.toLowerCase()] = '';
    else attributes[part.slice(0, eq).toLowerCase()] = part.slice(eq + 1);
  }
  return { value: first!.slice('vpt_sessie='.length), line, attributes };
}

/** The client a sign-in reply (login or share link) starts: the cookie it sets and the CSRF token in its body. */
export function clientFrom(t: TestApp, res: LightMyRequestResponse): Client {
  expect(res.statusCode, res.body).toBeLessThan(300);
  const cookie = sessionCookie(res);
  expect(cookie, `no session cookie in ${res.statusCode} ${res.body}`).not.toBeNull();
  return clientOf(t, { token: cookie!.value, csrfToken: (res.json() as { csrfToken: string }).csrfToken });
}

export function postLogin(
  t: TestApp,
  email: string,
  password = TEST_PASSWORD,
  extra: Partial<InjectOptions> = {},
): Promise<LightMyRequestResponse> {
  return t.anonymous({ method: 'POST', url: '/api/auth/login', payload: { email, password }, ...extra });
}

/** Signs in through the real login route and returns a client that carries the session. */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD): Promise<Client> {
  const res = await postLogin(t, email, password);
  expect(res.statusCode, res.body).toBe(200);
  return clientFrom(t, res);
}

/** Opens a share link through the API and returns a client carrying its read-only session. */
export async function openShareLink(t: TestApp, token: string): Promise<Client> {
  const res = await t.anonymous({ method: 'POST', url: '/api/auth/share', payload: { token } });
  expect(res.statusCode, res.body).toBe(200);
  return clientFrom(t, res);
}

// --- data through the API ------------------------------------------------------------------

export async function listSectors(app: FastifyInstance): Promise<Sector[]> {
  return call<Sector[]>(app, { method: 'GET', url: '/api/sectors' }, 200);
}

/** The id of a sector by its exact name (the default sectors exist after the first migration). */
export async function sectorId(app: FastifyInstance, name: string): Promise<number> {
  const sector = (await listSectors(app)).find((s) => s.name === name);
  if (!sector) throw new Error(`no sector named '${name}'`);
  return sector.id;
}

export async function createSector(app: FastifyInstance, name: string): Promise<Sector> {
  return call<Sector>(app, { method: 'POST', url: '/api/sectors', payload: { name } }, 201);
}

export interface OrganisationSeed {
  name: string;
  /** A sector name (looked up) or id; defaults to Openbaar Bestuur. */
  sector?: string | number;
  memberFrom?: string;
  memberUntil?: string | null;
}

export async function createOrg(app: FastifyInstance, seed: OrganisationSeed): Promise<Organisation> {
  const sector = seed.sector ?? 'Openbaar Bestuur';
  const payload: Record<string, unknown> = {
    name: seed.name,
    sectorId: typeof sector === 'number' ? sector : await sectorId(app, sector),
  };
  if (seed.memberFrom !== undefined) payload.memberFrom = seed.memberFrom;
  if (seed.memberUntil !== undefined) payload.memberUntil = seed.memberUntil;
  return call<Organisation>(app, { method: 'POST', url: '/api/organisations', payload }, 201);
}

/** Records a new quickscan (POST) and returns it. */
export async function recordQuickscan(
  app: FastifyInstance,
  orgId: number,
  quarter: string,
  answers: AnswersInput,
  extra: Record<string, unknown> = {},
): Promise<Quickscan> {
  return call<Quickscan>(
    app,
    {
      method: 'POST',
      url: `/api/organisations/${orgId}/quickscans`,
      payload: { quarter, answers, ...extra },
    },
    201,
  );
}

/** Records a gear directly (PUT /gears) in a quarter that has none yet. */
export async function setGear(
  app: FastifyInstance,
  orgId: number,
  quarter: string,
  gear: number,
  extra: Record<string, unknown> = {},
): Promise<Quickscan> {
  return call<Quickscan>(
    app,
    { method: 'PUT', url: `/api/organisations/${orgId}/gears/${quarter}`, payload: { gear, ...extra } },
    201,
  );
}

/** Changes the gear recorded in a quarter (PUT /gears with the version it was read at). */
export async function changeGear(
  app: FastifyInstance,
  orgId: number,
  quarter: string,
  gear: number,
  expectedVersion: number,
): Promise<Quickscan> {
  return call<Quickscan>(
    app,
    {
      method: 'PUT',
      url: `/api/organisations/${orgId}/gears/${quarter}`,
      payload: { gear, expectedVersion },
    },
    200,
  );
}

export async function getJson<T = unknown>(app: FastifyInstance, url: string): Promise<T> {
  return call<T>(app, { method: 'GET', url }, 200);
}
