/**
 * `npm run bench [-- --orgs 5000 --quarters 40 --runs 5 --carried --growth [100,1000,5000,20000] --no-http --no-import --render]`
 *
 * Builds a synthetic region in a temporary SQLite database and measures, in one run, the report
 * summary, the sector × quarter matrix, recording 1,000 quickscans, the prestatielijst export and
 * the organisation page's API call, each as a ratio to a baseline measured in the same run on the
 * same database: the tightest code a competent engineer would write for the same answer. The
 * summary against its floor (one SQL statement with index lookups per organisation and a JS loop,
 * checked to give the same averages), the matrix against a raw read of the three columns it
 * needs, bare single-row inserts, a bare exporter (a plain read of the same organisations and
 * recorded gears and a bare exceljs streaming write of the same organisation × quarter grid), and
 * a bare Fastify + better-sqlite3 point lookup (beside a bare hello world) for the HTTP call; and
 * the peak memory. It is a report: a missed aim is printed, never an error. (Team standard:
 * performance is measured here, never asserted as times in tests.)
 *
 * `--growth` repeats the reads and their floors on regions of 100 to 20,000 organisations (or
 * the sizes given), each built afresh; off by default, as 20,000 takes long.
 *
 * The region is built in a child process, so the measuring process starts like a server that
 * opens an existing database, and its memory figures are not inflated by the build. The export
 * and its baselines each run in a fresh child process of their own as well: RSS hardly shrinks
 * after a peak and the list sheet is written in one synchronous stretch that a 10 ms sampler
 * cannot see into, so only a process's own maxRSS gives a clean peak for the export.
 *
 * `--render` adds the overview page's first render with a cold cache in Chromium (the demo region;
 * needs /usr/bin/chromium); `--render-only` measures only that.
 *
 * `--carried` also exports the region with the quickscans of every second quarter removed, so
 * that half of the list's gear cells are carried forward, each with a note (exceljs holds the
 * XML of every note in memory until the zip reaches it, after the whole sheet).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import type ExcelJS from 'exceljs';
import { Kysely, SqliteDialect } from 'kysely';
import { testConfig } from '../server/config.ts';
import type { AnswersInput } from '../server/contracts/quickscan.contract.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { Database } from '../server/db/schema.ts';
import { type Answers, type AnswerValue, evaluate } from '../server/domain/gear-engine.ts';
import { nameKey } from '../server/domain/names.ts';
import {
  formatQuarter,
  type Quarter,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
} from '../server/domain/quarter.ts';
import { allCriteria, allowsNotApplicable } from '../server/domain/schakelmodel.ts';
import { IMPORT_LIMITS, readPrestatielijst } from '../server/excel/prestatielijst-reader.ts';
import type { PrestatielijstData } from '../server/excel/prestatielijst-writer.ts';
import { checkZip } from '../server/excel/zip-limits.ts';
import type { ServiceContext } from '../server/services/context.ts';
import { loadModelRegistry } from '../server/services/model-registry.ts';
import { prepareExport } from '../server/services/prestatielijst.service.ts';
import { OPERATOR } from '../server/services/principal.ts';
import { recordQuickscan } from '../server/services/quickscans.service.ts';
import {
  reportDistribution,
  reportMatrix,
  reportSummary,
  worklist,
} from '../server/services/reports.service.ts';
import { compareWithSummary, rawRead, summaryFloor } from './bench-floor.ts';
import type { HttpSubject, LoadResult } from './bench-http.ts';

const AIM_SUMMARY_FLOOR = 2;
const AIM_MATRIX_FLOOR = 1.5;
const AIM_HTTP = 0.5;
const GROWTH_SIZES = [100, 1000, 5000, 20000];
const AIM_MB = 200;
const AIM_EXPORT_RATIO = 1.3; // issue 15: "Export ≤ 1.3× a bare writer" (it was 1.5× before)
const AIM_EXPORT_MB = 250;
const REGION_NAME = 'Benchregio';
const RECORDS = 1000;
const RECORD_WARMUP = 20;
const LAST_QUARTER = '2026-Q3';
const NOW = new Date('2026-11-15T10:00:00Z');
const CURRENT_QUARTER = quarterOfDate(NOW); // 2026-Q4: the region has no quickscans there yet
const ACTOR = 'bench';
const DB_FILE = 'bench.sqlite';

// ---------------------------------------------------------------------------------------------
// Options

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} moet een positief geheel getal zijn, niet '${value}'`);
    process.exit(2);
  }
  return n;
}

// A bare `--growth` means every size of GROWTH_SIZES.
const argv = process.argv
  .slice(2)
  .map((a, i, all) =>
    a === '--growth' && (all[i + 1] === undefined || all[i + 1]!.startsWith('--'))
      ? `--growth=${GROWTH_SIZES.join(',')}`
      : a,
  );
const { values: args } = parseArgs({
  args: argv,
  options: {
    orgs: { type: 'string' },
    quarters: { type: 'string' },
    runs: { type: 'string' },
    carried: { type: 'boolean', default: false },
    /** The growth table: the reads and their floors at these sizes (default 100,1000,5000,20000). */
    growth: { type: 'string' },
    /** Leave out the HTTP measurement. */
    'no-http': { type: 'boolean', default: false },
    /** The import's measurement: a list of this many organisations × quarters (default 9,000 × 20). */
    'import-orgs': { type: 'string' },
    'import-quarters': { type: 'string' },
    /** Only the import's measurement (and the growth table when asked), or leave the import out. */
    'import-only': { type: 'boolean', default: false },
    'no-import': { type: 'boolean', default: false },
    /** The overview's first render in Chromium, cold cache; or only that. */
    render: { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
    /** Internal: the child process that builds the region into this directory. */
    'build-into': { type: 'string' },
    /** Internal: the child process that measures one export subject (bare | bare-write | export) ... */
    'export-child': { type: 'string' },
    /** ... on the region in this directory. */
    'export-dir': { type: 'string' },
    /** Internal: the child process that serves one HTTP subject (hello | point | app) on export-dir. */
    'http-child': { type: 'string' },
  },
  strict: true,
});
const ORGS = positiveInt('orgs', args.orgs, 5000);
const QUARTERS = positiveInt('quarters', args.quarters, 40);
const RUNS = positiveInt('runs', args.runs, 5);
const FIRST_QUARTER = quarterFromIndex(quarterIndex(LAST_QUARTER) - QUARTERS + 1);

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Deterministic PRNG (mulberry32), so every run builds the same region. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number) => (ms >= 100 ? fmtInt(ms) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const mb = (bytes: number) => bytes / 1024 / 1024;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Peak resident set size, sampled every 10 ms and right after each measured operation. */
const memory = {
  peak: 0,
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > memory.peak) memory.peak = rss;
  },
};

