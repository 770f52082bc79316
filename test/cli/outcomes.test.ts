// The pinned CLI of issue 12, items 3 and 4: `baseline set --from Q --to Q --target-percent P
// [--sector S] [--json]`, `baseline list`, `report incidents --from Q --to Q [--json]` and
// `target add|list|remove`. The CLI runs at TEST_NOW (2026-11-15, in 2026-Q4).
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './sandbox.ts';

const { cli, cliJson } = cliSandbox('vpt-cli-outcomes-');

async function addOrg(name: string, sector: string, memberFrom: string): Promise<string> {
  const org = await cliJson(['org', 'add', '--name', name, '--sector', sector, '--member-from', memberFrom]);
  return String(org.id);
}

async function employees(id: string, year: number, n: number): Promise<void> {
  await cliJson(['org', 'update', id, '--employees', String(n), '--year', String(year)]);
}

async function record(id: string, quarter: string, figures: Record<string, number>): Promise<void> {
  const options = Object.entries(figures).flatMap(([k, v]) => [`--${k}`, String(v)]);
  await cliJson(['incidents', 'record', '--org', id, '--quarter', quarter, ...options]);
}

/**
 * Three organisations with hand-counted figures against the 0-meting 2016:
 * - Gemeente Dijkwaard (Openbaar Bestuur), 200 employees in 2016 and 250 in 2026: 10 + 10
 *   incidents in two quarters of 2016 (100 employee-years: 20 per 100), 15 + 10 in two quarters of
 *   2026 (125 employee-years: 20 per 100).
 * - Zorggroep De Linde (Zorg), 400 employees in 2016 only (carried forward to 2026): 30 incidents
 *   in one quarter of 2016 (30 per 100), 20 in one quarter of 2026 (20 per 100).
 * - ROC Rivierland (Onderwijs), a member from 2026 only: figures in the period alone.
 * The region compares the two with figures in both: 50 over 200 employee-years (25 per 100)
 * against 45 over 225 (20 per 100), a change of −20%.
 */
async function smallRegion(): Promise<void> {
  const gemeente = await addOrg('Gemeente Dijkwaard', 'Openbaar Bestuur', '2016-Q1');
  const zorg = await addOrg('Zorggroep De Linde', 'Zorg', '2016-Q1');
  const roc = await addOrg('ROC Rivierland', 'Onderwijs', '2026-Q1');
  await employees(gemeente, 2016, 200);
  await employees(gemeente, 2026, 250);
  await employees(zorg, 2016, 400);
  await employees(roc, 2026, 100);
  await record(gemeente, '2016-Q1', { verbal: 6, threat: 4 });
  await record(gemeente, '2016-Q2', { verbal: 10, reports: 1 });
  await record(gemeente, '2026-Q1', { verbal: 10, threat: 5 });
  await record(gemeente, '2026-Q2', { verbal: 10 });
  await record(zorg, '2016-Q3', { verbal: 20, threat: 6, physical: 3, other: 1 });
  await record(zorg, '2026-Q2', { verbal: 15, other: 5 });
  await record(roc, '2026-Q1', { verbal: 3 });
}

describe('cli: baseline set and list', () => {
  it('when the 0-meting is set with --target-percent -25, then --json prints the period and the target of the region', async () => {
    // Act: the negative value right after the option, as a reduction is written.
    const baseline = await cliJson([
      'baseline',
      'set',
      '--from',
      '2016-Q1',
      '--to',
      '2016-Q4',
      '--target-percent',
      '-25',
    ]);
    const list = await cliJson(['baseline', 'list']);

    // Assert
    expect(baseline).toMatchObject({
      sectorId: null,
      sector: null,
      from: '2016-Q1',
      to: '2016-Q4',
      targetPercent: -25,
      version: 1,
    });
    expect(list.region).toMatchObject({ from: '2016-Q1', to: '2016-Q4', targetPercent: -25 });
    expect(list.sectors).toEqual([]);
  });

  it('when --target-percent 25 is given, then it is read as the reduction -25; --sector takes the sector by name', async () => {
    // Act
    const region = await cliJson([
      'baseline',
      'set',
      '--from',
      '2016-Q1',
      '--to',
      '2016-Q4',
      '--target-percent',
      '25',
    ]);
    const zorg = await cliJson([
      'baseline',
      'set',
      '--from',
      '2017-Q1',
      '--to',
      '2017-Q4',
      '--target-percent',
      '30',
      '--sector',
      'Zorg',
    ]);
    const list = await cliJson(['baseline', 'list']);

    // Assert
    expect(region.targetPercent).toBe(-25);
    expect(zorg).toMatchObject({ sector: 'Zorg', from: '2017-Q1', to: '2017-Q4', targetPercent: -30 });
    expect(zorg.sectorId).toEqual(expect.any(Number));
    expect(list.sectors).toHaveLength(1);
    expect(list.sectors[0]).toMatchObject({ sector: 'Zorg', targetPercent: -30 });
  });

  it('when the period is reversed, then it says so in Dutch on stderr, exits non-zero and sets nothing', async () => {
    // Act
    const res = await cli([
      'baseline',
      'set',
      '--from',
      '2016-Q4',
      '--to',
      '2016-Q1',
      '--target-percent',
      '-25',
    ]);
    const list = await cliJson(['baseline', 'list']);

    // Assert
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('fout: het laatste kwartaal ligt voor het eerste (Q4 2016)');
    expect(list).toEqual({ region: null, sectors: [] });
  });
});

