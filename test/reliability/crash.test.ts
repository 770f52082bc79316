import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { prng } from '../support.ts';

/**
 * The server as a real process on a real file: writers hammer it, it is killed with SIGKILL at a
 * random moment, restarted on the same file, and every write it acknowledged must still be there.
 */

const root = resolve(import.meta.dirname, '../..');
const PASSWORD = 'krokodil-paraplu-zeventien-9';
const EMAIL = 'projectleider@crash.example.org';
const ROUNDS = 3;
const WRITERS = 4;
const QUARTERS = ['2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4', '2017-Q1', '2017-Q2'] as const;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  /** The setup token printed on the first start (null once an account exists). */
  setupToken: () => string | null;
  exited: Promise<void>;
}

const running = new Set<Server>();

async function startServer(databasePath: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_PATH: databasePath,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      COOKIE_SECURE: 'never',
      // Signing in is one step (password only), whatever the environment of the test run says.
      REQUIRE_2FA: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const server: Server = {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    setupToken: () => /\/setup\?token=([\w-]+)/.exec(out)?.[1] ?? null,
    exited,
  };
  running.add(server);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server stopped while starting:\n${out}`);
    }
    if (Date.now() > deadline) throw new Error(`the server did not start within 30 s:\n${out}`);
    try {
      const res = await fetch(`${server.base}/api/health`);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return server;
}

async function killServer(server: Server): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
  running.delete(server);
}

/** A clean stop (SIGTERM), as an operator would; SIGKILL if it has not stopped after 10 s. */
async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await server.exited;
  clearTimeout(timer);
  running.delete(server);
}

interface Client {
  cookie: string;
  csrfToken: string;
}

async function signInReply(res: Response, what: string): Promise<Client> {
  const body = await res.text();
  if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${body}`);
  const cookie = /vpt_sessie=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`${what}: no session cookie`);
  return { cookie, csrfToken: (JSON.parse(body) as { csrfToken: string }).csrfToken };
}