// ---------------------------------------------------------------------------------------------
// The synthetic region

const model = testConfig().model;
const criteria = allCriteria(model);
const NVT_NOTE = 'Niet van toepassing: geen publieksbalie op deze locatie.';

/** How one organisation matures: each criterion is met once its maturity passes a threshold. */
interface OrgProfile {
  sectorId: number;
  join: number; // quarter offset of the first member quarter (0 = the first quarter)
  leave: number | null; // offset of the last member quarter; null while still a member
  base: number;
  growth: number;
  thresholds: number[];
  nvt: boolean[];
}

function profile(sectorIds: readonly number[], random: () => number): OrgProfile {
  // Most organisations are members from the start; some join later; some leave again.
  const join = random() < 0.9 || QUARTERS === 1 ? 0 : 1 + Math.floor(random() * (QUARTERS - 1));
  const leave =
    random() < 0.05 && join < QUARTERS - 1 ? join + Math.floor(random() * (QUARTERS - 1 - join)) : null;
  return {
    sectorId: sectorIds[Math.floor(random() * sectorIds.length)]!,
    join,
    leave,
    base: random() * 0.5,
    growth: random() * 0.03,
    thresholds: criteria.map((c) => (c.gear - 2) * 0.18 + random() * 0.35),
    nvt: criteria.map((c) => random() < 0.02 && allowsNotApplicable(c)),
  };
}

/** All answers of one organisation, `t` quarters after the first: ja, deels (almost there), nee or nvt. */
function answersAt(org: OrgProfile, t: number): Answers {
  const level = org.base + org.growth * t;
  const answers: Answers = {};
  criteria.forEach((c, i) => {
    let answer: AnswerValue;
    if (org.nvt[i]) answer = 'nvt';
    else if (level >= org.thresholds[i]!) answer = 'ja';
    else answer = level >= org.thresholds[i]! - 0.15 ? 'deels' : 'nee';
    answers[c.key] = { answer, note: answer === 'nvt' ? NVT_NOTE : null };
  });
  return answers;
}

/** The same answers in the shape the API and CLI accept. */
function rawAnswers(answers: Answers): AnswersInput {
  const raw: AnswersInput = {};
  for (const [key, a] of Object.entries(answers)) {
    raw[key] = a.note ? { answer: a.answer, note: a.note } : a.answer;
  }
  return raw;
}

/** A date in the middle of a quarter. */
function quarterDate(q: string): string {
  const [year, n] = q.split('-Q');
  return `${year}-${String((Number(n) - 1) * 3 + 2).padStart(2, '0')}-15`;
}

/** Opens the database file with the same pragmas as openDatabase, keeping the raw handle. */
function openRaw(dir: string): { sqlite: SQLite.Database; db: Kysely<Database> } {
  const sqlite = new SQLite(join(dir, DB_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return { sqlite, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) };
}

interface BuildResult {
  organisations: number;
  joinedLater: number;
  left: number;
  sectors: number;
  quickscans: number;
  answers: number;
  ms: number;
}

/**
 * Migrates, stores the model and fills the region with prepared statements in one transaction:
 * one quickscan per member organisation per quarter with all answers, the gear computed by the
 * real gear engine. Quarter by quarter, as a region records them.
 */
async function buildRegion(dir: string): Promise<BuildResult> {
  const started = performance.now();
  const { sqlite, db } = openRaw(dir);
  try {
    await migrateToLatest(db);
    await loadModelRegistry(db, model, NOW);
    const sectorIds = (await db.selectFrom('sectors').select('id').orderBy('position').execute()).map(
      (s) => s.id,
    );
    const insertOrg = sqlite.prepare(
      `INSERT INTO organisations (id, name, name_key, sector_id, member_from, member_until, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertScan = sqlite.prepare(
      `INSERT INTO quickscans (id, organisation_id, quarter, source, gear, conducted_on, conducted_by,
         model_id, model_version, remark, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, 'quickscan', ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
    );
    const insertAnswer = sqlite.prepare(
      'INSERT INTO quickscan_answers (quickscan_id, criterion_key, answer, note) VALUES (?, ?, ?, ?)',
    );
    const random = prng(20261115);
    const quarters = Array.from({ length: QUARTERS }, (_, i) =>
      quarterFromIndex(quarterIndex(FIRST_QUARTER) + i),
    );
    const orgs: Array<OrgProfile & { id: number }> = [];
    let scanId = 0;
    let answerCount = 0;

    sqlite.transaction(() => {
      const created = `${quarterDate(FIRST_QUARTER)}T09:00:00.000Z`;
      for (let id = 1; id <= ORGS; id++) {
        const org = { id, ...profile(sectorIds, random) };
        orgs.push(org);
        const name = `Organisatie ${String(id).padStart(5, '0')}`;
        const until = org.leave === null ? null : quarters[org.leave];
        insertOrg.run(id, name, nameKey(name), org.sectorId, quarters[org.join], until, created, created);
      }
      // Each organisation's one membership period and its sector, as the app keeps them.
      sqlite.exec(`
        INSERT INTO memberships (organisation_id, from_quarter, until_quarter)
          SELECT id, member_from, member_until FROM organisations;
        INSERT INTO sector_periods (organisation_id, sector_id, from_quarter)
          SELECT id, sector_id, member_from FROM organisations;
      `);
      quarters.forEach((quarter, t) => {
        const on = quarterDate(quarter);
        const at = `${on}T10:00:00.000Z`;
        for (const org of orgs) {
          if (t < org.join || (org.leave !== null && t > org.leave)) continue;
          const answers = answersAt(org, t);
          const { gear } = evaluate(model, answers);
          scanId++;
          insertScan.run(
            scanId,
            org.id,
            quarter,
            gear,
            on,
            ACTOR,
            model.id,
            model.version,
            at,
            ACTOR,
            at,
            ACTOR,
          );
          for (const key in answers) {
            const a = answers[key]!;
            insertAnswer.run(scanId, key, a.answer, a.note);
            answerCount++;
          }
        }
      });
    })();
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return {
      organisations: ORGS,
      joinedLater: orgs.filter((o) => o.join > 0).length,
      left: orgs.filter((o) => o.leave !== null).length,
      sectors: sectorIds.length,
      quickscans: scanId,
      answers: answerCount,
      ms: performance.now() - started,
    };
  } finally {
    await db.destroy();
  }
}

/** Runs this script in a child process with `args` and resolves with the one message it sends. */
function runChild<T>(args: readonly string[], what: string, orgs = ORGS): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      [...args, '--orgs', String(orgs), '--quarters', String(QUARTERS), '--runs', String(RUNS)],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    let result: T | undefined;
    child.on('message', (m) => {
      result = m as T;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`${what} is mislukt (exit ${code ?? signal})`));
    });
  });
}

