// The pinned CLI of issue 9 ("Membership and sectors through time"), each command exactly as the
// issue writes it: org join|leave|move|periods, org show's new fields, org update's membership
// and sector options, and report --json with staleCount and the sectors of each quarter.
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './sandbox.ts';

const sandbox = cliSandbox('vpt-cli-time-');
const { cli, cliJson } = sandbox;

function addOrg(name: string, sector: string, memberFrom: string, memberUntil?: string) {
  return cliJson([
    'org',
    'add',
    '--name',
    name,
    '--sector',
    sector,
    '--member-from',
    memberFrom,
    ...(memberUntil ? ['--member-until', memberUntil] : []),
  ]);
}

function setGear(id: number, quarter: string, gear: number) {
  return cliJson(['gear', 'set', '--org', String(id), '--quarter', quarter, '--gear', String(gear)]);
}

describe('cli: org periods, join, leave and move', () => {
  it('when `org periods ID --json` is run, then it prints { memberships: [{ from, until }], sectors: [{ sector, from }] } with until null while open', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q4');

    // Act
    const periods = await cliJson(['org', 'periods', String(org.id)]);

    // Assert
    expect(Object.keys(periods).sort()).toEqual(['memberships', 'sectors']);
    expect(periods.memberships).toEqual([{ from: '2015-Q4', until: null }]);
    expect(periods.sectors).toHaveLength(1);
    expect(periods.sectors[0]).toMatchObject({ sector: 'Openbaar Bestuur', from: '2015-Q4' });
  });

  it('when `org leave ID --until Q --json` and `org join ID --from Q --json` are run, then each prints the organisation with its periods, and org periods shows both', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1');

    // Act
    const left = await cliJson(['org', 'leave', String(org.id), '--until', '2016-Q2']);
    const joined = await cliJson(['org', 'join', String(org.id), '--from', '2017-Q3']);
    const periods = await cliJson(['org', 'periods', String(org.id)]);

    // Assert
    expect(left).toMatchObject({
      id: org.id,
      name: 'Gemeente Dijkwaard',
      memberFrom: '2015-Q1',
      memberUntil: '2016-Q2',
    });
    expect(left.memberships).toEqual([{ from: '2015-Q1', until: '2016-Q2' }]);
    expect(joined).toMatchObject({ id: org.id, memberFrom: '2017-Q3', memberUntil: null });
    expect(joined.memberships).toEqual([
      { from: '2015-Q1', until: '2016-Q2' },
      { from: '2017-Q3', until: null },
    ]);
    expect(periods.memberships).toEqual(joined.memberships);
  });

  it('when `org move ID --sector SECTOR --from Q --json` is run, then it prints the organisation in its new sector and org periods shows both sectors', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1');

    // Act
    const moved = await cliJson(['org', 'move', String(org.id), '--sector', 'Zorg', '--from', '2016-Q3']);
    const periods = await cliJson(['org', 'periods', String(org.id)]);

    // Assert
    expect(moved).toMatchObject({ id: org.id, sector: 'Zorg' });
    expect(periods.sectors.map((s: { sector: string; from: string }) => [s.sector, s.from])).toEqual([
      ['Openbaar Bestuur', '2015-Q1'],
      ['Zorg', '2016-Q3'],
    ]);
  });

  it('when join, leave or move is run without the text option, then the human output names the periods or the sector', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1');

    // Act
    const left = await cli(['org', 'leave', String(org.id), '--until', '2016-Q2']);
    const joined = await cli(['org', 'join', String(org.id), '--from', '2017-Q3']);
    const moved = await cli(['org', 'move', String(org.id), '--sector', 'Zorg', '--from', '2018-Q1']);
    const periods = await cli(['org', 'periods', String(org.id)]);

    // Assert
    for (const r of [left, joined, moved, periods]) expect([r.code, r.stderr]).toEqual([0, '']);
    expect(joined.stdout).toContain('Q3 2017');
    expect(moved.stdout).toContain('Zorg');
    expect(periods.stdout).toContain('Q1 2015 tot en met Q2 2016');
    expect(periods.stdout).toContain('Zorg vanaf Q1 2018');
  });

  it.each([
    ['join while a period is open', ['org', 'join', '1', '--from', '2018-Q1'], 'is al lid'],
    ['leave before the period began', ['org', 'leave', '1', '--until', '2014-Q4'], "ligt vóór 'lid sinds'"],
    [
      'move to an unknown sector',
      ['org', 'move', '1', '--sector', 'Ruimtevaart', '--from', '2018-Q1'],
      'Ruimtevaart',
    ],
    [
      'leave with a malformed quarter',
      ['org', 'leave', '1', '--until', '2016-Q5'],
      "kwartaal '2016-Q5' bestaat niet",
    ],
    ['periods of an unknown organisation', ['org', 'periods', '99'], 'organisatie 99 bestaat niet'],
  ])(
    'when %s, then the command exits 1 with a Dutch message on stderr and nothing on stdout',
    async (_label, args, message) => {
      // Arrange
      await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1');

      // Act
      const r = await cli([...args, '--json']);

      // Assert
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    },
  );

  it('when join is run without --from, then it is a usage error: exit 2, naming the option', async () => {
    // Act
    const r = await cli(['org', 'join', '1', '--json']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--from');
  });

  it('when leave is run with no open period, then it exits 1 saying there is no membership to end', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1', '2016-Q4');

    // Act
    const r = await cli(['org', 'leave', String(org.id), '--until', '2017-Q1', '--json']);

    // Assert
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('er is geen lidmaatschap om te beëindigen');
  });
});

