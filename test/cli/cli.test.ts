import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteError } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../scripts/cli/io.ts';
import { runCli } from '../../scripts/cli/run.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import { ALL_KEYS } from '../support.ts';
import { cliSandbox } from './sandbox.ts';

const ALL_JA = Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja']));

function answers(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...ALL_JA, ...overrides };
}

const sandbox = cliSandbox('vpt-cli-');
const { cli, cliJson } = sandbox;

/** Adds an organisation with `org add --json` and returns it. */
function addOrg(name: string, sector: string, memberFrom: string) {
  return cliJson(['org', 'add', '--name', name, '--sector', sector, '--member-from', memberFrom]);
}

/** The arguments of `quickscan record` with answers from a file (or `-` for stdin). */
function recordArgs(orgId: number, quarter: string, answers: string): string[] {
  return ['quickscan', 'record', '--org', String(orgId), '--quarter', quarter, '--answers', answers];
}

function answersFile(name: string, content: unknown): string {
  return sandbox.file(name, JSON.stringify(content));
}

describe('cli: model and sectors', () => {
  it('when asked for the model as JSON, then it prints id, version and the gears with keys 2a to 5c', async () => {
    const model = await cliJson(['model']);
    expect(model.id).toBe('vpt-schakelmodel');
    expect(model.version).toBe(2);
    expect(model.gears).toHaveLength(5);
    expect(model.gears[0]).toEqual({ gear: 1, name: 'Startpositie', criteria: [] });
    expect(
      model.gears.flatMap((g: { criteria: Array<{ key: string }> }) => g.criteria.map((c) => c.key)),
    ).toEqual(Object.keys(ALL_JA));
    expect(Object.keys(model.gears[1].criteria[0]).sort()).toEqual(['key', 'measure', 'text']);
  });

  it('when a sector is added, then sector list shows it after the 8 default sectors', async () => {
    await cliJson(['sector', 'add', '--name', 'Energie']);
    const list = await cliJson(['sector', 'list']);
    expect(list.map((s: { name: string }) => s.name)).toEqual([...DEFAULT_SECTORS, 'Energie']);
  });

  it('when a sector is added twice with another case, then the second fails on stderr with exit code 1', async () => {
    await cliJson(['sector', 'add', '--name', 'Energie']);
    const r = await cli(['sector', 'add', '--name', ' energie ', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("er bestaat al een sector met de naam 'energie'");
  });
});

describe('cli: organisations, gears and quickscans', () => {
  it('when an organisation is added, then it comes back with its id, sector and membership', async () => {
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q4');
    expect(org).toMatchObject({
      name: 'Gemeente Dijkwaard',
      sector: 'Openbaar Bestuur',
      memberFrom: '2015-Q4',
      memberUntil: null,
    });
    expect(typeof org.id).toBe('number');
  });

  it('when a sector does not exist, then org add names it and exits 1', async () => {
    const r = await cli(['org', 'add', '--name', 'X', '--sector', 'Ruimtevaart', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("sector 'Ruimtevaart' bestaat niet");
  });

  it('when a gear is set in one quarter, then org show carries it forward to a later quarter', async () => {
    const org = await addOrg('Zorggroep De Linde', 'Zorg', '2015-Q4');
    await cliJson([
      'gear',
      'set',
      '--org',
      String(org.id),
      '--quarter',
      '2016-Q1',
      '--gear',
      '3',
      '--source',
      'import',
    ]);

    const inQ1 = await cliJson(['org', 'show', String(org.id), '--quarter', '2016-Q1']);
    const inQ4 = await cliJson(['org', 'show', String(org.id), '--quarter', '2016-Q4']);
    const before = await cliJson(['org', 'show', String(org.id), '--quarter', '2015-Q4']);

    expect(inQ1).toEqual({
      id: org.id,
      name: 'Zorggroep De Linde',
      sector: 'Zorg',
      quarter: '2016-Q1',
      member: true,
      gear: 3,
      carriedFrom: null,
      ageQuarters: 0,
      met: ['2a', '2b', '2c', '2d', '3a', '3b', '3c', '3d', '3e'],
      nextSteps: ['4a', '4b', '4c', '4d', '4e'],
      progress: { met: 0, total: 5 },
    });
    expect(inQ4).toMatchObject({ quarter: '2016-Q4', gear: 3, carriedFrom: '2016-Q1', ageQuarters: 3 });
    expect(before).toMatchObject({ gear: null, carriedFrom: null, met: [], nextSteps: [] });
  });

  it('when a quickscan is recorded from a file and from stdin, then the gear follows the answers and the second is an edit', async () => {
    const org = await addOrg('Vervoerbedrijf Rivierland', 'Openbaar Vervoer', '2016-Q1');
    const file = answersFile(
      'a.json',
      answers({ '3c': { answer: 'nvt', note: 'geen publiekscontact' }, '4b': 'deels' }),
    );

    const first = await cliJson(recordArgs(org.id, '2016-Q2', file));
    const second = await cliJson(
      recordArgs(org.id, '2016-Q2', '-'),
      JSON.stringify(answers({ '2a': 'nee' })),
    );
    const status = await cliJson(['org', 'show', String(org.id), '--quarter', '2016-Q2']);

    expect(first.gear).toBe(3);
    expect(first.answers['3c']).toEqual({ answer: 'nvt', note: 'geen publiekscontact' });
    expect(second.gear).toBe(1);
    expect(second.version).toBe(2);
    expect(status).toMatchObject({
      gear: 1,
      carriedFrom: null,
      nextSteps: ['2a'],
      progress: { met: 3, total: 4 },
    });
  });

  it('when the answers are incomplete or wrong, then every problem is listed on stderr and nothing is stored', async () => {
    const org = await addOrg('ROC Noorderlicht', 'Onderwijs', '2016-Q1');
    const { '2b': _, ...missing } = answers({ '3c': 'nvt', '2a': 'misschien', '9z': 'ja' });
    const file = answersFile('bad.json', missing);

    const r = await cli([...recordArgs(org.id, '2016-Q2', file), '--json']);
    const status = await cliJson(['org', 'show', String(org.id), '--quarter', '2016-Q2']);

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("criterium '9z' bestaat niet");
    expect(r.stderr).toContain("criterium '2b' is niet beantwoord");
    expect(r.stderr).toContain('"misschien" is ongeldig');
    expect(r.stderr).toContain('toelichting');
    expect(status.gear).toBeNull();
  });

  it('when a gear is outside 1 to 5 or the quarter is malformed, then the CLI refuses with a Dutch message', async () => {
    const org = await addOrg('Gemeente Oostmeer', 'Openbaar Bestuur', '2015-Q4');
    const six = await cli(['gear', 'set', '--org', String(org.id), '--quarter', '2016-Q1', '--gear', '6']);
    const frac = await cli(['gear', 'set', '--org', String(org.id), '--quarter', '2016-Q1', '--gear', '2.5']);
    const q5 = await cli(['gear', 'set', '--org', String(org.id), '--quarter', '2016-Q5', '--gear', '2']);
    const notMember = await cli([
      'gear',
      'set',
      '--org',
      String(org.id),
      '--quarter',
      '2015-Q3',
      '--gear',
      '2',
    ]);

    expect([six.code, frac.code, q5.code, notMember.code]).toEqual([1, 1, 1, 1]);
    expect(six.stderr).toContain('6 is geen versnelling');
    expect(frac.stderr).toContain('2.5 is geen versnelling');
    expect(q5.stderr).toContain("kwartaal '2016-Q5' bestaat niet: gebruik JJJJ-Qn met n van 1 tot 4");
    expect(notMember.stderr).toContain('geen lid');
  });
});

describe('cli: report', () => {
  it('when a region has gears in two quarters, then report --json gives the unrounded analysis', async () => {
    const a = await addOrg('A', 'Zorg', '2015-Q4');
    const b = await addOrg('B', 'Zorg', '2015-Q4');
    const c = await addOrg('C', 'Openbaar Vervoer', '2016-Q2');
    for (const [org, q, g] of [
      [a, '2015-Q4', 2],
      [b, '2015-Q4', 3],
      [a, '2016-Q4', 4],
      [c, '2016-Q2', 4],
    ] as const) {
      await cliJson(['gear', 'set', '--org', String(org.id), '--quarter', q, '--gear', String(g)]);
    }

    const report = await cliJson(['report', '--from', '2015-Q4', '--to', '2016-Q4']);

    expect(report.from).toBe('2015-Q4');
    expect(report.to).toBe('2016-Q4');
    expect(report.organisationCount).toBe(3);
    expect(report.sectorCount).toBe(2);
    expect(report.overall.from).toEqual({ n: 2, average: 2.5, staleCount: 0, closed: null });
    expect(report.overall.to.staleCount).toBe(0);
    expect(report.overall.to.n).toBe(3);
    expect(report.overall.to.average).toBeCloseTo(11 / 3, 12);
    expect(report.overall.changePercent).toBeCloseTo(((11 / 3 - 2.5) / 2.5) * 100, 10);
    const zorg = report.sectors.find((s: { name: string }) => s.name === 'Zorg');
    const ov = report.sectors.find((s: { name: string }) => s.name === 'Openbaar Vervoer');
    const anders = report.sectors.find((s: { name: string }) => s.name === 'Anders');
    expect(zorg).toMatchObject({
      name: 'Zorg',
      from: { n: 2, average: 2.5, staleCount: 0, closed: null },
      to: { n: 2, average: 3.5, staleCount: 0, closed: null },
      changePercent: 40,
    });
    expect(ov).toMatchObject({
      name: 'Openbaar Vervoer',
      from: { n: 0, average: null, staleCount: 0, closed: null },
      to: { n: 1, average: 4, staleCount: 0, closed: null },
      changePercent: null,
    });
    expect(anders).toMatchObject({
      name: 'Anders',
      from: { n: 0, average: null, staleCount: 0, closed: null },
      to: { n: 0, average: null, staleCount: 0, closed: null },
      changePercent: null,
    });
    expect(report.strongest).toEqual(['Openbaar Vervoer']);
  });

  it('when the period runs backwards, then report exits 1 and says so', async () => {
    const r = await cli(['report', '--from', '2016-Q4', '--to', '2015-Q4', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('periode loopt achteruit');
  });
});

describe('cli: usage', () => {
  it('when a command or option is unknown, then it exits 2 with a hint', async () => {
    const unknown = await cli(['fly']);
    const badOption = await cli(['model', '--colour']);
    const missing = await cli(['org', 'add', '--sector', 'Zorg']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("onbekende opdracht 'fly'");
    expect(badOption.code).toBe(2);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is verplicht');
  });

  it('when a bad environment is given, then it names the variable', async () => {
    let stderr = '';
    const code = await runCli(['model'], {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      readStdin: async () => '',
      env: { DATABASE_PATH: join(sandbox.dir, 'x.sqlite'), PORT: 'abc' },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
  });
});

describe('cli: as a real process', () => {
  it('when run through npm run cli with --json, then stdout is only JSON', async () => {
    const run = promisify(execFile);
    const { stdout } = await run('npm', ['run', 'cli', '--', 'sector', 'list', '--json'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, DATABASE_PATH: join(sandbox.dir, 'proc.sqlite') },
    });
    const sectors = JSON.parse(stdout);
    expect(sectors).toHaveLength(8);
  });

  it('when the command fails, then the process exits non-zero with the message on stderr', async () => {
    const run = promisify(execFile);
    const failed = await run(
      'npm',
      ['run', 'cli', '--', 'org', 'show', '999', '--quarter', '2016-Q4', '--json'],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, DATABASE_PATH: join(sandbox.dir, 'proc.sqlite') },
      },
    ).then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed).not.toBeNull();
    expect(failed!.code).not.toBe(0);
    expect(failed!.stdout).toBe('');
    expect(failed!.stderr).toContain('organisatie 999 bestaat niet');
  });
});

describe('cli: accounts', () => {
  it('when an account is added with the password on stdin, then it is listed and the password is stored only hashed', async () => {
    const added = await cliJson(
      ['user', 'add', '--email', 'Pl@Regio.example.org', '--role', 'projectleider'],
      'een lang genoeg wachtwoord\n',
    );
    const list = await cliJson(['user', 'list']);

    expect(added).toMatchObject({
      email: 'Pl@Regio.example.org',
      role: 'projectleider',
      organisationId: null,
      disabled: false,
    });
    expect(list.map((u: { email: string }) => u.email)).toEqual(['Pl@Regio.example.org']);
    expect(JSON.stringify(list)).not.toContain('een lang genoeg wachtwoord');
  });

  it('when an organisation account is added, then it is bound to that organisation; without one it is refused', async () => {
    const org = await addOrg('Zorggroep De Linde', 'Zorg', '2016-Q1');
    const bound = await cliJson(
      [
        'user',
        'add',
        '--email',
        'linde@example.org',
        '--role',
        'organisatie',
        '--organisation',
        String(org.id),
      ],
      'wachtwoord-voor-de-linde',
    );
    const unbound = await cli(
      ['user', 'add', '--email', 'x@example.org', '--role', 'organisatie'],
      'wachtwoord-voor-x-123',
    );

    expect(bound.organisationId).toBe(org.id);
    expect(unbound.code).toBe(1);
    expect(unbound.stderr).toContain('hoort bij één organisatie');
  });

  it('when a password is short or missing, then the account is not made', async () => {
    const short = await cli(['user', 'add', '--email', 'b@example.org', '--role', 'bestuur'], 'kort\n');
    const missing = await cli(['user', 'add', '--email', 'b@example.org', '--role', 'bestuur'], '');
    const list = await cliJson(['user', 'list']);

    expect(short.code).toBe(1);
    expect(short.stderr).toContain('minstens 12 tekens');
    expect(missing.code).toBe(2);
    expect(list).toEqual([]);
  });

  it('when an account is disabled, then user list shows it disabled; the last projectleider cannot be', async () => {
    await cliJson(
      ['user', 'add', '--email', 'pl@example.org', '--role', 'projectleider'],
      'wachtwoord-van-de-pl',
    );
    await cliJson(
      ['user', 'add', '--email', 'bestuur@example.org', '--role', 'bestuur'],
      'wachtwoord-van-bestuur',
    );

    const disabled = await cliJson(['user', 'disable', '--email', 'BESTUUR@example.org']);
    const last = await cli(['user', 'disable', '--email', 'pl@example.org']);
    const unknown = await cli(['user', 'disable', '--email', 'niemand@example.org']);

    expect(disabled).toMatchObject({ email: 'bestuur@example.org', disabled: true });
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('laatste actieve projectleidersaccount');
    expect(unknown.stderr).toContain("er is geen account met e-mailadres 'niemand@example.org'");
  });
});

describe('cli: a busy or full database', () => {
  it.each([
    ['SQLITE_BUSY', 75, /de database is bezet.*er is niets opgeslagen/],
    ['SQLITE_BUSY_SNAPSHOT', 75, /de database is bezet/],
    ['SQLITE_LOCKED', 75, /de database is bezet/],
    ['SQLITE_FULL', 1, /de schijf is vol; er is niets opgeslagen/],
  ] as const)(
    'when SQLite answers %s, then the CLI says so in Dutch with exit %i',
    (code, exitCode, message) => {
      // Act
      const described = describeError(new SqliteError('database is locked', code));

      // Assert
      expect(described.exitCode).toBe(exitCode);
      expect(described.lines[0]).toMatch(message);
    },
  );
});