/** Builds the region in a child process (this script with --build-into) and waits for it. */
function buildInChild(dir: string, orgs = ORGS): Promise<BuildResult> {
  return runChild<BuildResult>(['--build-into', dir], 'het opbouwen van de regio', orgs);
}

/** In a child process: sends the result to the parent and lets go of the channel. */
async function sendToParent(result: unknown, flag: string): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error(`${flag} is intern: start de bench met npm run bench`);
  await new Promise<void>((resolve, reject) =>
    send(result, (error: Error | null) => (error ? reject(error) : resolve())),
  );
  process.disconnect();
}

// ---------------------------------------------------------------------------------------------
// The prestatielijst export, each subject in a fresh child process of its own

/**
 * bare: the bare exporter, what a minimal hand-written export does (a plain read of the rows and a
 * bare streaming write of the grid), the baseline; bare-write: the bare write alone, of a grid
 * read beforehand; export: prepareExport and its write.
 */
const EXPORT_SUBJECTS = ['bare', 'bare-write', 'export'] as const;
type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

interface ExportResult {
  /** Milliseconds per measured run, after the warm-up. */
  times: number[];
  /** CPU time (user + system, all threads) per measured run, in milliseconds. */
  cpuTimes: number[];
  /** Size of the last workbook written. */
  bytes: number;
  /** Organisation rows in the workbook. */
  organisations: number;
  /** Gear cells carried forward from an earlier quarter (each has a note); 0 for the bare subjects. */
  carried: number;
  /** RSS after opening the database (for the bare write alone: and reading its grid), before the first run. */
  rssAtStart: number;
  /** Highest RSS seen by the 10 ms sampler and after each run. */
  peakSampled: number;
  /** The child's own high-water mark (process.resourceUsage), which sees synchronous stretches too. */
  maxRss: number;
  /** The same after the warm-up alone: one write in a fresh process. */
  maxRssFirst: number;
  /**
   * Median time of gathering the data alone, measured after the runs (outside the memory figures):
   * for the export prestatielijstData, for the bare subjects the plain read of the grid.
   */
  dataMs: number;
}

/** A Writable that discards every chunk, counting the bytes. */
class NullSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    done();
  }
}

interface GridRow {
  name: string;
  sector: string;
  gears: Array<number | null>;
}

/**
 * The grid the prestatielijst shows, read plainly, as a minimal hand-written export would: one
 * SELECT of the organisations that were members at some point in the period, by sector and name,
 * one of the gears recorded in the period, put in place per quarter (blank when none). (A single
 * joined SELECT reads the same but is slower, as it repeats the names on every row.)
 */
async function loadGrid(db: Kysely<Database>, quarters: readonly Quarter[]): Promise<GridRow[]> {
  const orgs = await db
    .selectFrom('organisations as o')
    .innerJoin('sectors as s', 's.id', 'o.sector_id')
    .select(['o.id', 'o.name', 's.name as sector'])
    .where('o.member_from', '<=', LAST_QUARTER)
    .where((eb) => eb.or([eb('o.member_until', 'is', null), eb('o.member_until', '>=', FIRST_QUARTER)]))
    .orderBy('s.position')
    .orderBy('o.name')
    .execute();
  const scans = await db
    .selectFrom('quickscans')
    .select(['organisation_id', 'quarter', 'gear'])
    .where('quarter', '>=', FIRST_QUARTER)
    .where('quarter', '<=', LAST_QUARTER)
    .execute();
  const column = new Map(quarters.map((q, i) => [q, i]));
  const rows = new Map<number, GridRow>();
  for (const o of orgs) {
    rows.set(o.id, { name: o.name, sector: o.sector, gears: quarters.map(() => null) });
  }
  for (const scan of scans) {
    const row = rows.get(scan.organisation_id);
    const i = column.get(scan.quarter);
    if (row && i !== undefined) row.gears[i] = scan.gear;
  }
  return [...rows.values()];
}

/** The baseline: a bare exceljs streaming write of the grid, no styles, no shared strings. */
async function writeBareGrid(
  excel: typeof ExcelJS,
  grid: readonly GridRow[],
  quarters: readonly Quarter[],
  out: Writable,
): Promise<void> {
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Grid');
  sheet.addRow(['Organisatie', 'Sector', ...quarters.map(formatQuarter)]).commit();
  for (const row of grid) sheet.addRow([row.name, row.sector, ...row.gears]).commit();
  sheet.commit();
  await workbook.commit();
}