describe('cli: org show through time', () => {
  it('when `org show ID --quarter Q --json` is run, then it gives the sector of that quarter, whether it was a member, and for a carried gear carriedFrom and ageQuarters', async () => {
    // Arrange: Zorg until 2016-Q2, Onderwijs from 2016-Q3; gear 3 in 2016-Q1; left after 2017-Q1
    const org = await addOrg('Zorggroep De Linde', 'Zorg', '2015-Q4');
    await setGear(org.id, '2016-Q1', 3);
    await cliJson(['org', 'move', String(org.id), '--sector', 'Onderwijs', '--from', '2016-Q3']);
    await cliJson(['org', 'leave', String(org.id), '--until', '2017-Q1']);
    const show = (q: string) => cliJson(['org', 'show', String(org.id), '--quarter', q]);

    // Act
    const recorded = await show('2016-Q1');
    const carried = await show('2016-Q4');
    const gone = await show('2017-Q2');

    // Assert
    expect(recorded).toMatchObject({
      sector: 'Zorg',
      member: true,
      gear: 3,
      carriedFrom: null,
      ageQuarters: 0,
    });
    expect(carried).toMatchObject({
      sector: 'Onderwijs',
      member: true,
      gear: 3,
      carriedFrom: '2016-Q1',
      ageQuarters: 3,
    });
    expect(gone).toMatchObject({
      sector: 'Onderwijs',
      member: false,
      gear: null,
      carriedFrom: null,
      ageQuarters: null,
    });
  });

  it('when a carried gear is shown without --json, then its age is given in words', async () => {
    // Arrange
    const org = await addOrg('Zorggroep De Linde', 'Zorg', '2015-Q4');
    await setGear(org.id, '2016-Q1', 3);

    // Act
    const r = await cli(['org', 'show', String(org.id), '--quarter', '2016-Q4']);

    // Assert
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('doorgeschoven uit Q1 2016, 3 kwartalen geleden');
  });
});

describe('cli: org update keeps working through time', () => {
  it('when --member-from and --member-until are given, then they edit the latest period only', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1', '2015-Q4');
    await cliJson(['org', 'join', String(org.id), '--from', '2017-Q1']);

    // Act
    const updated = await cliJson([
      'org',
      'update',
      String(org.id),
      '--member-from',
      '2016-Q3',
      '--member-until',
      '2018-Q2',
    ]);

    // Assert
    expect(updated.memberships).toEqual([
      { from: '2015-Q1', until: '2015-Q4' },
      { from: '2016-Q3', until: '2018-Q2' },
    ]);
  });

  it('when --member-until none is given, then the latest period is open again', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1', '2015-Q4');

    // Act
    const updated = await cliJson(['org', 'update', String(org.id), '--member-until', 'none']);

    // Assert
    expect(updated.memberships).toEqual([{ from: '2015-Q1', until: null }]);
  });

  it('when --sector is given without a quarter, then the organisation moves from the current quarter and earlier quarters keep their sector', async () => {
    // Arrange
    const org = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2015-Q1');

    // Act
    const updated = await cliJson([
      'org',
      'update',
      String(org.id),
      '--sector',
      'Zorg',
      '--name',
      'Gemeente Dijkwaard-Oost',
    ]);
    const periods = await cliJson(['org', 'periods', String(org.id)]);
    const then = await cliJson(['org', 'show', String(org.id), '--quarter', '2016-Q1']);

    // Assert
    expect(updated).toMatchObject({ name: 'Gemeente Dijkwaard-Oost', sector: 'Zorg' });
    expect(periods.sectors.map((s: { sector: string; from: string }) => [s.sector, s.from])).toEqual([
      ['Openbaar Bestuur', '2015-Q1'],
      ['Zorg', '2026-Q4'],
    ]);
    expect(then.sector).toBe('Openbaar Bestuur');
  });
});

