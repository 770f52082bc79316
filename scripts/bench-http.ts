/**
 * The bench's HTTP measurement: a bare hello-world Fastify server, a bare Fastify + better-sqlite3
 * point lookup and the real app answering the organisation page's main call (with and without its
 * read cache), each in a child
 * process of its own on an ephemeral port, loaded in turn by a small keep-alive load generator
 * in the bench's process (so the server and the load each have a core of the two).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { Kysely, SqliteDialect } from 'kysely';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import { setReadCacheEntries } from '../server/db/read-cache.ts';
import type { Database } from '../server/db/schema.ts';
import { hashPassword } from '../server/security/passwords.ts';

export const HTTP_SUBJECTS = ['hello', 'point', 'app', 'app-uncached'] as const;
export type HttpSubject = (typeof HTTP_SUBJECTS)[number];

const CONNECTIONS = 50;
const WARMUP_MS = 1000;
const DURATION_MS = 5000;
const EMAIL = 'bench-organisatie@example.org';
const PASSWORD = 'Bench wachtwoord voor de organisatiepagina 2026';

/** What a server child tells the bench once it listens. */
interface Listening {
  port: number;
  path: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  errors: number;
  /** Status codes other than 200 (first seen). */
  badStatus: number | null;
}

/** An organisation that is a member now: the one the organisatie user belongs to. */
function pickOrganisation(sqlite: SQLite.Database): number {
  const row = sqlite
    .prepare(
      'select organisation_id from memberships where until_quarter is null order by organisation_id limit 1',
    )
    .get() as { organisation_id: number };
  return row.organisation_id;
}

/** In a child process: starts `subject` on 127.0.0.1, port 0, and stays until SIGTERM. */
export async function serveInChild(subject: HttpSubject, dbFile: string, quarter: string): Promise<void> {
  let app: FastifyInstance;
  let listening: Omit<Listening, 'port'>;
  if (subject === 'hello') {
    app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    listening = { path: '/', headers: {} };
  } else if (subject === 'point') {
    const sqlite = new SQLite(dbFile, { readonly: true });
    const orgId = pickOrganisation(sqlite);
    const latest = sqlite.prepare(
      'select gear, quarter from quickscans where organisation_id = ? order by quarter desc limit 1',
    );
    app = Fastify({ logger: false });
    app.get<{ Params: { id: string } }>('/org/:id', async (req) => {
      const id = Number(req.params.id);
      return { id, ...(latest.get(id) as { gear: number; quarter: string }) };
    });
    app.addHook('onClose', async () => sqlite.close());
    listening = { path: `/org/${orgId}`, headers: {} };
  } else {
    // Without the read cache every request runs the status's queries (the first visit after a write).
    if (subject === 'app-uncached') setReadCacheEntries(0);
    const orgId = await addOrganisatieUser(dbFile);
    app = await buildApp(testConfig({ databasePath: dbFile, cookieSecure: 'never' }));
    listening = { path: `/api/organisations/${orgId}/status?quarter=${quarter}`, headers: {} };
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('geen poort');
  if (subject.startsWith('app')) listening.headers.cookie = await logIn(address.port);
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
  process.send?.({ port: address.port, ...listening } satisfies Listening);
}

/** A user with role organisatie for a current member, password hashed as the app does. */
async function addOrganisatieUser(dbFile: string): Promise<number> {
  const sqlite = new SQLite(dbFile);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const orgId = pickOrganisation(sqlite);
    const at = new Date().toISOString();
    await db.deleteFrom('users').where('email_key', '=', EMAIL).execute();
    await db
      .insertInto('users')
      .values({
        email: EMAIL,
        email_key: EMAIL,
        password_hash: await hashPassword(PASSWORD),
        role: 'organisatie',
        organisation_id: orgId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return orgId;
  } finally {
    await db.destroy();
  }
}

/** Signs in through POST /api/auth/login and returns the session cookie. */
async function logIn(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`inloggen gaf ${response.status}: ${await response.text()}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (cookies.length === 0) throw new Error('inloggen gaf geen cookie');
  return cookies.join('; ');
}

/** One GET over the keep-alive agent; resolves with the status once the body is read. */
function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * CONNECTIONS loops each sending one request after the other over a keep-alive agent: a warm-up
 * of WARMUP_MS, then the requests completed in DURATION_MS.
 */
async function load(target: Listening): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const started = performance.now();
  const measureFrom = started + WARMUP_MS;
  const end = measureFrom + DURATION_MS;
  let requests = 0;
  let errors = 0;
  let badStatus: number | null = null;
  const loop = async () => {
    while (performance.now() < end) {
      try {
        const status = await get(agent, target.port, target.path, target.headers);
        if (status !== 200) {
          badStatus ??= status;
          errors++;
        } else if (performance.now() >= measureFrom && performance.now() <= end) requests++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  agent.destroy();
  return { requests, perSecond: requests / (DURATION_MS / 1000), errors, badStatus };
}

/** Starts `subject` in a child process (the bench script with --http-child), loads it and stops it. */
export async function measureHttp(script: string, subject: HttpSubject, dir: string): Promise<LoadResult> {
  const child: ChildProcess = fork(script, ['--http-child', subject, '--export-dir', dir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const target = await new Promise<Listening>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Listening));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`server ${subject} stopte (exit ${code})`)));
    });
    return await load(target);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