/**
 * In a child process: one warm-up, then RUNS writes of `subject` to a null sink. exceljs and the
 * export service are imported here, not at the top, so the measuring process above does not carry
 * them and its memory figures stay those of the reports and recording.
 */
async function measureExportSubject(subject: ExportSubject, dir: string): Promise<ExportResult> {
  const db = openDatabase(join(dir, DB_FILE));
  try {
    const models = await loadModelRegistry(db, model, NOW);
    const ctx: ServiceContext = { db, models, now: () => NOW, actor: ACTOR, principal: OPERATOR };
    const quarters = Array.from({ length: QUARTERS }, (_, i) =>
      quarterFromIndex(quarterIndex(FIRST_QUARTER) + i),
    );
    let write: (out: Writable) => Promise<number>;
    let gather: () => Promise<unknown>;
    if (subject === 'bare') {
      const { default: excel } = await import('exceljs');
      gather = () => loadGrid(db, quarters);
      write = async (out) => {
        const grid = await loadGrid(db, quarters);
        await writeBareGrid(excel, grid, quarters, out);
        return grid.length;
      };
    } else if (subject === 'bare-write') {
      const { default: excel } = await import('exceljs');
      gather = () => loadGrid(db, quarters);
      const grid = await loadGrid(db, quarters); // read beforehand: this is the write alone
      write = async (out) => {
        await writeBareGrid(excel, grid, quarters, out);
        return grid.length;
      };
    } else {
      const { prepareExport, prestatielijstData } = await import(
        '../server/services/prestatielijst.service.ts'
      );
      gather = () => prestatielijstData(ctx, REGION_NAME, FIRST_QUARTER, LAST_QUARTER);
      write = async (out) => {
        const workbook = await prepareExport(ctx, REGION_NAME, FIRST_QUARTER, LAST_QUARTER);
        await workbook.write(out);
        return workbook.organisations;
      };
    }

    const rssAtStart = process.memoryUsage.rss();
    memory.peak = rssAtStart;
    const sampler = setInterval(memory.sample, 10);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let bytes = 0;
    let organisations = 0;
    let maxRssFirst = 0;
    try {
      for (let round = 0; round <= RUNS; round++) {
        const sink = new NullSink();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        organisations = await write(sink);
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        memory.sample();
        if (!sink.writableFinished) throw new Error(`${subject}: de werkmap is niet helemaal geschreven`);
        bytes = sink.bytes;
        if (round > 0) {
          times.push(ms);
          cpuTimes.push((cpu.user + cpu.system) / 1000);
        } else maxRssFirst = process.resourceUsage().maxRSS * 1024; // reported in kilobytes
      }
    } finally {
      clearInterval(sampler);
    }
    const maxRss = process.resourceUsage().maxRSS * 1024;
    // After the memory figures: how much of the time is gathering the data, for the diagnosis.
    const dataTimes: number[] = [];
    let gathered: unknown;
    for (let round = 0; round < RUNS; round++) {
      const t0 = performance.now();
      gathered = await gather();
      dataTimes.push(performance.now() - t0);
    }
    const carried =
      subject === 'export'
        ? (gathered as PrestatielijstData).sectors.reduce(
            (n, s) => n + s.rows.reduce((m, r) => m + r.cells.filter((c) => c?.carriedFrom).length, 0),
            0,
          )
        : 0;
    return {
      times,
      cpuTimes,
      bytes,
      organisations,
      carried,
      rssAtStart,
      peakSampled: memory.peak,
      maxRss,
      maxRssFirst,
      dataMs: median(dataTimes),
    };
  } finally {
    await db.destroy();
  }
}