describe('cli: report, matrix and worklist through time', () => {
  it('when `report --json` is run, then overall and every sector have staleCount in from and to, and each quarter counts the sector of that quarter', async () => {
    // Arrange: A Zorg, 2 in 2015-Q1 (stale in 2016-Q2); B Zorg → Onderwijs from 2016-Q1, 4 in 2015-Q4
    const a = await addOrg('A', 'Zorg', '2015-Q1');
    const b = await addOrg('B', 'Zorg', '2015-Q1');
    await setGear(a.id, '2015-Q1', 2);
    await setGear(b.id, '2015-Q4', 4);
    await cliJson(['org', 'move', String(b.id), '--sector', 'Onderwijs', '--from', '2016-Q1']);

    // Act
    const report = await cliJson(['report', '--from', '2015-Q4', '--to', '2016-Q2']);

    // Assert
    expect(report.overall.from).toEqual({ n: 2, average: 3, staleCount: 0, closed: null });
    expect(report.overall.to).toEqual({ n: 2, average: 3, staleCount: 1, closed: null });
    const by = Object.fromEntries(report.sectors.map((s: { name: string }) => [s.name, s]));
    expect(by.Zorg).toMatchObject({
      name: 'Zorg',
      from: { n: 2, average: 3, staleCount: 0, closed: null },
      to: { n: 1, average: 2, staleCount: 1, closed: null },
      changePercent: (-1 / 3) * 100,
    });
    expect(by.Onderwijs).toMatchObject({
      name: 'Onderwijs',
      from: { n: 0, average: null, staleCount: 0, closed: null },
      to: { n: 1, average: 4, staleCount: 0, closed: null },
      changePercent: null,
    });
    for (const s of report.sectors) {
      expect(typeof s.from.staleCount).toBe('number');
      expect(typeof s.to.staleCount).toBe('number');
    }
  });

  it.each([
    ['report', ['report', '--from', '2026-Q4', '--to', '2027-Q1']],
    ['matrix', ['matrix', '--from', '2026-Q1', '--to', '2027-Q2']],
  ])(
    'when %s reaches past the current quarter, then it exits 1 with the future_quarter message',
    async (_label, args) => {
      // Act
      const r = await cli([...args, '--json']);

      // Assert
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('ligt na het huidige kwartaal (Q4 2026)');
    },
  );

  it('when `worklist --json` and `org list --json` are run, then items carry ageQuarters and the worklist is oldest gear first, then those without a gear', async () => {
    // Arrange
    const recent = await addOrg('Recent', 'Zorg', '2015-Q1');
    const old = await addOrg('Oud', 'Zorg', '2015-Q1');
    await addOrg('Geen', 'Zorg', '2015-Q1');
    await setGear(recent.id, '2016-Q1', 4);
    await setGear(old.id, '2015-Q2', 2);

    // Act
    const w = await cliJson(['worklist', '--quarter', '2016-Q2']);
    const l = await cliJson(['org', 'list', '--quarter', '2016-Q2']);

    // Assert
    expect(w.items.map((i: { name: string; ageQuarters: number | null }) => [i.name, i.ageQuarters])).toEqual(
      [
        ['Oud', 4],
        ['Recent', 1],
        ['Geen', null],
      ],
    );
    expect(
      Object.fromEntries(
        l.items.map((i: { name: string; ageQuarters: number | null }) => [i.name, i.ageQuarters]),
      ),
    ).toEqual({ Recent: 1, Oud: 4, Geen: null });
  });
});
