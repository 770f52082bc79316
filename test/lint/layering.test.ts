import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of biome.json (`noRestrictedImports` per folder, and a GritQL plugin for the
 * web's type-only use of server/contracts), proven with deliberately wrong imports.
 *
 * Biome's stdin mode (`--stdin-file-path`) prints no diagnostics, so each case is a one-import file
 * written at its place in a scratch copy of the project (the real biome.json and its plugins, no
 * sources) and the whole set is linted by one Biome process with the JSON reporter.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');
const RULE = 'lint/style/noRestrictedImports';
const PLUGIN = 'plugin';

interface Case {
  /** Where the importing file sits in the project. */
  file: string;
  /** The import statement under test. */
  source: string;
  /** The diagnostic category it must raise, or null when it must pass. */
  expected: typeof RULE | typeof PLUGIN | null;
}

/** `import { probe } from 'x'` plus a use, so no other lint rule has anything to say. */
const value = (from: string) => `import { probe } from '${from}';\nexport const used = probe;\n`;
const typeOnly = (from: string) => `import type { Probe } from '${from}';\nexport type Used = Probe;\n`;
const inlineType = (from: string) => `import { type Probe } from '${from}';\nexport type Used = Probe;\n`;

const fails = (file: string, from: string, source = value(from)): Case => ({ file, source, expected: RULE });
const passes = (file: string, from: string, source = value(from)): Case => ({ file, source, expected: null });

const CASES: Case[] = [
  // server/domain: pure; of ours only domain, contracts and errors.ts; of libraries only zod.
  fails('server/domain/x.ts', '../db/database.ts'),
  fails('server/domain/x.ts', '../db/repositories/quickscans.repository.ts'),
  fails('server/domain/x.ts', '../http/plugins/auth.ts'),
  fails('server/domain/x.ts', '../services/sessions.service.ts'),
  fails('server/domain/x.ts', '../excel/prestatielijst-writer.ts'),
  fails('server/domain/x.ts', '../security/tokens.ts'),
  fails('server/domain/x.ts', '../config.ts'),
  fails('server/domain/x.ts', '../../migrations/index.ts'),
  fails('server/domain/x.ts', 'fastify'),
  fails('server/domain/x.ts', 'kysely'),
  fails('server/domain/x.ts', 'better-sqlite3'),
  fails('server/domain/x.ts', 'exceljs'),
  fails('server/domain/x.ts', 'node:fs'),
  fails('server/domain/x.ts', 'node:net'),
  fails('server/domain/x.ts', 'fs'),
  fails('server/domain/x.ts', 'x', `const m = await import('../db/database.ts');\nexport const used = m;\n`),
  fails('server/domain/x.ts', 'x', `export { probe } from '../http/context.ts';\n`),
  fails('server/domain/x.ts', 'x', typeOnly('../db/schema.ts')),
  passes('server/domain/x.ts', './quarter.ts'),
  passes('server/domain/x.ts', './models/schakelmodel-v1.ts'),
  passes('server/domain/x.ts', '../contracts/quickscan.contract.ts'),
  passes('server/domain/x.ts', '../errors.ts'),
  passes('server/domain/x.ts', 'zod'),
  fails('server/domain/models/x.ts', '../../db/database.ts'),
  fails('server/domain/models/x.ts', '../../http/context.ts'),
  fails('server/domain/models/x.ts', '../../config.ts'),
  fails('server/domain/models/x.ts', 'node:fs'),
  passes('server/domain/models/x.ts', '../model-types.ts'),
  passes('server/domain/models/x.ts', '../../errors.ts'),
  passes('server/domain/models/x.ts', '../../contracts/model.contract.ts'),

  // server/contracts: zod, the domain and other contracts.
  fails('server/contracts/x.contract.ts', '../db/schema.ts'),
  fails('server/contracts/x.contract.ts', '../services/sectors.service.ts'),
  fails('server/contracts/x.contract.ts', '../http/schemas/common.schemas.ts'),
  fails('server/contracts/x.contract.ts', '../errors.ts'),
  fails('server/contracts/x.contract.ts', 'fastify'),
  fails('server/contracts/x.contract.ts', 'node:crypto'),
  passes('server/contracts/x.contract.ts', 'zod'),
  passes('server/contracts/x.contract.ts', '../domain/quarter.ts'),
  passes('server/contracts/x.contract.ts', './common.contract.ts'),

  // server/errors.ts: imported by the domain, so it imports only contracts.
  fails('server/errors.ts', './db/schema.ts'),
  fails('server/errors.ts', 'fastify'),
  passes('server/errors.ts', 'x', typeOnly('./contracts/errors.contract.ts')),

  // server/db: no services, http or excel (a repository never imports a service).
  fails('server/db/repositories/x.repository.ts', '../../services/sessions.service.ts'),
  fails('server/db/repositories/x.repository.ts', '../../http/context.ts'),
  fails('server/db/repositories/x.repository.ts', '../../excel/prestatielijst-reader.ts'),
  fails('server/db/repositories/x.repository.ts', 'fastify'),
  fails('server/db/database.ts', '../services/model-registry.ts'),
  passes('server/db/repositories/x.repository.ts', '../schema.ts'),
  passes('server/db/repositories/x.repository.ts', '../../domain/quarter.ts'),
  passes('server/db/repositories/x.repository.ts', '../../errors.ts'),
  passes('server/db/repositories/x.repository.ts', 'kysely'),
  passes('server/db/database.ts', '../../migrations/index.ts'),

  // server/services: never server/http, never Fastify.
  fails('server/services/x.service.ts', '../http/schemas/common.schemas.ts'),
  fails('server/services/x.service.ts', '../http/plugins/auth.ts'),
  fails('server/services/x.service.ts', 'fastify'),
  fails('server/services/x.service.ts', '@fastify/cookie'),
  passes('server/services/x.service.ts', '../db/repositories/sessions.repository.ts'),
  passes('server/services/x.service.ts', '../domain/gear-engine.ts'),
  passes('server/services/x.service.ts', '../excel/prestatielijst-writer.ts'),
  passes('server/services/x.service.ts', '../contracts/sector.contract.ts'),
  passes('server/services/x.service.ts', './transaction.ts'),
  passes('server/services/x.service.ts', 'kysely'),

  // server/excel and server/security sit under the services.
  fails('server/excel/x.ts', '../services/reports.service.ts'),
  fails('server/excel/x.ts', '../http/context.ts'),
  fails('server/security/x.ts', '../http/plugins/auth.ts'),
  passes('server/excel/x.ts', 'exceljs'),
  passes('server/excel/x.ts', '../domain/quarter.ts'),

  // server/http, app.ts and main.ts may use everything.
  passes('server/http/routes/x.routes.ts', '../../services/sectors.service.ts'),
  passes('server/http/routes/x.routes.ts', 'fastify'),
  passes('server/app.ts', './http/plugins/auth.ts'),

  // scripts (the CLI, bench, demo): services and contracts, never server/http.
  fails('scripts/cli/x.ts', '../../server/http/schemas/common.schemas.ts'),
  fails('scripts/x.ts', '../server/http/plugins/auth.ts'),
  passes('scripts/cli/x.ts', '../../server/services/sectors.service.ts'),
  passes('scripts/cli/x.ts', '../../server/contracts/sector.contract.ts'),
  passes('scripts/x.ts', '../server/domain/quarter.ts'),

  // web/src: from the server only contracts (as types) and the pure domain; no Node.
  fails('web/src/x.ts', '../../server/http/schemas/common.schemas.ts'),
  fails('web/src/x.ts', '../../server/errors.ts'),
  fails('web/src/x.ts', '../../server/services/sectors.service.ts'),
  fails('web/src/x.ts', '../../server/db/schema.ts'),
  fails('web/src/x.ts', 'node:fs'),
  passes('web/src/x.ts', '../../server/domain/quarter.ts'),
  passes('web/src/x.ts', 'x', typeOnly('../../server/contracts/sector.contract.ts')),
  passes('web/src/x.ts', 'chart.js'),
  passes('web/src/x.ts', './dom.ts'),
  passes('web/src/x.ts', './pages/overview.ts'),
  { file: 'web/src/x.ts', source: value('../../server/contracts/sector.contract.ts'), expected: PLUGIN },
  { file: 'web/src/x.ts', source: inlineType('../../server/contracts/sector.contract.ts'), expected: PLUGIN },

  // web/src/pages: a page never imports another page.
  fails('web/src/pages/x.ts', './overview.ts'),
  fails('web/src/pages/x.ts', '../pages/overview.ts'),
  fails('web/src/pages/x.ts', '../../../server/errors.ts'),
  fails('web/src/pages/x.ts', '../../../server/http/schemas/common.schemas.ts'),
  passes('web/src/pages/x.ts', '../dom.ts'),
  passes('web/src/pages/x.ts', '../ui/table.ts'),
  passes('web/src/pages/x.ts', '../../../server/domain/quarter.ts'),
  passes('web/src/pages/x.ts', 'x', typeOnly('../../../server/contracts/sector.contract.ts')),
  {
    file: 'web/src/pages/x.ts',
    source: value('../../../server/contracts/sector.contract.ts'),
    expected: PLUGIN,
  },

  // migrations: frozen in time; kysely and other migrations only.
  fails('migrations/x.ts', '../server/db/schema.ts'),
  fails('migrations/x.ts', '../server/domain/quarter.ts'),
  fails('migrations/x.ts', 'zod'),
  fails('migrations/x.ts', 'node:fs'),
  passes('migrations/x.ts', 'kysely'),
  passes('migrations/index.ts', './2026-11-23-001-initial.ts'),
];

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

const results = new Map<Case, Diagnostic[]>();
let scratch = '';

/** Each case's file path; generic names get the case number so cases can share a folder. */
function probePath(c: Case, index: number): string {
  const base = c.file.split('/').pop()!;
  const exact = ['errors.ts', 'database.ts', 'app.ts', 'index.ts'].includes(base);
  return exact ? c.file : c.file.replace(/\.ts$/, `.${index}.ts`);
}

/** Lints one set of files whose paths are all different; returns the diagnostics per path. */
async function lint(files: Map<string, string>): Promise<Map<string, Diagnostic[]>> {
  const dir = join(scratch, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'biome.json'), readFileSync(join(ROOT, 'biome.json')));
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'scripts', 'lint'), join(dir, 'scripts', 'lint'), { recursive: true });
  for (const [path, source] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const args = ['lint', '--reporter=json', '--max-diagnostics=none', '--vcs-enabled=false', ...files.keys()];
  const stdout = await promisify(execFile)(BIOME, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const report = JSON.parse(stdout) as { diagnostics: Diagnostic[] };
  const byPath = new Map<string, Diagnostic[]>();
  for (const d of report.diagnostics)
    byPath.set(d.location.path, [...(byPath.get(d.location.path) ?? []), d]);
  return byPath;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vpt-layering-'));
  // Cases that must sit at the same exact path (server/errors.ts, …) go to separate runs.
  const rounds: Map<string, Case>[] = [];
  CASES.forEach((c, index) => {
    const path = probePath(c, index);
    let round = rounds.find((r) => !r.has(path));
    if (!round) {
      round = new Map();
      rounds.push(round);
    }
    round.set(path, c);
  });
  await Promise.all(
    rounds.map(async (round) => {
      const diagnostics = await lint(new Map([...round].map(([path, c]) => [path, c.source])));
      for (const [path, c] of round) results.set(c, diagnostics.get(path) ?? []);
    }),
  );
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the layering rules in biome.json', () => {
  it.each(CASES.map((c) => [c.file, c.source.split('\n')[0], c] as const))(
    'in %s, `%s`',
    (_file, _statement, c) => {
      const found = (results.get(c) ?? []).filter((d) => d.category === RULE || d.category === PLUGIN);
      if (c.expected === null) {
        expect(found).toEqual([]);
      } else {
        expect(found.map((d) => d.category)).toEqual([c.expected]);
        expect(found[0]!.message).toMatch(
          c.expected === PLUGIN ? /types only/ : /Layering|Migrations|browser/,
        );
      }
    },
  );

  it('lints the probes at all (a syntax error in a probe is reported, not silently passed)', async () => {
    const diagnostics = await lint(new Map([['server/domain/broken.ts', 'import { from;\n']]));
    expect(diagnostics.get('server/domain/broken.ts')?.length).toBeGreaterThan(0);
  });
});