function measureExportInChild(subject: ExportSubject, dir: string): Promise<ExportResult> {
  return runChild<ExportResult>(
    ['--export-child', subject, '--export-dir', dir],
    `het meten van de export (${subject})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** One warm-up, then RUNS rounds; within a round the operations take turns, so drift hits all. */
async function measureRounds(ops: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ops).map((name) => [name, []]));
  for (let round = 0; round <= RUNS; round++) {
    for (const [name, op] of Object.entries(ops)) {
      const t0 = performance.now();
      const result = await op();
      const ms = performance.now() - t0;
      memory.sample(); // while the result is still alive
      if (result === undefined) throw new Error(`${name} gaf geen resultaat`);
      if (round > 0) times[name]!.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
}

interface WriteResult {
  bareTotal: number;
  bareMedian: number;
  recordTotal: number;
  recordMedian: number;
}

/**
 * Records quickscans through the real service in the current quarter, where nobody has one
 * yet, taking turns with bare inserts of a quickscans row of the same shape through the same
 * Kysely instance, each in a transaction of its own. The organisations are members in the
 * current quarter, topped up with new members when the region is too small. Afterwards the
 * current quarter is emptied again, so the baseline scans the region as the reports saw it.
 */
async function measureWrites(ctx: ServiceContext): Promise<WriteResult> {
  const { db } = ctx;
  const needed = 2 * (RECORDS + RECORD_WARMUP);
  const orgIds = (
    await db
      .selectFrom('organisations')
      .select('id')
      .where('member_from', '<=', CURRENT_QUARTER)
      .where('member_until', 'is', null)
      .orderBy('id')
      .limit(needed)
      .execute()
  ).map((o) => o.id);
  if (orgIds.length < needed) {
    const sector = await db.selectFrom('sectors').select('id').orderBy('position').executeTakeFirstOrThrow();
    const at = NOW.toISOString();
    await db.transaction().execute(async (trx) => {
      for (let i = orgIds.length; i < needed; i++) {
        const name = `Nieuw lid ${String(i).padStart(5, '0')}`;
        const row = await trx
          .insertInto('organisations')
          .values({
            name,
            name_key: nameKey(name),
            sector_id: sector.id,
            member_from: CURRENT_QUARTER,
            created_at: at,
            updated_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('memberships')
          .values({ organisation_id: row.id, from_quarter: CURRENT_QUARTER, until_quarter: null })
          .execute();
        await trx
          .insertInto('sector_periods')
          .values({ organisation_id: row.id, sector_id: sector.id, from_quarter: CURRENT_QUARTER })
          .execute();
        orgIds.push(row.id);
      }
    });
  }

  const random = prng(4);
  const today = NOW.toISOString().slice(0, 10);
  const bare: number[] = [];
  const record: number[] = [];
  for (let i = 0; i < RECORDS + RECORD_WARMUP; i++) {
    const answers = answersAt(profile([0], random), QUARTERS); // a mature organisation; its sector is unused
    const { gear } = evaluate(model, answers);
    const input = { answers: rawAnswers(answers) };
    const now = ctx.now().toISOString();

    let t0 = performance.now();
    await db.transaction().execute((trx) =>
      trx
        .insertInto('quickscans')
        .values({
          organisation_id: orgIds[2 * i]!,
          quarter: CURRENT_QUARTER,
          source: 'quickscan',
          gear,
          conducted_on: today,
          conducted_by: ACTOR,
          model_id: model.id,
          model_version: model.version,
          remark: null,
          created_at: now,
          created_by: ACTOR,
          updated_at: now,
          updated_by: ACTOR,
        })
        .execute(),
    );
    const bareMs = performance.now() - t0;

    t0 = performance.now();
    const result = await recordQuickscan(ctx, orgIds[2 * i + 1]!, CURRENT_QUARTER, input, 'record');
    const recordMs = performance.now() - t0;
    memory.sample();
    if (!result.created || result.quickscan.gear !== gear) {
      throw new Error('recordQuickscan gaf niet de verwachte versnelling');
    }
    if (i >= RECORD_WARMUP) {
      bare.push(bareMs);
      record.push(recordMs);
    }
  }
  await db.deleteFrom('quickscans').where('quarter', '=', CURRENT_QUARTER).execute();
  return {
    bareTotal: sum(bare),
    bareMedian: median(bare),
    recordTotal: sum(record),
    recordMedian: median(record),
  };
}

async function measure(dir: string): Promise<void> {
  console.log(
    `VPT-schakelmodel bench: ${fmtInt(ORGS)} organisations × ${QUARTERS} quarters (${FIRST_QUARTER} … ${LAST_QUARTER}), ` +
      `median of ${RUNS} run${RUNS === 1 ? '' : 's'} after 1 warm-up`,
  );
  console.log(`Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs`);

  const built = await buildInChild(dir);
  console.log(
    `\nBuild (child process): ${fmtInt(built.organisations)} organisations in ${built.sectors} sectors ` +
      `(${fmtInt(built.joinedLater)} joined later, ${fmtInt(built.left)} left), ` +
      `${fmtInt(built.quickscans)} quickscans, ${fmtInt(built.answers)} answers in ${(built.ms / 1000).toFixed(1)} s`,
  );

  // The export and its baseline on the region as built, each in a fresh child process.
  const bareExport = await measureExportInChild('bare', dir);
  const productExport = await measureExportInChild('export', dir);
  const bareWrite = await measureExportInChild('bare-write', dir);

  // From here on this process behaves like the server: the app's own openDatabase and registry.
  const db = openDatabase(join(dir, DB_FILE));
  try {
    const models = await loadModelRegistry(db, model, NOW);
    const ctx: ServiceContext = { db, models, now: () => NOW, actor: ACTOR, principal: OPERATOR };

    const rssAtStart = process.memoryUsage.rss();
    memory.peak = rssAtStart;
    const sampler = setInterval(memory.sample, 10);
    sampler.unref();

    // The product first, so its peak memory is not the baseline's.
    const reports = await measureRounds({
      summary: () => reportSummary(ctx, FIRST_QUARTER, LAST_QUARTER),
      matrix: () => reportMatrix(ctx, FIRST_QUARTER, LAST_QUARTER),
    });
    memory.sample();
    const reportsPeak = memory.peak;
    const writes = await measureWrites(ctx);
    memory.sample();
    const productPeak = memory.peak;

    const floors = await measureFloors(dir, ctx);
    clearInterval(sampler);
    memory.sample();
    const summary = reports.summary!;
    const matrix = reports.matrix!;
    const overallPeak = memory.peak;
    const maxRss = process.resourceUsage().maxRSS * 1024; // reported in kilobytes

    console.log(
      `\nReads (${FIRST_QUARTER} … ${LAST_QUARTER}), median of ${RUNS}; each against the tightest code ` +
        'a competent engineer\nwould write for the same answer, measured in the same run:',
    );
    console.log(
      `  ${pad('summary floor: one SQL statement + JS loop')}${fmtMs(floors.floor)} ms (baseline; ` +
        `${fmtInt(floors.members)} members in ${FIRST_QUARTER} or ${LAST_QUARTER}), ${floors.check}`,
    );
    console.log(
      `  ${pad('reportSummary')}${fmtMs(summary)} ms = ${ratio(summary, floors.floor)} floor` +
        `   aim ≤ ${AIM_SUMMARY_FLOOR}×: ${verdict(summary <= AIM_SUMMARY_FLOOR * floors.floor)}`,
    );
    console.log(
      `  ${pad(`raw 3-column read (${fmtInt(floors.rows)} quickscans)`)}${fmtMs(floors.raw)} ms (baseline)`,
    );
    console.log(
      `  ${pad(`reportMatrix (${QUARTERS} quarters)`)}${fmtMs(matrix)} ms = ${ratio(matrix, floors.raw)} raw read` +
        `   aim ≤ ${AIM_MATRIX_FLOOR}×: ${verdict(matrix <= AIM_MATRIX_FLOOR * floors.raw)}`,
    );
    console.log(
      `\nWrites in ${CURRENT_QUARTER}, one transaction each (synchronous = FULL), after ${RECORD_WARMUP} warm-up:`,
    );
    console.log(
      `  ${pad(`bare single-row inserts (${fmtInt(RECORDS)})`)}${fmtInt(writes.bareTotal)} ms total, ` +
        `${fmtMs(writes.bareTotal / RECORDS)} ms each (median ${fmtMs(writes.bareMedian)}) (baseline)`,
    );
    console.log(
      `  ${pad(`recordQuickscan (${fmtInt(RECORDS)}, 17 answers each)`)}${fmtInt(writes.recordTotal)} ms total, ` +
        `${fmtMs(writes.recordTotal / RECORDS)} ms each (median ${fmtMs(writes.recordMedian)}) ` +
        `= ${ratio(writes.recordTotal, writes.bareTotal)} bare inserts`,
    );
    console.log('\nMemory (RSS of the measuring process; the build ran in a child process):');
    console.log(`  ${pad('after opening the database')}${mb(rssAtStart).toFixed(0)} MB`);
    console.log(`  ${pad('peak during the reports')}${mb(reportsPeak).toFixed(0)} MB`);
    console.log(
      `  ${pad('peak during the reports and recording')}${mb(productPeak).toFixed(0)} MB` +
        `   aim < ${AIM_MB} MB: ${verdict(mb(productPeak) < AIM_MB)}`,
    );
    console.log(`  ${pad('peak including the floors')}${mb(overallPeak).toFixed(0)} MB`);
    console.log(`  ${pad('maxRSS (process.resourceUsage)')}${mb(maxRss).toFixed(0)} MB`);

    printExport(bareExport, bareWrite, productExport);
  } finally {
    await db.destroy();
  }
  if (!args['no-http']) await measureAllHttp(dir);
  if (args.carried) await measureCarried(dir);
}

interface FloorTimes {
  floor: number;
  raw: number;
  rows: number;
  members: number;
  /** "same numbers ✓" or the differences. */
  check: string;
}

/**
 * The summary's floor and the matrix's floor (a raw read of the three columns it needs) on a
 * read connection of their own, and whether the floor gives the summary's numbers.
 */
async function measureFloors(dir: string, ctx: ServiceContext): Promise<FloorTimes> {
  const sqlite = new SQLite(join(dir, DB_FILE), { readonly: true });
  try {
    const times = await measureRounds({
      floor: async () => summaryFloor(sqlite, FIRST_QUARTER, LAST_QUARTER),
      raw: async () => rawRead(sqlite),
    });
    const floor = summaryFloor(sqlite, FIRST_QUARTER, LAST_QUARTER);
    const summary = await reportSummary(ctx, FIRST_QUARTER, LAST_QUARTER);
    const sectorIds = (await ctx.db.selectFrom('sectors').select('id').orderBy('position').execute()).map(
      (s) => s.id,
    );
    const problems = compareWithSummary(floor, summary, sectorIds);
    const members = sqlite
      .prepare(
        `select count(distinct organisation_id) from memberships
         where from_quarter <= ? and (until_quarter is null or until_quarter >= ?)`,
      )
      .pluck()
      .get(LAST_QUARTER, FIRST_QUARTER) as number;
    return {
      floor: times.floor!,
      raw: times.raw!,
      rows: sqlite.prepare('select count(*) from quickscans').pluck().get() as number,
      members,
      check:
        problems.length === 0
          ? 'same numbers as reportSummary ✓'
          : `DIFFERENT from reportSummary ✗:\n    ${problems.slice(0, 5).join('\n    ')}`,
    };
  } finally {
    sqlite.close();
  }
}

/** The HTTP subjects in turn, each a server in a child process, loaded from this one. */
async function measureAllHttp(dir: string): Promise<void> {
  // Imported here: the app and Fastify would otherwise add to the measuring process's memory figures.
  const { HTTP_SUBJECTS, measureHttp } = await import('./bench-http.ts');
  const script = fileURLToPath(import.meta.url);
  const results = {} as Record<HttpSubject, LoadResult>;
  for (const subject of HTTP_SUBJECTS) results[subject] = await measureHttp(script, subject, dir);
  const { hello, point, app } = results;
  const line = (label: string, r: LoadResult, rest: string) =>
    `  ${pad(label)}${fmtInt(r.perSecond).padStart(7)} req/s${rest}` +
    (r.errors > 0 ? ` (${fmtInt(r.errors)} errors${r.badStatus ? `, status ${r.badStatus}` : ''})` : '');
  console.log(
    '\nHTTP, 50 keep-alive connections from the bench process, 1 s warm-up then 5 s; each server in a\n' +
      'child process of its own (the load generator and the server share the 2 cores):',
  );
  console.log(line('bare Fastify hello world', hello, ''));
  console.log(
    line(
      'bare Fastify + better-sqlite3 point lookup',
      point,
      ` = ${ratio(point.perSecond, hello.perSecond)} hello world (baseline)`,
    ),
  );
  console.log(
    line(
      'app: GET /api/organisations/:id/status',
      app,
      ` = ${ratio(app.perSecond, point.perSecond)} point lookup   aim ≥ ${AIM_HTTP}×: ` +
        verdict(app.perSecond >= AIM_HTTP * point.perSecond),
    ),
  );
  console.log(
    line(
      'app, same call with the read cache off',
      results['app-uncached'],
      ` = ${ratio(results['app-uncached'].perSecond, point.perSecond)} point lookup (every query runs)`,
    ),
  );
}

/** With --growth: the reads and their floors on regions of each size, each built in a child. */
async function measureGrowth(sizes: readonly number[]): Promise<void> {
  console.log(
    `\nGrowth (${QUARTERS} quarters, ${FIRST_QUARTER} … ${LAST_QUARTER}, median of ${RUNS}): ` +
      'the summary against its floor, the matrix against the raw read',
  );
  console.log(
    `  ${'organisations'.padStart(13)} ${'quickscans'.padStart(10)}  ${'summary'.padStart(9)} ${'floor'.padStart(9)} ` +
      `${'ratio'.padStart(6)}  ${'matrix'.padStart(9)} ${'raw read'.padStart(9)} ${'ratio'.padStart(6)}  ` +
      `${'overview'.padStart(9)}  check`,
  );
  console.log(
    `  (overview: the four calls of the overview page for its default period, the last ${OVERVIEW_QUARTERS} quarters,\n` +
      `   one after the other, uncached: the server time of a first visit after a change; aim < ${AIM_OVERVIEW_MS} ms)`,
  );
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'vpt-bench-growth-'));
    try {
      await buildInChild(dir, size);
      const db = openDatabase(join(dir, DB_FILE));
      try {
        const models = await loadModelRegistry(db, model, NOW);
        const ctx: ServiceContext = { db, models, now: () => NOW, actor: ACTOR, principal: OPERATOR };
        const reports = await measureRounds({
          summary: () => reportSummary(ctx, FIRST_QUARTER, LAST_QUARTER),
          matrix: () => reportMatrix(ctx, FIRST_QUARTER, LAST_QUARTER),
          overview: () => overviewPage(ctx),
        });
        const f = await measureFloors(dir, ctx);
        const ms = (n: number) => `${fmtMs(n)} ms`.padStart(9);
        console.log(
          `  ${fmtInt(size).padStart(13)} ${fmtInt(f.rows).padStart(10)}  ${ms(reports.summary!)} ${ms(f.floor)} ` +
            `${ratio(reports.summary!, f.floor).padStart(6)}  ${ms(reports.matrix!)} ${ms(f.raw)} ` +
            `${ratio(reports.matrix!, f.raw).padStart(6)}  ${ms(reports.overview!)}  ` +
            `${f.check.startsWith('same') ? '✓' : f.check}`,
        );
      } finally {
        await db.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The overview page's default period: the last 8 quarters (web/src/pages/overview.ts). */
const OVERVIEW_QUARTERS = 8;
const AIM_OVERVIEW_MS = 300;

/** What the overview page asks the server for on a first visit: matrix, summary, distribution, worklist. */
async function overviewPage(ctx: ServiceContext): Promise<unknown> {
  const from = quarterFromIndex(quarterIndex(LAST_QUARTER) - OVERVIEW_QUARTERS + 1);
  return [
    await reportMatrix(ctx, from, LAST_QUARTER),
    await reportSummary(ctx, from, LAST_QUARTER),
    await reportDistribution(ctx, LAST_QUARTER, LAST_QUARTER),
    await worklist(ctx, LAST_QUARTER),
  ];
}

function growthSizes(value: string): number[] {
  const sizes = value.split(',').map((v) => positiveInt('growth', v.trim(), 0));
  return sizes;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const pad = (s: string) => s.padEnd(46);
const xlsx = (n: number) => `${n >= 1024 * 1024 ? `${mb(n).toFixed(1)} MB` : `${fmtInt(n / 1024)} kB`} xlsx`;
const peakOf = (r: ExportResult) => Math.max(r.maxRss, r.peakSampled);
const memoryLine = (label: string, r: ExportResult) =>
  `  ${pad(label)}${mb(peakOf(r)).toFixed(0)} MB ` +
  `(${mb(r.rssAtStart).toFixed(0)} MB before the first run, ${mb(r.maxRssFirst).toFixed(0)} MB after the ` +
  `first, sampled peak ${mb(r.peakSampled).toFixed(0)} MB)`;

/** The export against the bare exporter (the baseline) and the bare write alone. */
function printExport(bare: ExportResult, bareWrite: ExportResult, product: ExportResult): void {
  const bareMs = median(bare.times);
  const exportMs = median(product.times);
  const writeOnlyMs = median(bareWrite.times);
  console.log(
    `\nExport of the prestatielijst (${FIRST_QUARTER} … ${LAST_QUARTER}, ${fmtInt(product.organisations)} ` +
      `organisations × ${QUARTERS} quarters) to a null sink, median of ${RUNS}.\n` +
      'The baseline is a bare exporter, what a minimal hand-written export does: a plain read of the same\n' +
      'rows (organisations in the period, their recorded gears) and a bare exceljs streaming write of that\n' +
      'grid (no styles, notes or other sheets). Each subject runs in a child process of its own.',
  );
  console.log(
    `  ${pad('bare exporter: plain read + bare write')}${fmtMs(bareMs)} ms (baseline), ${xlsx(bare.bytes)}`,
  );
  console.log(
    `  ${pad('prepareExport + write (4 sheets)')}${fmtMs(exportMs)} ms = ${ratio(exportMs, bareMs)} bare exporter` +
      `   aim ≤ ${AIM_EXPORT_RATIO}×: ${verdict(exportMs <= AIM_EXPORT_RATIO * bareMs)}; ${xlsx(product.bytes)}`,
  );
  console.log(
    `    ${'gathering the data (prestatielijstData)'.padEnd(44)}${fmtMs(product.dataMs)} ms; ` +
      `the plain read: ${fmtMs(bare.dataMs)} ms`,
  );
  console.log(
    `    ${'writing the workbook, the rest ≈'.padEnd(44)}${fmtMs(Math.max(0, exportMs - product.dataMs))} ms; ` +
      `the bare write alone: ${fmtMs(writeOnlyMs)} ms`,
  );
  console.log(
    `  ${pad('bare write alone, of a grid read beforehand')}${fmtMs(writeOnlyMs)} ms; the export = ` +
      `${ratio(exportMs, writeOnlyMs)} that: the issue's first wording,\n` +
      `  ${''.padEnd(46)}shown for comparison (it leaves out the reading no export can skip)`,
  );
  console.log(
    `  ${pad('CPU time, all threads (median)')}export ${fmtMs(median(product.cpuTimes))} ms, bare exporter ` +
      `${fmtMs(median(bare.cpuTimes))} ms = ${ratio(median(product.cpuTimes), median(bare.cpuTimes))}`,
  );
  for (const r of [bareWrite, product]) {
    if (r.organisations !== bare.organisations) {
      console.log(
        `  NB: ${fmtInt(r.organisations)} organisation rows where the bare exporter has ${fmtInt(bare.organisations)}`,
      );
    }
  }
  console.log(
    '  Peak RSS: each subject ran in a fresh child process of its own (start, warm-up and runs), so its\n' +
      "  peak is not inflated by the phases above; the peak is the child's maxRSS, which also covers the\n" +
      '  synchronous stretch in which a sheet is written, when the 10 ms sampler cannot run.',
  );
  console.log(memoryLine('bare exporter (child process)', bare));
  console.log(memoryLine('bare write alone (child process)', bareWrite));
  console.log(
    `${memoryLine('prepareExport + write (child)', product)}` +
      `   aim < ${AIM_EXPORT_MB} MB: ${verdict(mb(peakOf(product)) < AIM_EXPORT_MB)}`,
  );
}

