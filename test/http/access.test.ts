import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix, Summary } from '../../server/contracts/report.contract.ts';
import { minimalPdf } from '../files/documents.ts';
import {
  buildTestApp,
  insertTestUser,
  type Session,
  sessionHeaders,
  startTestSession,
  TEST_PASSWORD,
  type TestApp,
} from '../helpers.ts';
import { answersForGear } from '../support.ts';
import {
  call,
  createOrg,
  createSector,
  expectError,
  openShareLink,
  recordQuickscan,
  sectorId,
  setGear,
} from './fixtures.ts';

/**
 * The access table: every operation of the OpenAPI document, called as each kind of client, with
 * the status it must answer. A route that is added without an entry here fails the first test.
 */

const CLIENTS = ['anonymous', 'projectleider', 'bestuur', 'organisatie', 'share'] as const;
type Client = (typeof CLIENTS)[number];
type Expected = Record<Client, number>;

/** The quarter every seeded organisation has a quickscan in. */
const Q = '2016-Q2';
/** The quarter writes go to, so they never collide with the seeded gears. */
const WRITE_Q = '2016-Q3';
const PERIOD = 'from=2016-Q1&to=2016-Q2';

// biome-ignore format: one line per operation keeps the table readable
const EXPECTED: Record<string, Expected> = {
  // public
  'GET /api/health':                                          { anonymous: 200, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/auth/login':                                     { anonymous: 200, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/auth/setup':                                      { anonymous: 200, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  // accounts exist, so the setup token no longer works for anyone
  'POST /api/auth/setup':                                     { anonymous: 404, projectleider: 404, bestuur: 404, organisatie: 404, share: 404 },
  'POST /api/auth/share':                                     { anonymous: 200, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  // the code step of a two-factor login: a made-up challenge is refused for anyone
  'POST /api/auth/login/code':                                { anonymous: 401, projectleider: 401, bestuur: 401, organisatie: 401, share: 401 },
  // two-factor sign-in of one's own account: every account, not a share link (setup first, then a wrong code;
  // switching off and new recovery codes need it switched on)
  'GET /api/auth/two-factor':                                 { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 403 },
  'POST /api/auth/two-factor/setup':                          { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 403 },
  'POST /api/auth/two-factor/confirm':                        { anonymous: 401, projectleider: 400, bestuur: 400, organisatie: 400, share: 403 },
  'POST /api/auth/two-factor/disable':                        { anonymous: 401, projectleider: 409, bestuur: 409, organisatie: 409, share: 403 },
  'POST /api/auth/two-factor/recovery-codes':                 { anonymous: 401, projectleider: 409, bestuur: 409, organisatie: 409, share: 403 },
  // any session
  'GET /api/auth/me':                                         { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/auth/session':                                    { anonymous: 200, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/auth/logout':                                    { anonymous: 401, projectleider: 204, bestuur: 204, organisatie: 204, share: 204 },
  // the model: anonymous for the organisatie role
  'GET /api/model':                                           { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/models':                                          { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/models/{id}/{version}':                           { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  // accounts, share links and the change history: projectleider only
  'GET /api/users':                                           { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/users':                                          { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'PATCH /api/users/{id}':                                    { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/users/{id}':                                   { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  // resetting another account's two-factor sign-in (here one that has none: 409)
  'DELETE /api/users/{id}/two-factor':                        { anonymous: 401, projectleider: 409, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/users/{id}/password':                            { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/organisations/{id}/share-links':                  { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/organisations/{id}/share-links':                 { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/share-links/{id}':                             { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  // invitations and reset links: made by the projectleider; a link is used without a session (a made-up token: 404)
  'GET /api/invitations':                                     { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/invitations':                                    { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/invitations/{id}':                             { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/users/{id}/reset-link':                          { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/invitations/by-token':                           { anonymous: 404, projectleider: 404, bestuur: 404, organisatie: 404, share: 404 },
  'POST /api/invitations/accept':                             { anonymous: 404, projectleider: 404, bestuur: 404, organisatie: 404, share: 404 },
  'GET /api/audit':                                           { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  // sectors
  'GET /api/sectors':                                         { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/sectors':                                        { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/sectors/{id}':                                    { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'PATCH /api/sectors/{id}':                                  { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/sectors/{id}':                                 { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  // organisations (the organisatie clients call with their own organisation A)
  'GET /api/organisations':                                   { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/organisations':                                  { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/organisations/{id}':                              { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'PATCH /api/organisations/{id}':                            { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/organisations/{id}/archive':                     { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/organisations/{id}/restore':                     { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/organisations/{id}/status':                       { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/organisations/{id}/history':                      { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/organisations/{id}/revisions':                    { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  // membership periods and sector history: read as the organisation itself, written by the projectleider
  'GET /api/organisations/{id}/periods':                      { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/organisations/{id}/diff':                         { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/organisations/{id}/join':                        { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/organisations/{id}/leave':                       { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/organisations/{id}/move':                        { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  // incident figures: read as the organisation itself, written by the projectleider and by the
  // organisation itself with an account (not the bestuur, not a share link)
  'GET /api/organisations/{id}/incidents':                    { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/organisations/{id}/incidents/{quarter}':          { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'PUT /api/organisations/{id}/incidents/{quarter}':          { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 201, share: 403 },
  'PUT /api/organisations/{id}/employees/{year}':             { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 201, share: 403 },
  // its incident trend beside the anonymous sector rate: read as the organisation itself
  'GET /api/organisations/{id}/incident-trend':               { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  // the 0-meting, the incident report and the targets: set by the projectleider, read by the bestuur too
  'GET /api/baselines':                                       { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'PUT /api/baselines/region':                                { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'PUT /api/baselines/sectors/{sectorId}':                    { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/baselines/sectors/{sectorId}':                 { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/reports/incidents':                               { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'GET /api/targets':                                         { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'POST /api/targets':                                        { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/targets/{id}':                                 { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  // agreed actions: read as the organisation itself, agreed by the projectleider; the organisation's
  // own account may change their status and note (not the bestuur, not a share link)
  'GET /api/organisations/{id}/actions':                      { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/organisations/{id}/actions':                     { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'PATCH /api/organisations/{id}/actions/{actionId}':         { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 200, share: 403 },
  'DELETE /api/organisations/{id}/actions/{actionId}':        { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/actions':                                         { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  // the network's activities: the projectleider's log, read by the bestuur
  'GET /api/activities':                                      { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'POST /api/activities':                                     { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'PATCH /api/activities/{id}':                               { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/activities/{id}':                              { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/reports/activities':                              { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  // quickscans
  'GET /api/organisations/{id}/quickscans':                   { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/organisations/{id}/quickscans':                  { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/organisations/{id}/quickscans/{quarter}':         { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'PUT /api/organisations/{id}/quickscans/{quarter}':         { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/organisations/{id}/quickscans/{quarter}':      { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/organisations/{id}/quickscans/{quarter}/revisions': { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'PUT /api/organisations/{id}/gears/{quarter}':              { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  // reports: anonymous averages for the organisatie role; the worklist names members
  'GET /api/reports/summary':                                 { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/reports/matrix':                                  { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'GET /api/reports/distribution':                            { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'GET /api/reports/measures':                                { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'GET /api/reports/worklist':                                { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  // closing quarters: the projectleider and the bestuur see which are closed; only the projectleider closes and
  // reopens (here refused by the rules, 422 and 409: a quarter before any member, one not closed)
  'GET /api/quarters':                                        { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  'POST /api/quarters/{quarter}/close':                       { anonymous: 401, projectleider: 422, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/quarters/{quarter}/reopen':                      { anonymous: 401, projectleider: 409, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/reports/prestatielijst.xlsx':                     { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 403, share: 403 },
  // the import: projectleider only (a dry run, so the seeded data stays as it is)
  'POST /api/import/prestatielijst':                          { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/import/incidents':                               { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  // the apothekerskast: read by every signed-in role (share links too: organisations see it under their
  // next steps), managed by the projectleider
  'GET /api/resources':                                       { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
  'POST /api/resources':                                      { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'POST /api/resources/upload':                               { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 403, share: 403 },
  'PATCH /api/resources/{id}':                                { anonymous: 401, projectleider: 200, bestuur: 403, organisatie: 403, share: 403 },
  'DELETE /api/resources/{id}':                               { anonymous: 401, projectleider: 204, bestuur: 403, organisatie: 403, share: 403 },
  'GET /api/resources/{id}/file':                             { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 200, share: 200 },
};

/**
 * The `own` routes again, now with organisation B's id: the organisatie clients get the same 404
 * as for an organisation that does not exist.
 */
// biome-ignore format: one line per operation keeps the table readable
const EXPECTED_OTHER_ORG: Record<string, Expected> = {
  'GET /api/organisations/{id}':                      { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/status':               { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/history':              { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/periods':              { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/diff':                 { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/quickscans':           { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/quickscans/{quarter}': { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/incidents':            { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/incidents/{quarter}':  { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  // another organisation's figures: the organisatie account gets the 404 of an unknown organisation
  'PUT /api/organisations/{id}/incidents/{quarter}':  { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 404, share: 403 },
  'PUT /api/organisations/{id}/employees/{year}':     { anonymous: 401, projectleider: 201, bestuur: 403, organisatie: 404, share: 403 },
  'GET /api/organisations/{id}/incident-trend':       { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  'GET /api/organisations/{id}/actions':              { anonymous: 401, projectleider: 200, bestuur: 200, organisatie: 404, share: 404 },
  // A's action under B's address: it does not exist there, also for the projectleider
  'PATCH /api/organisations/{id}/actions/{actionId}': { anonymous: 401, projectleider: 404, bestuur: 403, organisatie: 404, share: 403 },
};

interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

interface Seed {
  orgA: number;
  orgB: number;
  sectorOfA: number;
  sectorOfB: number;
  /** Throwaway organisations go here, so the seeded sectors keep their numbers. */
  scratchSector: number;
  modelId: string;
  modelVersion: number;
  shareToken: string;
  loginEmail: string;
  userIds: Record<'projectleider' | 'bestuur' | 'organisatie', number>;
  sessions: Record<Client, Session | null>;
}

const NAME_A = 'Gemeente Eigenstad';
/** Names the organisatie clients must never see. */
const OTHER_NAMES = ['Gemeente Buurdorp', 'Gemeente Overkant', 'Ziekenhuis Elders'];

let t: TestApp;
let s: Seed;
let counter = 0;
const next = () => ++counter;

/** Sends a request as a client: its session cookie and CSRF token, unless `req.headers` overrides them. */
function send(client: Client, method: string, req: Req): Promise<LightMyRequestResponse> {
  return t.anonymous({
    method: method as 'GET',
    url: req.url,
    ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
    headers: { ...signedHeaders(s.sessions[client]), ...req.headers },
  });
}

/** The headers of a client's session; none for the anonymous client. */
function signedHeaders(session: Session | null): Record<string, string> {
  return session ? sessionHeaders(session) : {};
}

/** A second session of the same kind as the client's, for the cases that end a session. */
async function freshSession(client: Client): Promise<Session | null> {
  if (client === 'anonymous') return null;
  if (client === 'share') return openShareLink(t, s.shareToken);
  return startTestSession(t.app, s.userIds[client]);
}

// Throwaway objects, so the projectleider's successful writes leave the seeded data alone.
const freshUser = () => insertTestUser(t.db, `wegwerp-${next()}@test.example.org`, 'bestuur');
const freshSector = async () => (await createSector(t.app, `Wegwerpsector ${next()}`)).id;
const freshOrg = async () =>
  (await createOrg(t.app, { name: `Wegwerp ${next()}`, sector: s.scratchSector, memberFrom: '2016-Q1' })).id;
const freshShareLink = async () =>
  (
    await call<{ id: number }>(
      t.app,
      { method: 'POST', url: `/api/organisations/${s.orgA}/share-links`, payload: { label: 'wegwerp' } },
      201,
    )
  ).id;
/** The region's 0-meting, set once (the incident report needs it); its version. */
async function ensureBaseline(): Promise<number> {
  const list = await call<{ region: { version: number } | null }>(
    t.app,
    { method: 'GET', url: '/api/baselines' },
    200,
  );
  if (list.region) return list.region.version;
  const set = await call<{ version: number }>(
    t.app,
    {
      method: 'PUT',
      url: '/api/baselines/region',
      payload: { from: '2016-Q1', to: '2016-Q2', targetPercent: -25 },
    },
    201,
  );
  return set.version;
}
const freshTarget = async () =>
  (
    await call<{ id: number }>(
      t.app,
      { method: 'POST', url: '/api/targets', payload: { kind: 'average', value: 3, quarter: '2017-Q4' } },
      201,
    )
  ).id;
/** A pdf for the apothekerskast as a multipart/form-data upload (the type is read from the bytes). */
function resourceUpload(): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vpt-kast-${next()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="criterion"\r\n\r\n2a\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nModelprotocol\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="protocol.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    minimalPdf(),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
/** A document in the apothekerskast, added by the projectleider for one request; its id. */
const freshResource = async () =>
  (
    await call<{ id: number }>(
      t.app,
      { method: 'POST', url: '/api/resources/upload', ...resourceUpload() },
      201,
    )
  ).id;
const freshInvitation = async () =>
  (
    await call<{ id: number }>(
      t.app,
      {
        method: 'POST',
        url: '/api/invitations',
        payload: { email: `wegwerp-uitnodiging-${next()}@test.example.org`, role: 'bestuur' },
      },
      201,
    )
  ).id;
/** A new action of organisation A (version 1). */
const freshAction = async () =>
  (
    await call<{ id: number }>(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${s.orgA}/actions`,
        payload: { criterion: '2b', title: 'Toegangstest' },
      },
      201,
    )
  ).id;
const freshActivity = async () =>
  (
    await call<{ id: number }>(
      t.app,
      {
        method: 'POST',
        url: '/api/activities',
        payload: { date: '2016-05-01', kind: 'advies', title: 'Toegangstest' },
      },
      201,
    )
  ).id;
/** The projectleider writes to a throwaway organisation; everyone else tries their own (A). */
const writeTarget = (client: Client) => (client === 'projectleider' ? freshOrg() : Promise.resolve(s.orgA));

const REQUESTS: Record<string, (client: Client) => Req | Promise<Req>> = {
  'GET /api/health': () => ({ url: '/api/health' }),
  'POST /api/auth/login': () => ({
    url: '/api/auth/login',
    payload: { email: s.loginEmail, password: TEST_PASSWORD },
  }),
  'GET /api/auth/setup': () => ({ url: '/api/auth/setup' }),
  'POST /api/auth/setup': () => ({
    url: '/api/auth/setup',
    payload: {
      token: 'geen-geldige-installatietoken',
      email: 'eerste@test.example.org',
      password: TEST_PASSWORD,
    },
  }),
  'POST /api/auth/share': () => ({ url: '/api/auth/share', payload: { token: s.shareToken } }),
  'POST /api/auth/login/code': () => ({
    url: '/api/auth/login/code',
    payload: { challenge: 'geen-geldige-uitdaging-00000000000', code: '123456' },
  }),
  'GET /api/auth/two-factor': () => ({ url: '/api/auth/two-factor' }),
  'POST /api/auth/two-factor/setup': () => ({ url: '/api/auth/two-factor/setup', payload: {} }),
  'POST /api/auth/two-factor/confirm': () => ({
    url: '/api/auth/two-factor/confirm',
    payload: { code: '000000' },
  }),
  'POST /api/auth/two-factor/disable': () => ({
    url: '/api/auth/two-factor/disable',
    payload: { password: TEST_PASSWORD, code: '000000' },
  }),
  'POST /api/auth/two-factor/recovery-codes': () => ({
    url: '/api/auth/two-factor/recovery-codes',
    payload: { code: '000000' },
  }),
  'GET /api/auth/me': () => ({ url: '/api/auth/me' }),
  'GET /api/auth/session': () => ({ url: '/api/auth/session' }),
  // Logging out ends the session, so each client logs out of a second session of its own kind.
  'POST /api/auth/logout': async (client) => ({
    url: '/api/auth/logout',
    headers: signedHeaders(await freshSession(client)),
  }),
  'GET /api/model': () => ({ url: '/api/model' }),
  'GET /api/models': () => ({ url: '/api/models' }),
  'GET /api/models/{id}/{version}': () => ({ url: `/api/models/${s.modelId}/${s.modelVersion}` }),
  'GET /api/users': () => ({ url: '/api/users' }),
  // Everyone else tries to make a projectleider.
  'POST /api/users': () => ({
    url: '/api/users',
    payload: { email: `nieuw-${next()}@test.example.org`, role: 'projectleider', password: TEST_PASSWORD },
  }),
  // bestuur and organisatie try to promote themselves.
  'PATCH /api/users/{id}': async (client) => ({
    url: `/api/users/${client === 'bestuur' || client === 'organisatie' ? s.userIds[client] : await freshUser()}`,
    payload: { role: 'projectleider' },
  }),
  'DELETE /api/users/{id}': async () => ({ url: `/api/users/${await freshUser()}` }),
  'DELETE /api/users/{id}/two-factor': async () => ({ url: `/api/users/${await freshUser()}/two-factor` }),
  'POST /api/users/{id}/password': async () => ({
    url: `/api/users/${await freshUser()}/password`,
    payload: { password: 'een heel nieuw wachtwoord' },
  }),
  'GET /api/organisations/{id}/share-links': () => ({ url: `/api/organisations/${s.orgA}/share-links` }),
  'POST /api/organisations/{id}/share-links': () => ({
    url: `/api/organisations/${s.orgA}/share-links`,
    payload: { label: 'toegangstest' },
  }),
  'DELETE /api/share-links/{id}': async () => ({ url: `/api/share-links/${await freshShareLink()}` }),
  'GET /api/audit': () => ({ url: '/api/audit' }),
  'GET /api/sectors': () => ({ url: '/api/sectors' }),
  'POST /api/sectors': () => ({ url: '/api/sectors', payload: { name: `Nieuwe sector ${next()}` } }),
  'GET /api/sectors/{id}': () => ({ url: `/api/sectors/${s.sectorOfB}` }),
  'PATCH /api/sectors/{id}': async () => ({
    url: `/api/sectors/${await freshSector()}`,
    payload: { name: `Hernoemde sector ${next()}` },
  }),
  'DELETE /api/sectors/{id}': async () => ({ url: `/api/sectors/${await freshSector()}` }),
  'GET /api/organisations': () => ({ url: `/api/organisations?quarter=${Q}` }),
  'POST /api/organisations': () => ({
    url: '/api/organisations',
    payload: { name: `Nieuwe organisatie ${next()}`, sectorId: s.scratchSector, memberFrom: '2016-Q1' },
  }),
  'GET /api/organisations/{id}': () => ({ url: `/api/organisations/${s.orgA}` }),
  'PATCH /api/organisations/{id}': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}`,
    payload: { notes: 'bijgewerkt' },
  }),
  'POST /api/organisations/{id}/archive': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/archive`,
    payload: {},
  }),
  'POST /api/organisations/{id}/restore': async (client) => {
    const id = await writeTarget(client);
    if (client === 'projectleider') {
      await call(t.app, { method: 'POST', url: `/api/organisations/${id}/archive`, payload: {} }, 200);
    }
    return { url: `/api/organisations/${id}/restore` };
  },
  'GET /api/organisations/{id}/status': () => ({ url: `/api/organisations/${s.orgA}/status?quarter=${Q}` }),
  'GET /api/organisations/{id}/history': () => ({ url: `/api/organisations/${s.orgA}/history` }),
  'GET /api/organisations/{id}/revisions': () => ({ url: `/api/organisations/${s.orgA}/revisions` }),
  'GET /api/organisations/{id}/periods': () => ({ url: `/api/organisations/${s.orgA}/periods` }),
  'GET /api/organisations/{id}/diff': () => ({ url: `/api/organisations/${s.orgA}/diff?${PERIOD}` }),
  // Joining needs an organisation without an open period: the projectleider's throwaway one left first.
  'POST /api/organisations/{id}/join': async (client) => {
    const id = await writeTarget(client);
    if (client === 'projectleider') {
      await call(
        t.app,
        { method: 'POST', url: `/api/organisations/${id}/leave`, payload: { until: '2016-Q4' } },
        200,
      );
    }
    return { url: `/api/organisations/${id}/join`, payload: { from: '2018-Q1' } };
  },
  'POST /api/organisations/{id}/leave': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/leave`,
    payload: { until: '2016-Q4' },
  }),
  'POST /api/organisations/{id}/move': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/move`,
    payload: { sectorId: client === 'projectleider' ? await freshSector() : s.sectorOfB, from: '2017-Q1' },
  }),
  'GET /api/organisations/{id}/incidents': () => ({ url: `/api/organisations/${s.orgA}/incidents` }),
  'GET /api/organisations/{id}/incidents/{quarter}': () => ({
    url: `/api/organisations/${s.orgA}/incidents/${Q}`,
  }),
  'PUT /api/organisations/{id}/incidents/{quarter}': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/incidents/${WRITE_Q}`,
    payload: { verbal: 3, physical: 0 },
  }),
  'PUT /api/organisations/{id}/employees/{year}': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/employees/2016`,
    payload: { employees: 120 },
  }),
  'GET /api/organisations/{id}/incident-trend': () => ({
    url: `/api/organisations/${s.orgA}/incident-trend?${PERIOD}`,
  }),
  'GET /api/baselines': () => ({ url: '/api/baselines' }),
  'PUT /api/baselines/region': async () => {
    const version = await ensureBaseline();
    return {
      url: '/api/baselines/region',
      payload: { from: '2016-Q1', to: '2016-Q2', targetPercent: -10 - next(), expectedVersion: version },
    };
  },
  'PUT /api/baselines/sectors/{sectorId}': async (client) => ({
    url: `/api/baselines/sectors/${client === 'projectleider' ? await freshSector() : s.sectorOfA}`,
    payload: { from: '2016-Q1', to: '2016-Q2', targetPercent: -20 },
  }),
  'DELETE /api/baselines/sectors/{sectorId}': async () => {
    const sector = await freshSector();
    await call(
      t.app,
      {
        method: 'PUT',
        url: `/api/baselines/sectors/${sector}`,
        payload: { from: '2016-Q1', to: '2016-Q1', targetPercent: -5 },
      },
      201,
    );
    return { url: `/api/baselines/sectors/${sector}` };
  },
  'GET /api/reports/incidents': async () => {
    await ensureBaseline();
    return { url: `/api/reports/incidents?${PERIOD}` };
  },
  'GET /api/targets': () => ({ url: '/api/targets' }),
  'POST /api/targets': () => ({
    url: '/api/targets',
    payload: { kind: 'gear-share-3', value: 80, quarter: '2017-Q4' },
  }),
  'DELETE /api/targets/{id}': async () => ({ url: `/api/targets/${await freshTarget()}` }),
  'GET /api/resources': () => ({ url: '/api/resources?criterion=2a' }),
  'POST /api/resources': () => ({
    url: '/api/resources',
    payload: { criterion: '2a', title: `Link ${next()}`, url: 'https://www.example.nl/modelprotocol' },
  }),
  'POST /api/resources/upload': () => ({ url: '/api/resources/upload', ...resourceUpload() }),
  'PATCH /api/resources/{id}': async () => ({
    url: `/api/resources/${await freshResource()}`,
    payload: { title: 'Nieuwe titel', expectedVersion: 1 },
  }),
  'DELETE /api/resources/{id}': async () => ({ url: `/api/resources/${await freshResource()}` }),
  'GET /api/resources/{id}/file': async () => ({ url: `/api/resources/${await freshResource()}/file` }),
  'GET /api/invitations': () => ({ url: '/api/invitations' }),
  'POST /api/invitations': () => ({
    url: '/api/invitations',
    payload: { email: `uitgenodigd-${next()}@test.example.org`, role: 'bestuur' },
  }),
  'DELETE /api/invitations/{id}': async () => ({ url: `/api/invitations/${await freshInvitation()}` }),
  'POST /api/users/{id}/reset-link': async () => ({ url: `/api/users/${await freshUser()}/reset-link` }),
  'POST /api/invitations/by-token': () => ({
    url: '/api/invitations/by-token',
    payload: { token: 'geen-geldige-uitnodiging-000000000000000' },
  }),
  'POST /api/invitations/accept': () => ({
    url: '/api/invitations/accept',
    payload: { token: 'geen-geldige-uitnodiging-000000000000000', password: 'een heel nieuw wachtwoord' },
  }),
  'GET /api/organisations/{id}/actions': () => ({ url: `/api/organisations/${s.orgA}/actions` }),
  'POST /api/organisations/{id}/actions': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/actions`,
    payload: { criterion: '2b', title: 'Protocol bespreken' },
  }),
  'PATCH /api/organisations/{id}/actions/{actionId}': async () => ({
    url: `/api/organisations/${s.orgA}/actions/${await freshAction()}`,
    payload: { status: 'bezig', expectedVersion: 1 },
  }),
  'DELETE /api/organisations/{id}/actions/{actionId}': async () => ({
    url: `/api/organisations/${s.orgA}/actions/${await freshAction()}`,
  }),
  'GET /api/actions': () => ({ url: '/api/actions?overdue=true' }),
  'GET /api/activities': () => ({ url: `/api/activities?organisationId=${s.orgA}` }),
  'POST /api/activities': () => ({
    url: '/api/activities',
    payload: { date: '2016-05-01', kind: 'huisbezoek', title: 'Bezoek', organisationIds: [s.orgA] },
  }),
  'PATCH /api/activities/{id}': async () => ({
    url: `/api/activities/${await freshActivity()}`,
    payload: { title: 'Gewijzigd', expectedVersion: 1 },
  }),
  'DELETE /api/activities/{id}': async () => ({ url: `/api/activities/${await freshActivity()}` }),
  'GET /api/reports/activities': () => ({ url: `/api/reports/activities?${PERIOD}` }),
  'GET /api/organisations/{id}/quickscans': () => ({ url: `/api/organisations/${s.orgA}/quickscans` }),
  'POST /api/organisations/{id}/quickscans': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/quickscans`,
    payload: { quarter: WRITE_Q, answers: answersForGear(2) },
  }),
  'GET /api/organisations/{id}/quickscans/{quarter}': () => ({
    url: `/api/organisations/${s.orgA}/quickscans/${Q}`,
  }),
  'PUT /api/organisations/{id}/quickscans/{quarter}': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/quickscans/${WRITE_Q}`,
    payload: { answers: answersForGear(3) },
  }),
  // The others aim at A's existing quickscan, so only the access rule stands between them and a 204.
  'DELETE /api/organisations/{id}/quickscans/{quarter}': async (client) => {
    if (client !== 'projectleider') return { url: `/api/organisations/${s.orgA}/quickscans/${Q}` };
    const id = await freshOrg();
    await setGear(t.app, id, WRITE_Q, 2);
    return { url: `/api/organisations/${id}/quickscans/${WRITE_Q}` };
  },
  'GET /api/organisations/{id}/quickscans/{quarter}/revisions': () => ({
    url: `/api/organisations/${s.orgA}/quickscans/${Q}/revisions`,
  }),
  'PUT /api/organisations/{id}/gears/{quarter}': async (client) => ({
    url: `/api/organisations/${await writeTarget(client)}/gears/${WRITE_Q}`,
    payload: { gear: 3 },
  }),
  'GET /api/reports/summary': () => ({ url: `/api/reports/summary?${PERIOD}` }),
  'GET /api/reports/matrix': () => ({ url: `/api/reports/matrix?${PERIOD}` }),
  'GET /api/reports/measures': () => ({ url: `/api/reports/measures?quarter=${Q}&from=2016-Q1` }),
  'GET /api/reports/distribution': () => ({ url: `/api/reports/distribution?${PERIOD}` }),
  'GET /api/reports/worklist': () => ({ url: `/api/reports/worklist?quarter=${Q}` }),
  'GET /api/quarters': () => ({ url: '/api/quarters' }),
  'POST /api/quarters/{quarter}/close': () => ({ url: '/api/quarters/2000-Q1/close', payload: {} }),
  'POST /api/quarters/{quarter}/reopen': () => ({
    url: `/api/quarters/${Q}/reopen`,
    payload: { reason: 'toegangstest' },
  }),
  'GET /api/reports/prestatielijst.xlsx': () => ({ url: `/api/reports/prestatielijst.xlsx?${PERIOD}` }),
  'POST /api/import/incidents': () => {
    const boundary = `toegangstest-${next()}`;
    // A row without figures for an organisation that exists: nothing changes, whatever the quarter's state.
    const csv = `Id;Kwartaal;Verbaal;Bedreiging;Fysiek;Overig;Aangiftes;Reacties 48 uur;Schade verhaald\n${s.orgA};${Q};;;;;;;\n`;
    return {
      url: '/api/import/incidents?dryRun=true',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cijfers.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    };
  },
  'POST /api/import/prestatielijst': () => {
    const boundary = `toegangstest-${next()}`;
    const csv = `Organisatie;Sector;${WRITE_Q}\nImporttest ${next()};Wegwerp;2\n`;
    return {
      url: '/api/import/prestatielijst?dryRun=true',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lijst.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    };
  },
};

/** Does a concrete URL belong to an OpenAPI path template such as /api/organisations/{id}? */
function matchesTemplate(url: string, template: string): boolean {
  const path = url.split('?')[0]!;
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

/** Runs one operation for every client and returns the statuses; checks error codes and leaks on the way. */
async function runAll(key: string, request: (client: Client) => Req | Promise<Req>): Promise<Expected> {
  const [method, template] = key.split(' ') as [string, string];
  const actual = {} as Expected;
  for (const client of CLIENTS) {
    const req = await request(client);
    expect(matchesTemplate(req.url, template), `${req.url} is not ${template}`).toBe(true);
    const res = await send(client, method, req);
    actual[client] = res.statusCode;
    const where = `${key} as ${client}: ${res.body}`;
    // The refusals are the access rule's, not a CSRF or missing-rule refusal in disguise.
    // (The code step's own 401 is about its challenge, not about a session.)
    const unauthenticated =
      key === 'POST /api/auth/login/code' ? 'two_factor_challenge_invalid' : 'unauthenticated';
    if (res.statusCode === 401) expect.soft(res.json().error.code, where).toBe(unauthenticated);
    if (res.statusCode === 403) expect.soft(res.json().error.code, where).toBe('forbidden');
    if ((client === 'organisatie' || client === 'share') && res.statusCode < 300) {
      for (const name of OTHER_NAMES) expect.soft(res.body, where).not.toContain(name);
    }
  }
  return actual;
}

beforeAll(async () => {
  t = await buildTestApp({ config: { loginLimitPerIp: 10_000, loginLimitPerAccount: 10_000 } });
  const { app } = t;

  // Sector of A: three organisations with a gear (its average may be shown); sector of B: only B.
  const sectorOfA = await sectorId(app, 'Openbaar Bestuur');
  const sectorOfB = await sectorId(app, 'Zorg');
  const scratchSector = (await createSector(app, 'Wegwerp')).id;
  const orgA = (await createOrg(app, { name: NAME_A, sector: sectorOfA, memberFrom: '2016-Q1' })).id;
  const neighbour1 = (
    await createOrg(app, { name: OTHER_NAMES[0]!, sector: sectorOfA, memberFrom: '2016-Q1' })
  ).id;
  const neighbour2 = (
    await createOrg(app, { name: OTHER_NAMES[1]!, sector: sectorOfA, memberFrom: '2016-Q1' })
  ).id;
  const orgB = (await createOrg(app, { name: OTHER_NAMES[2]!, sector: sectorOfB, memberFrom: '2016-Q1' })).id;
  for (const [id, gear] of [
    [orgA, 3],
    [neighbour1, 4],
    [neighbour2, 2],
    [orgB, 2],
  ] as const) {
    await setGear(app, id, '2016-Q1', gear - 1 || 1);
    await recordQuickscan(app, id, Q, answersForGear(gear));
  }

  const model = await call<{ id: string; version: number }>(app, { method: 'GET', url: '/api/model' }, 200);
  const shareToken = (
    await call<{ token: string }>(
      app,
      { method: 'POST', url: `/api/organisations/${orgA}/share-links`, payload: { label: 'voor A' } },
      201,
    )
  ).token;

  const pl = await t.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'projectleider')
    .executeTakeFirstOrThrow();
  const userIds = {
    projectleider: pl.id,
    bestuur: await insertTestUser(t.db, 'bestuur@test.example.org', 'bestuur'),
    organisatie: await insertTestUser(t.db, 'contact@eigenstad.example.org', 'organisatie', orgA),
  };
  const loginEmail = 'inloggen@test.example.org';
  await insertTestUser(t.db, loginEmail, 'bestuur');

  s = {
    orgA,
    orgB,
    sectorOfA,
    sectorOfB,
    scratchSector,
    modelId: model.id,
    modelVersion: model.version,
    shareToken,
    loginEmail,
    userIds,
    sessions: {
      anonymous: null,
      projectleider: await startTestSession(t.app, userIds.projectleider),
      bestuur: await startTestSession(t.app, userIds.bestuur),
      organisatie: await startTestSession(t.app, userIds.organisatie),
      share: await openShareLink(t, shareToken),
    },
  };
});

afterAll(async () => {
  await t?.close();
});

describe('the access table', () => {
  it('when the OpenAPI document is read, then the table has exactly one entry per operation', async () => {
    // Act: the document is public, like the documentation page that reads it.
    const res = await t.anonymous({ method: 'GET', url: '/api/openapi.json' });

    // Assert
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(0);
    expect([...operations].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('when an organisation route lets the organisatie role in, then it is also tried with another organisation', () => {
    const ownReadable = Object.entries(EXPECTED)
      .filter(([key, e]) => /^[A-Z]+ \/api\/organisations\/\{id\}/.test(key) && e.organisatie < 300)
      .map(([key]) => key);
    expect(ownReadable.sort()).toEqual(Object.keys(EXPECTED_OTHER_ORG).sort());
  });

  for (const [key, expected] of Object.entries(EXPECTED)) {
    it(`${key}`, async () => {
      const request = REQUESTS[key];
      expect(request, `no request for ${key}`).toBeDefined();
      expect(await runAll(key, request!)).toEqual(expected);
    });
  }

  for (const [key, expected] of Object.entries(EXPECTED_OTHER_ORG)) {
    it(`${key} with another organisation's id`, async () => {
      const request = async (): Promise<Req> => {
        // As the projectleider would call it (for a write: a throwaway organisation), then on B.
        const req = await REQUESTS[key]!('projectleider');
        return { ...req, url: req.url.replace(/\/organisations\/\d+\//, `/organisations/${s.orgB}/`) };
      };
      // The `/organisations/{id}` route itself has no trailing slash.
      const requestOne = (): Req => ({ url: `/api/organisations/${s.orgB}` });
      expect(await runAll(key, key === 'GET /api/organisations/{id}' ? requestOne : request)).toEqual(
        expected,
      );
    });
  }

  it('when the clients have run every operation, then their own sessions still work', async () => {
    for (const client of CLIENTS) {
      const res = await send(client, 'GET', { url: '/api/auth/me' });
      expect(res.statusCode, client).toBe(client === 'anonymous' ? 401 : 200);
    }
  });
});

describe('what the organisatie role sees', () => {
  it("when an organisation reads another organisation's id, then the answer is the same 404 as for a missing one", async () => {
    for (const client of ['organisatie', 'share'] as const) {
      const other = expectError(
        await send(client, 'GET', { url: `/api/organisations/${s.orgB}` }),
        404,
        'organisation_not_found',
      );
      const missing = expectError(
        await send(client, 'GET', { url: '/api/organisations/999999' }),
        404,
        'organisation_not_found',
      );
      expect(other.error.message.replace(String(s.orgB), 'N')).toBe(
        missing.error.message.replace('999999', 'N'),
      );
    }
    // The projectleider gets the same answer for a missing organisation.
    expectError(
      await send('projectleider', 'GET', { url: '/api/organisations/999999' }),
      404,
      'organisation_not_found',
    );
  });

  it('when an organisation lists organisations, then it sees only itself', async () => {
    for (const client of ['organisatie', 'share'] as const) {
      const res = await send(client, 'GET', { url: `/api/organisations?quarter=${Q}` });
      expect(res.statusCode).toBe(200);
      const items = (res.json() as { items: { id: number; name: string }[] }).items;
      expect(items.map((o) => o.name)).toEqual([NAME_A]);
    }
    const all = await send('bestuur', 'GET', { url: `/api/organisations?quarter=${Q}` });
    const names = (all.json() as { items: { name: string }[] }).items.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining([NAME_A, ...OTHER_NAMES]));
  });

  it('when an organisation reads the matrix, then the average of a sector with fewer than 3 organisations is hidden', async () => {
    const cellOf = (m: Matrix, sector: number) =>
      m.sectors.find((x) => x.id === sector)!.cells.find((c) => c.quarter === Q)!;
    const url = `/api/reports/matrix?${PERIOD}`;
    const full = (await send('projectleider', 'GET', { url })).json() as Matrix;
    const bestuur = (await send('bestuur', 'GET', { url })).json() as Matrix;

    // The sector of B has one organisation with a gear: a number for the projectleider and bestuur.
    expect(cellOf(full, s.sectorOfB)).toEqual({ quarter: Q, n: 1, average: 2, staleCount: 0 });
    expect(cellOf(bestuur, s.sectorOfB).average).toBe(2);
    expect(cellOf(full, s.sectorOfA)).toEqual({ quarter: Q, n: 3, average: 3, staleCount: 0 });
    for (const client of ['organisatie', 'share'] as const) {
      const res = await send(client, 'GET', { url });
      expect(res.statusCode).toBe(200);
      const m = res.json() as Matrix;
      expect(cellOf(m, s.sectorOfB).average, client).toBeNull();
      expect(m.sectors.find((x) => x.id === s.sectorOfB)!.cells.every((c) => c.average === null)).toBe(true);
      // Three organisations stay visible; the region does not, since region minus the shown
      // sectors would give the one hidden organisation's gear away.
      expect(cellOf(m, s.sectorOfA), client).toEqual({ quarter: Q, n: 3, average: 3, staleCount: 0 });
      expect(full.region.cells.find((c) => c.quarter === Q)!.average).toBe(2.75);
      // A withheld average withholds its staleCount too.
      expect(m.region.cells.find((c) => c.quarter === Q)).toEqual({
        quarter: Q,
        n: 4,
        average: null,
        staleCount: null,
      });
    }
  });

  it('when an organisation reads the summary, then the average of a sector with fewer than 3 organisations is hidden', async () => {
    const url = `/api/reports/summary?${PERIOD}`;
    const sectorOf = (sm: Summary, name: string) => sm.sectors.find((x) => x.name === name)!;
    const full = (await send('projectleider', 'GET', { url })).json() as Summary;
    expect(sectorOf(full, 'Zorg').to.average).toBe(2);
    expect(sectorOf(full, 'Openbaar Bestuur').to.average).toBe(3);
    for (const client of ['organisatie', 'share'] as const) {
      const res = await send(client, 'GET', { url });
      expect(res.statusCode).toBe(200);
      const sm = res.json() as Summary;
      expect(sectorOf(sm, 'Zorg').to.average, client).toBeNull();
      expect(sectorOf(sm, 'Zorg').changePercent, client).toBeNull();
      expect(sectorOf(sm, 'Openbaar Bestuur').to.average, client).toBe(3);
      expect(sm.strongest).not.toContain('Zorg');
      expect(full.overall.to.average).toBe(2.75);
      expect(sm.overall.to.average, 'region minus shown sectors would reveal Zorg').toBeNull();
    }
  });
});

describe('sessions and CSRF', () => {
  it('when a write carries a valid session but no or a wrong X-CSRF-Token, then it is refused with csrf_failed', async () => {
    const before = await t.db.selectFrom('sectors').select('id').execute();
    const cookie = `vpt_sessie=${s.sessions.projectleider!.token}`;
    const variants: Record<string, string>[] = [
      { cookie },
      { cookie, 'x-csrf-token': '' },
      { cookie, 'x-csrf-token': s.sessions.bestuur!.csrfToken },
    ];
    for (const headers of variants) {
      expectError(
        await t.anonymous({
          method: 'POST',
          url: '/api/sectors',
          payload: { name: 'Zonder token' },
          headers,
        }),
        403,
        'csrf_failed',
      );
    }
    const sector = await freshSector();
    const org = await freshOrg();
    const others = [
      { method: 'PATCH', url: `/api/sectors/${sector}`, payload: { name: 'Zonder token' } },
      { method: 'DELETE', url: `/api/sectors/${sector}` },
      { method: 'PUT', url: `/api/organisations/${org}/gears/${WRITE_Q}`, payload: { gear: 2 } },
    ] as const;
    for (const req of others) {
      expectError(await t.anonymous({ ...req, headers: { cookie } }), 403, 'csrf_failed');
    }
    // Nothing was written: the only new sector is the throwaway one made above.
    const after = await t.db.selectFrom('sectors').select('id').execute();
    expect(after.length).toBe(before.length + 1);
    const gears = await t.db
      .selectFrom('quickscans')
      .select('id')
      .where('organisation_id', '=', org)
      .execute();
    expect(gears).toEqual([]);
  });

  it('when logging out without the CSRF token, then the session is not ended', async () => {
    for (const client of ['projectleider', 'share'] as const) {
      const session = (await freshSession(client))!;
      const cookie = `vpt_sessie=${session.token}`;
      expectError(
        await t.anonymous({ method: 'POST', url: '/api/auth/logout', headers: { cookie } }),
        403,
        'csrf_failed',
      );
      const me = await t.anonymous({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect(me.statusCode, client).toBe(200);
    }
  });

  it('when the session cookie is unknown or garbage, then the request is treated as anonymous', async () => {
    for (const token of ['onzin', 'a'.repeat(43), s.sessions.projectleider!.csrfToken]) {
      const headers = { cookie: `vpt_sessie=${token}`, 'x-csrf-token': s.sessions.projectleider!.csrfToken };
      const me = await t.anonymous({ method: 'GET', url: '/api/auth/me', headers });
      expectError(me, 401, 'unauthenticated');
      // The dead cookie is cleared.
      const cleared = me.cookies.find((c) => c.name === 'vpt_sessie');
      expect(cleared?.value ?? '').toBe('');
      expectError(
        await t.anonymous({ method: 'GET', url: `/api/organisations/${s.orgA}`, headers }),
        401,
        'unauthenticated',
      );
      expectError(
        await t.anonymous({ method: 'POST', url: '/api/sectors', payload: { name: 'Vals' }, headers }),
        401,
        'unauthenticated',
      );
      // Public routes still answer.
      expect((await t.anonymous({ method: 'GET', url: '/api/health', headers })).statusCode).toBe(200);
    }
  });

  it('when a GET route is called with HEAD, then the same access rule applies', async () => {
    const anonymous = await t.anonymous({ method: 'HEAD', url: `/api/organisations/${s.orgA}` });
    expect(anonymous.statusCode).toBe(401);
    const other = await send('organisatie', 'HEAD', { url: `/api/organisations/${s.orgB}` });
    expect(other.statusCode).toBe(404);
    const worklist = await send('share', 'HEAD', { url: `/api/reports/worklist?quarter=${Q}` });
    expect(worklist.statusCode).toBe(403);
  });
});
