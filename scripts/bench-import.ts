/**
 * The import's part of `npm run bench`: a prestatielijst of ORGS × QUARTERS gears imported through
 * the import service, against a bare bulk insert of the same organisations and gears (prepared
 * single-row statements in one transaction, the tightest plain better-sqlite3 code), and the
 * health check probed over HTTP while the same list is imported through the API.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { nameKey } from '../server/domain/names.ts';
import { readPrestatielijst } from '../server/excel/prestatielijst-reader.ts';
import { hashPassword } from '../server/security/passwords.ts';
import { importPrestatielijst } from '../server/services/import.service.ts';
import { loadModelRegistry } from '../server/services/model-registry.ts';
import { OPERATOR } from '../server/services/principal.ts';

const NOW = new Date('2026-11-15T10:00:00Z');
const SECTORS = ['Gemeenten', 'Zorg', 'Onderwijs', 'Openbaar vervoer', 'Wonen'];
const PROBE_EVERY_MS = 100;

interface ImportList {
  csv: Buffer;
  /** Organisation name, sector name and its gears by quarter (`2016-Q1`). */
  rows: Array<{ name: string; sector: string; gears: Array<[string, number]> }>;
}

function makeList(orgs: number, quarters: number): ImportList {
  const columns = Array.from({ length: quarters }, (_, i) => ({
    header: `Q${(i % 4) + 1} ${2016 + Math.floor(i / 4)}`,
    quarter: `${2016 + Math.floor(i / 4)}-Q${(i % 4) + 1}`,
  }));
  const lines = [`Organisatie;Sector;Lid sinds;Lid tot;${columns.map((c) => c.header).join(';')}`];
  const rows: ImportList['rows'] = [];
  for (let o = 0; o < orgs; o++) {
    const gears = columns.map((c, i): [string, number] => [c.quarter, 1 + ((o * 7 + i) % 5)]);
    const row = { name: `Organisatie ${o}`, sector: SECTORS[o % SECTORS.length]!, gears };
    rows.push(row);
    lines.push(`${row.name};${row.sector};;;${gears.map(([, g]) => g).join(';')}`);
  }
  return { csv: Buffer.from(`${lines.join('\r\n')}\r\n`), rows };
}

/**
 * The same organisations and gears written as plainly as possible: the floor for the import.
 * `withRevisions` also writes what the import must keep besides the gear: one revision per gear
 * with the entry as JSON (the same rows the import writes, without its checks).
 */
function bareInsert(path: string, list: ImportList, withRevisions: boolean): number {
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const at = NOW.toISOString();
  const start = performance.now();
  const sectorIds = new Map<string, number>();
  const insertSector = sqlite.prepare(
    'insert into sectors (name, name_key, position, created_at, updated_at) values (?, ?, ?, ?, ?)',
  );
  const insertOrg = sqlite.prepare(
    `insert into organisations (name, name_key, sector_id, member_from, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?)`,
  );
  const insertGear = sqlite.prepare(
    `insert into quickscans (organisation_id, quarter, source, gear, created_at, created_by, updated_at, updated_by)
     values (?, ?, 'import', ?, ?, 'bench', ?, 'bench')`,
  );
  const insertRevision = sqlite.prepare(
    `insert into revisions (entity, entity_id, organisation_id, quarter, action, after, actor, at)
     values ('quickscan', ?, ?, ?, 'create', ?, 'bench', ?)`,
  );
  sqlite.transaction(() => {
    for (const row of list.rows) {
      let sectorId = sectorIds.get(row.sector);
      if (sectorId === undefined) {
        const existing = sqlite
          .prepare('select id from sectors where name_key = ?')
          .get(nameKey(row.sector)) as { id: number } | undefined;
        sectorId =
          existing?.id ??
          Number(
            insertSector.run(row.sector, nameKey(row.sector), sectorIds.size + 100, at, at).lastInsertRowid,
          );
        sectorIds.set(row.sector, sectorId);
      }
      const orgId = Number(
        insertOrg.run(row.name, nameKey(row.name), sectorId, row.gears[0]![0], at, at).lastInsertRowid,
      );
      for (const [quarter, gear] of row.gears) {
        const id = Number(insertGear.run(orgId, quarter, gear, at, at).lastInsertRowid);
        if (!withRevisions) continue;
        const after = {
          id,
          organisationId: orgId,
          quarter,
          source: 'import',
          gear,
          answers: null,
          version: 1,
        };
        insertRevision.run(
          id,
          orgId,
          quarter,
          JSON.stringify({ ...after, createdAt: at, createdBy: 'bench' }),
          at,
        );
      }
    }
  })();
  const ms = performance.now() - start;
  sqlite.close();
  return ms;
}