/**
 * With --carried: removes the quickscans of every second quarter of the period (from the second
 * on), so that half of the list's gear cells are carried forward, each with a note, and measures
 * the export again. Straight on the file with foreign keys off: the answers of those quickscans
 * stay behind, which the export does not read, and the region is thrown away afterwards.
 */
async function measureCarried(dir: string): Promise<void> {
  const quarters = Array.from({ length: QUARTERS }, (_, i) =>
    quarterFromIndex(quarterIndex(FIRST_QUARTER) + i),
  );
  const skipped = quarters.filter((_, i) => i % 2 === 1);
  if (skipped.length === 0) {
    console.log('\n--carried: one quarter, so nothing to carry forward');
    return;
  }
  const sqlite = new SQLite(join(dir, DB_FILE));
  try {
    sqlite.pragma('foreign_keys = OFF');
    sqlite
      .prepare(`DELETE FROM quickscans WHERE quarter IN (${skipped.map(() => '?').join(', ')})`)
      .run(...skipped);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }
  const r = await measureExportInChild('export', dir);
  console.log(
    `\nExport with every second quarter carried forward (--carried: no quickscans in ` +
      `${skipped.slice(0, 2).join(', ')}${skipped.length > 2 ? ', …' : ''}), ${fmtInt(r.carried)} carried ` +
      `cells (a note only where the row does not show the origin), median of ${RUNS}:`,
  );
  console.log(
    `  ${pad('prepareExport + write (4 sheets)')}${fmtMs(median(r.times))} ms ` +
      `(CPU ${fmtMs(median(r.cpuTimes))} ms), ${xlsx(r.bytes)}`,
  );
  console.log(
    `${memoryLine('prepareExport + write (child)', r)}` +
      `   aim < ${AIM_EXPORT_MB} MB: ${verdict(mb(peakOf(r)) < AIM_EXPORT_MB)}`,
  );
  await readBack(dir);
}