describe('cli: report incidents', () => {
  it('when `report incidents --from Q --to Q --json` is run, then it prints the 0-meting against the period for the region and each sector, compared over the organisations with figures in both', async () => {
    // Arrange
    await smallRegion();
    await cliJson(['baseline', 'set', '--from', '2016-Q1', '--to', '2016-Q4', '--target-percent', '-25']);

    // Act
    const report = await cliJson(['report', 'incidents', '--from', '2026-Q1', '--to', '2026-Q4']);

    // Assert
    expect(report.baseline).toEqual({ from: '2016-Q1', to: '2016-Q4' });
    expect(report.region).toMatchObject({
      baseline: { incidents: 50, employees: 600, per100: 25 },
      period: { incidents: 45, employees: 650, per100: 20 },
      changePercent: -20,
      targetPercent: -25,
      organisations: { both: 2, onlyBaseline: 0, onlyPeriod: 1 },
    });
    const sector = (name: string) => report.sectors.find((s: { name: string }) => s.name === name);
    expect(report.sectors).toHaveLength(8);
    expect(sector('Openbaar Bestuur')).toMatchObject({
      baseline: { incidents: 20, employees: 200, per100: 20 },
      period: { incidents: 25, employees: 250, per100: 20 },
      changePercent: 0,
      targetPercent: -25,
      organisations: { both: 1, onlyBaseline: 0, onlyPeriod: 0 },
    });
    expect(sector('Zorg')).toMatchObject({
      baseline: { incidents: 30, employees: 400, per100: 30 },
      period: { incidents: 20, employees: 400, per100: 20 },
      targetPercent: -25,
      organisations: { both: 1, onlyBaseline: 0, onlyPeriod: 0 },
    });
    expect(sector('Zorg').changePercent).toBeCloseTo(-100 / 3, 9);
    expect(sector('Onderwijs')).toMatchObject({
      baseline: { incidents: 0, employees: 0, per100: null },
      period: { incidents: 0, employees: 0, per100: null },
      changePercent: null,
      organisations: { both: 0, onlyBaseline: 0, onlyPeriod: 1 },
    });
    for (const s of report.sectors) {
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'name',
          'baseline',
          'period',
          'changePercent',
          'targetPercent',
          'organisations',
        ]),
      );
    }
  });

  it('when there is no 0-meting yet, then it says in Dutch that a 0-meting is needed and exits non-zero', async () => {
    // Arrange
    await smallRegion();

    // Act
    const res = await cli(['report', 'incidents', '--from', '2026-Q1', '--to', '2026-Q4', '--json']);

    // Assert
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('0-meting');
    expect(res.stderr).toContain('er is nog geen 0-meting vastgelegd');
  });
});

describe('cli: target add, list and remove', () => {
  it('when a target is added, then `target list --json` gives it with its current value and whether it is on track', async () => {
    // Arrange
    await smallRegion();
    await cliJson(['baseline', 'set', '--from', '2016-Q1', '--to', '2016-Q4', '--target-percent', '-25']);

    // Act
    const share = await cliJson([
      'target',
      'add',
      '--kind',
      'gear-share-3',
      '--value',
      '80',
      '--quarter',
      '2027-Q4',
    ]);
    const change = await cliJson([
      'target',
      'add',
      '--kind',
      'incidents-change',
      '--value',
      '-25',
      '--quarter',
      '2027-Q4',
    ]);
    const list = await cliJson(['target', 'list']);

    // Assert
    expect(share).toMatchObject({ kind: 'gear-share-3', value: 80, quarter: '2027-Q4', sectorId: null });
    expect(list).toHaveLength(2);
    for (const t of list) {
      expect(t).toHaveProperty('current');
      expect(t).toHaveProperty('onTrack');
    }
    expect(list.map((t: { id: number }) => t.id)).toEqual([share.id, change.id]);
    // No member has a gear yet: none of the three is in gear 3 or higher.
    expect(list[0]).toMatchObject({
      current: 0,
      currentQuarter: '2026-Q4',
      onTrack: false,
      status: 'achter',
    });
    // The year up to 2026-Q4 against the 0-meting: −20%, short of −25% in the target quarter's year.
    expect(list[1]).toMatchObject({ kind: 'incidents-change', value: -25, currentQuarter: '2026-Q4' });
    expect(list[1].current).toBeCloseTo(-20, 9);
    // Nothing registered in the year before (2025), so no trend to project: behind schedule.
    expect(list[1]).toMatchObject({ met: false, onTrack: false, status: 'achter' });
  });

  it('when an average target lies outside 1 to 5, then it says so in Dutch, exits non-zero and adds nothing', async () => {
    // Act
    const res = await cli(['target', 'add', '--kind', 'average', '--value', '9', '--quarter', '2027-Q4']);
    const list = await cliJson(['target', 'list']);

    // Assert
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('een gemiddelde versnelling ligt tussen 1 en 5');
    expect(list).toEqual([]);
  });

  it('when a target is removed, then the list is empty again', async () => {
    // Arrange
    const target = await cliJson([
      'target',
      'add',
      '--kind',
      'members',
      '--value',
      '20',
      '--quarter',
      '2027-Q4',
    ]);

    // Act
    const removed = await cliJson(['target', 'remove', String(target.id)]);
    const list = await cliJson(['target', 'list']);

    // Assert
    expect(removed).toEqual({ id: target.id, removed: true });
    expect(list).toEqual([]);
  });

  it('when --sector names a sector, then the target is that sector’s', async () => {
    // Arrange
    await addOrg('Zorggroep De Linde', 'Zorg', '2016-Q1');

    // Act
    const target = await cliJson([
      'target',
      'add',
      '--kind',
      'gear-share-4',
      '--value',
      '50',
      '--quarter',
      '2027-Q4',
      '--sector',
      'Zorg',
    ]);

    // Assert
    expect(target).toMatchObject({ kind: 'gear-share-4', sector: 'Zorg', current: 0 });
    expect(target.sectorId).toEqual(expect.any(Number));
    expect(target.description).toContain('(Zorg)');
  });
});