async function serviceImport(path: string, list: ImportList): Promise<{ parseMs: number; importMs: number }> {
  const db = openDatabase(path);
  try {
    await migrateToLatest(db);
    const models = await loadModelRegistry(db, testConfig().model, NOW);
    const ctx = { db, models, now: () => NOW, actor: 'bench', principal: OPERATOR };
    let start = performance.now();
    const parsed = await readPrestatielijst(list.csv, 'lijst.csv');
    const parseMs = performance.now() - start;
    start = performance.now();
    await importPrestatielijst(ctx, parsed, { dryRun: false });
    return { parseMs, importMs: performance.now() - start };
  } finally {
    await db.destroy();
  }
}

/** The same list through the API of a listening server, with the health check asked meanwhile. */
async function importWhileProbing(
  path: string,
  list: ImportList,
): Promise<{ importMs: number; probes: number[] }> {
  const app = await buildApp(testConfig({ databasePath: path }), { now: () => NOW });
  try {
    const password = 'bench-wachtwoord-lang-genoeg';
    await app.db
      .insertInto('users')
      .values({
        email: 'bench@example.org',
        email_key: 'bench@example.org',
        password_hash: await hashPassword(password),
        role: 'projectleider',
        organisation_id: null,
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .execute();
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.org', password }),
    });
    if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const form = new FormData();
    form.append('file', new Blob([list.csv], { type: 'text/csv' }), 'lijst.csv');
    let done = false;
    const probes: number[] = [];
    const probing = (async () => {
      while (!done) {
        const start = performance.now();
        await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
        if (!done) probes.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
    })();
    const start = performance.now();
    const res = await fetch(`${base}/api/import/prestatielijst`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
      body: form,
    });
    const importMs = performance.now() - start;
    done = true;
    await probing;
    if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`);
    return { importMs, probes };
  } finally {
    await app.close();
  }
}

const ms = (v: number) => `${Math.round(v).toLocaleString('en')} ms`;

export async function measureImport(dir: string, orgs: number, quarters: number): Promise<void> {
  const list = makeList(orgs, quarters);
  console.log(`\nImport of a prestatielijst: ${orgs.toLocaleString('en')} × ${quarters} gears (CSV)`);
  const bare = bareInsert(await migrated(dir, 'bare.sqlite'), list, false);
  const bareWithRevisions = bareInsert(await migrated(dir, 'bare-revisions.sqlite'), list, true);
  const service = await serviceImport(join(dir, 'import.sqlite'), list);
  const http = await importWhileProbing(join(dir, 'import-http.sqlite'), list);
  const sorted = [...http.probes].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const worst = sorted.at(-1) ?? Number.NaN;
  console.log(
    `  import service (after reading the file)  ${ms(service.importMs)}   bare bulk insert of the same rows ${ms(bare)}` +
      `   ratio ${(service.importMs / bare).toFixed(2)}×   aim ≤ 3×: ${service.importMs / bare <= 3 ? '✓' : '✗'}`,
  );
  console.log(
    `  the same against a bare insert of the gears and one revision each ${ms(bareWithRevisions)}` +
      `   ratio ${(service.importMs / bareWithRevisions).toFixed(2)}×`,
  );
  console.log(`  reading the file                          ${ms(service.parseMs)}`);
  console.log(
    `  through the API ${ms(http.importMs)}; /api/health asked ${http.probes.length}× meanwhile: ` +
      `median ${ms(median)}, slowest ${ms(worst)}   aim < 1,000 ms: ${worst < 1000 ? '✓' : '✗'}`,
  );
}

/** A migrated, empty database file in `dir`, for the bare insert. */
async function migrated(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  const db = openDatabase(path);
  await migrateToLatest(db);
  await db.destroy();
  return path;
}
