// The pinned CLI of issue 12, item 1: `incidents record --org ID --quarter Q [--verbal N] …
// [--json]` (only the figures given; "none" is not registered) and `org update ID --employees N
// --year YYYY`.
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './sandbox.ts';

const { cli, cliJson } = cliSandbox('vpt-cli-incidents-');

async function addOrg(): Promise<number> {
  const org = await cliJson([
    'org',
    'add',
    '--name',
    'Gemeente Dijkwaard',
    '--sector',
    'Openbaar Bestuur',
    '--member-from',
    '2016-Q1',
  ]);
  return org.id as number;
}

describe('cli: incidents record', () => {
  it('when figures are recorded and then one more is added, then --json prints all seven with their sum, the ones not given kept', async () => {
    // Arrange
    const id = String(await addOrg());

    // Act
    const first = await cliJson([
      'incidents',
      'record',
      '--org',
      id,
      '--quarter',
      '2016-Q2',
      '--verbal',
      '4',
      '--physical',
      '0',
    ]);
    const second = await cliJson([
      'incidents',
      'record',
      '--org',
      id,
      '--quarter',
      '2016-Q2',
      '--threat',
      '2',
      '--reactions48h',
      '1',
      '--damage-recovered',
      '0',
    ]);

    // Assert
    expect(first).toMatchObject({ verbal: 4, physical: 0, threat: null, incidents: 4, version: 1 });
    expect(second).toMatchObject({
      organisationId: Number(id),
      quarter: '2016-Q2',
      verbal: 4,
      threat: 2,
      physical: 0,
      other: null,
      reports: null,
      reactions48h: 1,
      damageRecovered: 0,
      incidents: 6,
      version: 2,
    });
  });

  it('when a figure is set to none, then it is "not registered" again; without --json the figures are named in Dutch', async () => {
    // Arrange
    const id = String(await addOrg());
    await cliJson([
      'incidents',
      'record',
      '--org',
      id,
      '--quarter',
      '2016-Q2',
      '--verbal',
      '4',
      '--threat',
      '1',
    ]);

    // Act
    const res = await cli(['incidents', 'record', '--org', id, '--quarter', '2016-Q2', '--verbal', 'none']);

    // Assert
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('verbale agressie: niet geregistreerd');
    expect(res.stdout).toContain('bedreiging/intimidatie: 1');
    expect(res.stdout).toContain('incidenten in totaal: 1');
  });

  it('when the figures are not counts or none is given, then it says so in Dutch per figure, exits non-zero and writes nothing', async () => {
    // Arrange
    const id = String(await addOrg());

    // Act
    const bad = await cli([
      'incidents',
      'record',
      '--org',
      id,
      '--quarter',
      '2016-Q2',
      '--verbal=-3',
      '--threat',
      'veel',
    ]);
    const none = await cli(['incidents', 'record', '--org', id, '--quarter', '2016-Q2']);
    // The first figures that do get recorded are version 1: nothing was written before.
    const after = await cliJson(['incidents', 'record', '--org', id, '--quarter', '2016-Q2', '--other', '1']);

    // Assert
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('verbal: geef een geheel getal van 0 tot en met 1.000.000');
    expect(bad.stderr).toContain('threat: geef een geheel getal van 0 tot en met 1.000.000');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('geef ten minste één cijfer');
    expect(after).toMatchObject({ version: 1, verbal: null, threat: null, other: 1 });
  });
});

describe('cli: org update --employees --year', () => {
  it('when the employees of a year are recorded and changed, then --json prints the year, the number and its version', async () => {
    // Arrange
    const id = String(await addOrg());

    // Act
    const first = await cliJson(['org', 'update', id, '--employees', '120', '--year', '2016']);
    const changed = await cliJson(['org', 'update', id, '--employees', '125', '--year', '2016']);
    const half = await cli(['org', 'update', id, '--employees', '125']);

    // Assert
    expect(first).toMatchObject({ organisationId: Number(id), year: 2016, employees: 120, version: 1 });
    expect(changed).toMatchObject({ year: 2016, employees: 125, version: 2 });
    expect(half.code).not.toBe(0);
    expect(half.stderr).toContain('geef --employees en --year samen');
  });
});

describe('cli: report measures', () => {
  it('when `report measures --quarter Q --from Q --json` is run, then it prints per measure { measure, name, met, unknown, total, share, sectors } with the change', async () => {
    // Arrange: one member with a full quickscan from 2016-Q2, none before.
    const id = String(await addOrg());
    const keys = [
      '2a',
      '2b',
      '2c',
      '2d',
      '3a',
      '3b',
      '3c',
      '3d',
      '3e',
      '4a',
      '4b',
      '4c',
      '4d',
      '4e',
      '5a',
      '5b',
      '5c',
    ];
    const answers = JSON.stringify(Object.fromEntries(keys.map((k) => [k, 'ja'])));
    const recorded = await cli(
      ['quickscan', 'record', '--org', id, '--quarter', '2016-Q2', '--answers', '-'],
      answers,
    );
    expect(recorded.code, recorded.stderr).toBe(0);

    // Act
    const rows = await cliJson(['report', 'measures', '--quarter', '2016-Q2', '--from', '2016-Q1']);

    // Assert
    expect(rows).toHaveLength(12);
    const first = rows[0];
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['measure', 'name', 'met', 'unknown', 'total', 'share', 'sectors']),
    );
    expect(first).toMatchObject({
      measure: 'norm-stellen',
      name: 'norm stellen',
      met: 1,
      unknown: 0,
      total: 1,
      share: 1,
    });
    expect(first.from).toMatchObject({ met: 0, unknown: 1, total: 1, share: 0 });
    expect(first.changePoints).toBe(100);
    expect(first.sectors.find((s: { name: string }) => s.name === 'Openbaar Bestuur')).toMatchObject({
      met: 1,
      total: 1,
    });
  });
});