/** Whether the product reads its own export back: unpacked size against the import's limit, and a full read. */
async function readBack(dir: string): Promise<void> {
  const db = openDatabase(join(dir, DB_FILE));
  try {
    const models = await loadModelRegistry(db, testConfig().model, NOW);
    const ctx: ServiceContext = { db, models, now: () => NOW, actor: ACTOR, principal: OPERATOR };
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const workbook = await prepareExport(ctx, REGION_NAME, FIRST_QUARTER, LAST_QUARTER);
    await workbook.write(out);
    const buffer = Buffer.concat(chunks);
    const zip = checkZip(buffer, 1024 ** 3);
    const unpacked = zip.kind === 'ok' ? `${(zip.unpackedBytes / 1024 / 1024).toFixed(1)} MB` : zip.kind;
    let verdictText: string;
    try {
      const parsed = await readPrestatielijst(buffer, 'prestatielijst.xlsx');
      verdictText = `reads back: ${fmtInt(parsed.rows.length)} rows, ${parsed.errorCount} errors ✓`;
    } catch (err) {
      verdictText = `reads back: no ✗ (${err instanceof Error ? err.message : String(err)})`;
    }
    console.log(
      `  the export itself: ${xlsx(buffer.length)}, unpacked ${unpacked} ` +
        `(import limit ${IMPORT_LIMITS.unpackedBytes / 1024 / 1024} MB); ${verdictText}`,
    );
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  if (args['build-into'] !== undefined) {
    await sendToParent(await buildRegion(args['build-into']), '--build-into');
    return;
  }
  const served = args['http-child'];
  if (served !== undefined) {
    const { HTTP_SUBJECTS, serveInChild } = await import('./bench-http.ts');
    if (!HTTP_SUBJECTS.includes(served as HttpSubject) || args['export-dir'] === undefined) {
      throw new Error(
        `--http-child ${HTTP_SUBJECTS.join('|')} --export-dir DIR is intern: start de bench met npm run bench`,
      );
    }
    await serveInChild(served as HttpSubject, join(args['export-dir'], DB_FILE), LAST_QUARTER);
    return;
  }
  const subject = args['export-child'];
  if (subject !== undefined) {
    if (!EXPORT_SUBJECTS.includes(subject as ExportSubject) || args['export-dir'] === undefined) {
      throw new Error(
        `--export-child ${EXPORT_SUBJECTS.join('|')} --export-dir DIR is intern: start de bench met npm run bench`,
      );
    }
    await sendToParent(
      await measureExportSubject(subject as ExportSubject, args['export-dir']),
      '--export-child',
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vpt-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Last of all (or alone): Chromium and the demo app would count in the memory figures above.
    const render = async () => {
      const { measureRender, printRender } = await import('./bench-render.ts');
      printRender(await measureRender(RUNS < 5 ? 5 : RUNS));
    };
    if (args['render-only']) return await render();
    if (!args['import-only']) await measure(dir);
    if (args.growth !== undefined) await measureGrowth(growthSizes(args.growth));
    if (!args['no-import']) {
      // Loaded only now: it brings the whole app (Fastify and its plugins), which would count in the
      // memory figures of the reads above.
      const { measureImport } = await import('./bench-import.ts');
      await measureImport(
        dir,
        positiveInt('import-orgs', args['import-orgs'], 9000),
        positiveInt('import-quarters', args['import-quarters'], 20),
      );
    }
    if (args.render) await render();
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