function request(server: Server, client: Client, method: string, path: string, body?: unknown) {
  return fetch(`${server.base}/api${path}`, {
    method,
    headers: {
      cookie: `vpt_sessie=${client.cookie}`,
      'x-csrf-token': client.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function setup(server: Server): Promise<Client> {
  const deadline = Date.now() + 10_000;
  while (server.setupToken() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const token = server.setupToken();
  if (token === null) throw new Error(`no setup link printed:\n${server.output()}`);
  const res = await fetch(`${server.base}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, email: EMAIL, password: PASSWORD }),
  });
  return signInReply(res, 'setup');
}

async function login(server: Server): Promise<Client> {
  const res = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  return signInReply(res, 'login');
}

interface Acknowledged {
  organisations: Map<number, string>;
  /** `orgId quarter` → gear. */
  gears: Map<string, number>;
  /** Replies other than 2xx while the server was up (they must be none). */
  refusals: string[];
}

/**
 * One writer: creates organisations and records gears for them until the server is gone. A write
 * counts as acknowledged only once its 2xx reply has been read in full.
 */
async function writer(
  server: Server,
  client: Client,
  round: number,
  index: number,
  sectorIds: number[],
  random: () => number,
  ack: Acknowledged,
): Promise<void> {
  try {
    for (let i = 0; ; i++) {
      const name = `Ronde ${round} schrijver ${index} organisatie ${i}`;
      const sectorId = sectorIds[Math.floor(random() * sectorIds.length)]!;
      const created = await request(server, client, 'POST', '/organisations', {
        name,
        sectorId,
        memberFrom: '2016-Q1',
      });
      const createdBody = await created.text();
      if (created.status !== 201) {
        ack.refusals.push(`POST /organisations ${created.status} ${createdBody}`);
        return;
      }
      const org = JSON.parse(createdBody) as { id: number; name: string };
      ack.organisations.set(org.id, org.name);
      const gearCount = 1 + Math.floor(random() * 3);
      for (const quarter of QUARTERS.slice(0, gearCount)) {
        const gear = 1 + Math.floor(random() * 5);
        const res = await request(server, client, 'PUT', `/organisations/${org.id}/gears/${quarter}`, {
          gear,
        });
        const body = await res.text();
        if (res.status !== 201) {
          ack.refusals.push(`PUT /organisations/${org.id}/gears/${quarter} ${res.status} ${body}`);
          return;
        }
        ack.gears.set(`${org.id} ${quarter}`, gear);
      }
    }
  } catch {
    // The server was killed: the request in flight was never acknowledged.
  }
}

describe('a server killed with SIGKILL under concurrent writes', () => {
  let temp: ReturnType<typeof tempDir>;

  beforeEach(() => {
    temp = tempDir('vpt-crash-');
  });

  afterEach(async () => {
    for (const server of [...running]) await killServer(server);
    temp.remove();
  });

  it('when the server is killed at a random moment in three rounds and restarted on the same file, then every acknowledged organisation and gear is there and the file passes the integrity check', {
    timeout: 180_000,
  }, async () => {
    // Arrange
    const databasePath = join(temp.dir, 'vpt.sqlite');
    const random = prng(20261130);
    const ack: Acknowledged = { organisations: new Map(), gears: new Map(), refusals: [] };
    let server = await startServer(databasePath);
    let client = await setup(server);
    const sectors = (await (await request(server, client, 'GET', '/sectors')).json()) as Array<{
      id: number;
    }>;
    const sectorIds = sectors.map((s) => s.id);
    expect(sectorIds.length).toBeGreaterThan(0);

    for (let round = 1; round <= ROUNDS; round++) {
      // Act: the writers run until the server is killed after a random 300–1500 ms.
      const before = ack.organisations.size;
      const writers = Array.from({ length: WRITERS }, (_, w) =>
        writer(server, client, round, w, sectorIds, prng(round * 100 + w), ack),
      );
      const killAfter = 300 + Math.floor(random() * 1200);
      await new Promise((r) => setTimeout(r, killAfter));
      const log = server.output();
      await killServer(server);
      await Promise.all(writers);
      server = await startServer(databasePath);
      client = await login(server);

      // Assert: the round wrote something, nothing was refused, and every acknowledged write is back.
      const where = `round ${round} (killed after ${killAfter} ms); server output:\n${log}\n${server.output()}`;
      expect(ack.refusals, where).toEqual([]);
      expect(ack.organisations.size, where).toBeGreaterThan(before);
      const listRes = await request(server, client, 'GET', '/organisations?includeArchived=true');
      expect(listRes.status, where).toBe(200);
      const list = (await listRes.json()) as { items: Array<{ id: number; name: string }> };
      const present = new Map(list.items.map((o) => [o.id, o.name]));
      const missing = [...ack.organisations].filter(([id, name]) => present.get(id) !== name);
      expect(missing, where).toEqual([]);
      const orgIds = new Set([...ack.gears.keys()].map((key) => Number(key.split(' ')[0])));
      const storedGears = new Map<string, number>();
      for (const id of orgIds) {
        const res = await request(server, client, 'GET', `/organisations/${id}/quickscans`);
        expect(res.status, where).toBe(200);
        for (const q of (await res.json()) as Array<{ quarter: string; gear: number }>) {
          storedGears.set(`${id} ${q.quarter}`, q.gear);
        }
      }
      const lostGears = [...ack.gears].filter(([key, gear]) => storedGears.get(key) !== gear);
      expect(lostGears, where).toEqual([]);
    }

    // Assert: after a clean stop, the file itself is sound.
    await stopServer(server);
    const sqlite = new SQLite(databasePath);
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = sqlite.prepare('select count(*) as n from organisations').get() as { n: number };
      expect(stored.n).toBeGreaterThanOrEqual(ack.organisations.size);
    } finally {
      sqlite.close();
    }
  });
});
