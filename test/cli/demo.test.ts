import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, fillDemo } from '../../scripts/demo.ts';
import type { OrganisationIncidents } from '../../server/contracts/incident.contract.ts';
import type { Action, Activity } from '../../server/contracts/network.contract.ts';
import type { OrganisationListItem } from '../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import type { Quarter } from '../../server/domain/quarter.ts';
import { quarterOfDate, quarterRange } from '../../server/domain/quarter.ts';
import { isMemberIn } from '../../server/domain/timeline.ts';
import { listActions } from '../../server/services/actions.service.ts';
import { listActivities, reportActivities } from '../../server/services/activities.service.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { incidentFiguresAt, organisationIncidents } from '../../server/services/incidents.service.ts';
import { listOrganisations } from '../../server/services/organisations.service.ts';
import {
  baselines,
  incidentTotals,
  listTargets,
  reportIncidents,
} from '../../server/services/outcomes.service.ts';
import { listQuickscans } from '../../server/services/quickscans.service.ts';
import { reportMatrix, reportSummary } from '../../server/services/reports.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { statusAt } from '../../server/services/status.service.ts';
import { buildTestContext, rowCounts, TEST_NOW } from '../helpers.ts';
import { expectAppError } from '../support.ts';

const CURRENT: Quarter = quarterOfDate(TEST_NOW); // 2026-Q4
const TODAY = TEST_NOW.toISOString().slice(0, 10);

/** The organisations that were members in `q`. */
function membersIn(organisations: readonly OrganisationListItem[], q: Quarter): OrganisationListItem[] {
  return organisations.filter((o) => isMemberIn(o, q));
}

/** The years (of quarters) in which an organisation was a member. */
function memberYears(o: OrganisationListItem, until: Quarter): number[] {
  const first = Number(o.memberships[0]!.from.slice(0, 4));
  const last = Number(until.slice(0, 4));
  return Array.from({ length: last - first + 1 }, (_, i) => first + i).filter((y) =>
    ([1, 2, 3, 4] as const).some((n) => isMemberIn(o, `${y}-Q${n}`)),
  );
}

async function filledContext(seed?: number) {
  const built = await buildTestContext({ actor: 'demo-test' });
  const result = await fillDemo(built.ctx, seed === undefined ? undefined : { seed });
  return { ...built, result };
}

describe('fillDemo', () => {
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  let result: DemoResult;
  let organisations: OrganisationListItem[];
  let quickscans: Quickscan[];
  let incidents: OrganisationIncidents[];
  let activities: Activity[];
  let actions: Action[];

  beforeAll(async () => {
    ({ ctx, close, result } = await filledContext());
    organisations = (await listOrganisations(ctx, { includeArchived: true })).items;
    quickscans = (await Promise.all(organisations.map((o) => listQuickscans(ctx, o.id)))).flat();
    incidents = await Promise.all(organisations.map((o) => organisationIncidents(ctx, o.id)));
    activities = await listActivities(ctx, {});
    actions = await listActions(ctx, {});
  }, 30_000);

  afterAll(async () => {
    await close();
  });

  it('reports what it wrote', () => {
    expect(result.from).toBe('2015-Q4');
    expect(result.to).toBe(CURRENT);
    expect(CURRENT).toBe('2026-Q4');
    expect(result.organisations).toBe(organisations.length);
    expect(result.quickscans).toBe(quickscans.length);
    expect(result.incidentQuarters).toBe(incidents.flatMap((i) => i.quarters).length);
    expect(result.employeeYears).toBe(incidents.flatMap((i) => i.employees).length);
    expect(result.activities).toBe(activities.length);
    expect(result.actions).toBe(actions.length);
  });

  it('creates about 80 fictional organisations with contact details', () => {
    expect(organisations.length).toBeGreaterThanOrEqual(76);
    expect(organisations.length).toBeLessThanOrEqual(88);
    for (const o of organisations) {
      expect(o.contactName).toBeTruthy();
      expect(o.contactEmail).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.example\.org$/);
      expect(o.contactPhone).toBeTruthy();
    }
    expect(organisations.map((o) => o.name)).toContain('Gemeente Dijkwaard');
  });

  it('uses all 8 default sectors', async () => {
    const sectors = await listSectors(ctx);
    expect(sectors.map((s) => s.name).sort()).toEqual([...DEFAULT_SECTORS].sort());
    for (const s of sectors) expect(s.organisationCount).toBeGreaterThan(0);
    expect(new Set(organisations.map((o) => o.sector))).toEqual(new Set(DEFAULT_SECTORS));
  });

  it('has quickscans in every quarter from 2015-Q4 to the current quarter, and none outside', () => {
    const quarters = new Set(quickscans.map((q) => q.quarter));
    const expected = quarterRange('2015-Q4', '2026-Q4');
    for (const q of expected) expect(quarters.has(q), `no quickscan in ${q}`).toBe(true);
    expect([...quarters].sort()).toEqual(expected);
  });

  it('records real quickscans: answers, project leader, a date inside the quarter, the actor', () => {
    for (const q of quickscans) {
      expect(q.source).toBe('quickscan');
      expect(q.answers).not.toBeNull();
      expect(q.conductedBy).toMatch(/\(projectleider\)$/);
      expect(q.conductedOn).not.toBeNull();
      expect(quarterOfDate(new Date(`${q.conductedOn}T00:00:00Z`))).toBe(q.quarter);
      expect(q.conductedOn! <= TEST_NOW.toISOString().slice(0, 10)).toBe(true);
      expect(q.createdBy).toBe('demo-test');
    }
    const answers = quickscans.flatMap((q) => Object.values(q.answers!));
    const partly = answers.filter((a) => a.answer === 'deels');
    const notApplicable = answers.filter((a) => a.answer === 'nvt');
    expect(partly.length).toBeGreaterThan(0);
    expect(partly.every((a) => a.note !== null)).toBe(true);
    expect(notApplicable.length).toBeGreaterThan(0);
    expect(notApplicable.every((a) => a.note !== null && a.note.length > 0)).toBe(true);
  });

  it('is not scanned every quarter, so the current quarter shows carried-forward gears', async () => {
    const statuses = await Promise.all(
      organisations.filter((o) => !o.archived).map((o) => statusAt(ctx, o.id, CURRENT)),
    );
    expect(statuses.every((s) => s.gear !== null)).toBe(true);
    const carried = statuses.filter((s) => s.carriedFrom !== null);
    expect(carried.length).toBeGreaterThan(0);
    for (const s of carried) expect(s.carriedFrom! < CURRENT).toBe(true);
    // A few gears are older than a year, none older than a few years.
    const members = organisations.filter((o) => !o.archived);
    const old = members.filter((o) => (o.ageQuarters ?? 0) > 4);
    expect(old.length).toBeGreaterThan(0);
    expect(old.length).toBeLessThan(members.length * 0.25);
    expect(Math.max(...members.map((o) => o.ageQuarters ?? 0))).toBeLessThanOrEqual(16);
    // Next steps show for organisations below gear 5; gear 5 stays rare.
    const withSteps = statuses.filter((s) => s.nextSteps.length > 0);
    expect(withSteps.length).toBeGreaterThan(0);
    expect(withSteps.every((s) => s.gear! < 5)).toBe(true);
    const atFive = statuses.filter((s) => s.gear === 5).length;
    expect(atFive).toBeGreaterThan(0);
    expect(atFive).toBeLessThan(statuses.length * 0.2);
  });

  it('grows from about 40 members in 2015-Q4 to about 80 now, with joiners spread over the years', () => {
    const atStart = membersIn(organisations, '2015-Q4');
    const now = membersIn(organisations, CURRENT);
    expect(atStart.length).toBeGreaterThanOrEqual(35);
    expect(atStart.length).toBeLessThanOrEqual(45);
    expect(now.length).toBeGreaterThanOrEqual(72);
    expect(now.length).toBeLessThanOrEqual(88);
    // Most joiners come in the project year, then a few a year: joins in at least 8 different years.
    const joinYears = organisations
      .map((o) => o.memberships[0]!.from)
      .filter((q) => q > '2015-Q4')
      .map((q) => q.slice(0, 4));
    expect(new Set(joinYears).size).toBeGreaterThanOrEqual(8);
    expect(joinYears.filter((y) => y === '2016').length).toBeGreaterThan(joinYears.length / 10);
    // The network grows: never fewer members a year later, apart from a leaver now and then.
    const years = quarterRange('2015-Q4', CURRENT).filter((q) => q.endsWith('Q4'));
    const counts = years.map((q) => membersIn(organisations, q).length);
    expect(counts.filter((n, i) => i > 0 && n > counts[i - 1]!).length).toBeGreaterThanOrEqual(
      years.length - 3,
    );
    // Quickscans only inside a membership.
    for (const o of organisations) {
      const own = quickscans.filter((q) => q.organisationId === o.id);
      expect(own.length, o.name).toBeGreaterThan(0);
      expect(
        own.every((q) => isMemberIn(o, q.quarter)),
        o.name,
      ).toBe(true);
    }
  });

  it('has one organisation that left for good (archived) and one that left and came back', () => {
    const left = organisations.filter((o) => o.archived || o.memberUntil !== null);
    expect(left).toHaveLength(1);
    const [org] = left;
    expect(org!.archived).toBe(true);
    expect(org!.memberUntil).not.toBeNull();
    expect(org!.memberUntil! < CURRENT).toBe(true);
    const own = quickscans.filter((q) => q.organisationId === org!.id);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((q) => q.quarter <= org!.memberUntil!)).toBe(true);

    const rejoiners = organisations.filter((o) => o.memberships.length > 1);
    expect(rejoiners).toHaveLength(1);
    const [back] = rejoiners;
    expect(back!.member).toBe(true);
    expect(back!.archived).toBe(false);
    const [first, second] = back!.memberships;
    expect(first!.until).not.toBeNull();
    expect(second!.until).toBeNull();
    // Away for more than a year: no quickscans and no incident figures in between.
    const away = quarterRange(first!.until!, second!.from).slice(1, -1);
    expect(away.length).toBeGreaterThan(4);
    const ownScans = quickscans.filter((q) => q.organisationId === back!.id).map((q) => q.quarter);
    expect(ownScans.some((q) => q < first!.until! || q === first!.until)).toBe(true);
    expect(ownScans).toContain(second!.from);
    expect(ownScans.filter((q) => away.includes(q))).toEqual([]);
    const ownFigures = incidents.find((i) => i.id === back!.id)!.quarters.map((q) => q.quarter);
    expect(ownFigures.filter((q) => away.includes(q))).toEqual([]);
  });

  it('moves one organisation to another sector, from a quarter in the past', () => {
    const moved = organisations.filter((o) => o.sectorHistory.length > 1);
    expect(moved).toHaveLength(1);
    const [from, to] = moved[0]!.sectorHistory;
    expect(from!.sector).not.toBe(to!.sector);
    expect(to!.from > moved[0]!.memberships[0]!.from).toBe(true);
    expect(to!.from < CURRENT).toBe(true);
    expect(moved[0]!.sector).toBe(to!.sector);
  });

  it('raises the averages over the years, at a different pace per sector', async () => {
    const summary = await reportSummary(ctx, '2015-Q4', CURRENT);
    const from = summary.overall.from.average!;
    const to = summary.overall.to.average!;
    expect(from).toBeGreaterThanOrEqual(2.2);
    expect(from).toBeLessThanOrEqual(3.2);
    expect(to).toBeGreaterThanOrEqual(3.1);
    expect(to).toBeLessThanOrEqual(3.9);
    expect(to).toBeGreaterThan(from + 0.5);
    expect(summary.overall.from.n).toBeGreaterThanOrEqual(35);
    expect(summary.overall.from.n).toBeLessThanOrEqual(45);
    expect(summary.overall.to.n).toBeGreaterThan(summary.overall.from.n * 1.6);
    expect(summary.sectorCount).toBe(8);
    // Not a flat line after the project year: the region keeps rising, and is not at 4 everywhere.
    const later = await reportSummary(ctx, '2017-Q4', CURRENT);
    expect(later.overall.to.average!).toBeGreaterThan(later.overall.from.average! + 0.3);
    const changes = summary.sectors.map((s) => s.changePercent!);
    expect(changes.every((c) => c !== null)).toBe(true);
    expect(Math.max(...changes)).toBeGreaterThanOrEqual(25);
    expect(Math.min(...changes)).toBeLessThanOrEqual(10);
    const now = summary.sectors.map((s) => s.to.average!);
    expect(Math.max(...now)).toBeGreaterThanOrEqual(3.7);
    expect(Math.min(...now)).toBeLessThanOrEqual(3);
    expect(Math.min(...now)).toBeGreaterThanOrEqual(2);
  });

  it('lets some organisations slip back a gear for a while', () => {
    const byOrg = new Map<number, Quickscan[]>();
    for (const q of quickscans) byOrg.set(q.organisationId, [...(byOrg.get(q.organisationId) ?? []), q]);
    const regressions = [...byOrg.values()].filter((own) => {
      const sorted = own.sort((a, b) => (a.quarter < b.quarter ? -1 : 1));
      return sorted.some((q, i) => i > 0 && q.gear! < sorted[i - 1]!.gear!);
    });
    expect(regressions.length).toBeGreaterThanOrEqual(2);
    expect(regressions.length).toBeLessThan(organisations.length / 3);
    const remarks = quickscans.filter((q) => q.remark?.startsWith('Teruggeschakeld'));
    expect(remarks.length).toBeGreaterThan(0);
  });

  it('records the employees of every member for each year of its membership, up to the current year', () => {
    for (const o of organisations) {
      const own = incidents.find((i) => i.id === o.id)!;
      const years = memberYears(o, o.memberUntil ?? CURRENT);
      expect(
        own.employees.map((e) => e.year),
        o.name,
      ).toEqual(years);
      for (const e of own.employees) {
        expect(e.employees).toBeGreaterThanOrEqual(1);
        expect(e.updatedBy).toBe('demo-test');
      }
    }
    const sizes = incidents.flatMap((i) => i.employees.map((e) => e.employees));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3500);
  });

  it('registers incident figures only inside a membership, from 2016-Q1 and never after the current quarter', () => {
    for (const o of organisations) {
      const own = incidents.find((i) => i.id === o.id)!;
      for (const q of own.quarters) {
        expect(q.quarter >= '2016-Q1', `${o.name} ${q.quarter}`).toBe(true);
        expect(isMemberIn(o, q.quarter), `${o.name} ${q.quarter}`).toBe(true);
        expect(q.quarter <= CURRENT, `${o.name} ${q.quarter}`).toBe(true);
        expect(q.incidents).not.toBeNull();
        expect(q.verbal).not.toBeNull();
        expect(q.reactions48h! <= q.incidents!).toBe(true);
      }
    }
  });

  it('leaves some organisations and some quarters unregistered: null, never 0', async () => {
    const never = organisations.filter(
      (o) => !o.archived && incidents.find((i) => i.id === o.id)!.quarters.length === 0,
    );
    expect(never.length).toBeGreaterThan(0);
    expect(never.length).toBeLessThan(organisations.length * 0.2);
    const unregistered = await incidentFiguresAt(ctx, never[0]!.id, '2026-Q1');
    expect(unregistered).toMatchObject({ incidents: null, verbal: null, threat: null, version: 0 });

    // Quarters skipped by organisations that do register, between their first and last figures.
    const skipped: Array<{ id: number; quarter: Quarter }> = [];
    let memberQuarters = 0;
    for (const own of incidents) {
      if (own.quarters.length === 0) continue;
      const registered = new Set(own.quarters.map((q) => q.quarter));
      const span = quarterRange(own.quarters[0]!.quarter, own.quarters[own.quarters.length - 1]!.quarter);
      memberQuarters += span.length;
      for (const quarter of span) if (!registered.has(quarter)) skipped.push({ id: own.id, quarter });
    }
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.length).toBeLessThan(memberQuarters * 0.4);
    const gap = await incidentFiguresAt(ctx, skipped[0]!.id, skipped[0]!.quarter);
    expect(gap).toMatchObject({ incidents: null, verbal: null, version: 0 });
    // The region's totals count only what was registered: a quarter nobody registered would be null.
    const [first] = await incidentTotals(ctx, '2016-Q1', '2016-Q1');
    expect(first!.organisations).toBeGreaterThan(10);
    expect(first!.incidents).toBeGreaterThan(0);
  });

  it('sets the 0-meting in 2016 with a target of -25%, and the incidents per 100 employees fall by 2026', async () => {
    const list = await baselines(ctx);
    expect(list.region).toMatchObject({ from: '2016-Q1', to: '2016-Q4', targetPercent: -25 });
    expect(list.sectors).toEqual([]);

    const report = await reportIncidents(ctx, '2026-Q1', '2026-Q4');

    expect(report.region.changePercent).not.toBeNull();
    expect(report.region.changePercent!).toBeLessThan(0);
    expect(report.region.organisations.both).toBeGreaterThan(10);
    expect(report.region.baseline.per100!).toBeGreaterThan(report.region.period.per100!);
    // Believable rates: a handful to a few dozen incidents per 100 employees per year.
    expect(report.region.baseline.per100!).toBeGreaterThan(5);
    expect(report.region.baseline.per100!).toBeLessThan(30);
  });

  it('adds three targets for the end of next year, each with a current value', async () => {
    const targets = await listTargets(ctx);
    expect(targets.map((t) => [t.kind, t.value, t.quarter, t.sectorId])).toEqual([
      ['gear-share-3', 80, '2027-Q4', null],
      ['sector-minimum', 3.5, '2027-Q4', null],
      ['incidents-change', -25, '2027-Q4', null],
    ]);
    for (const t of targets) {
      expect(t.current, t.kind).not.toBeNull();
      expect(t.currentQuarter).toBe(CURRENT);
      expect(t.createdBy).toBe('demo-test');
    }
  });

  it("logs the network's work every year: meetings with many members, workshops per measure, house visits", () => {
    const years = quarterRange('2016-Q1', CURRENT)
      .filter((q) => q.endsWith('Q1'))
      .map((q) => q.slice(0, 4));
    for (const year of years) {
      const inYear = activities.filter((a) => a.date.startsWith(year) && a.date <= TODAY);
      const count = (kind: string) => inYear.filter((a) => a.kind === kind).length;
      expect(count('netwerkbijeenkomst'), year).toBeGreaterThanOrEqual(2);
      expect(count('ambassadeursbijeenkomst'), year).toBeGreaterThanOrEqual(1);
      expect(count('workshop'), year).toBeGreaterThanOrEqual(2);
      expect(count('huisbezoek'), year).toBeGreaterThan(15);
    }
    for (const a of activities.filter((x) => x.kind === 'netwerkbijeenkomst' && x.date <= TODAY)) {
      expect(a.organisations.length, a.title).toBeGreaterThan(10);
    }
    for (const a of activities.filter((x) => x.kind === 'workshop')) {
      expect(a.measures, a.title).toHaveLength(1);
      expect(a.organisations.length, a.title).toBeGreaterThan(0);
    }
    for (const a of activities.filter((x) => x.kind === 'huisbezoek')) {
      expect(a.organisations, a.title).toHaveLength(1);
      const org = organisations.find((o) => o.id === a.organisations[0]!.id)!;
      expect(isMemberIn(org, quarterOfDate(new Date(`${a.date}T12:00:00Z`))), `${org.name} ${a.date}`).toBe(
        true,
      );
    }
    // Only a couple planned, in the coming weeks.
    const planned = activities.filter((a) => a.date > TODAY);
    expect(planned.length).toBeGreaterThanOrEqual(1);
    expect(planned.length).toBeLessThanOrEqual(3);
    for (const a of planned) {
      expect(a.kind).not.toBe('huisbezoek');
      expect(Date.parse(a.date) - Date.parse(TODAY)).toBeLessThan(50 * 86_400_000);
    }
    expect(activities.every((a) => a.createdBy === 'demo-test')).toBe(true);
  });

  it('visits each member every one to two years: about half to two thirds visited in the last twelve months', async () => {
    const report = await reportActivities(ctx, '2026-Q1', CURRENT);
    expect(report.visited.members).toBe(membersIn(organisations, CURRENT).length);
    expect(report.visited.share!).toBeGreaterThanOrEqual(0.4);
    expect(report.visited.share!).toBeLessThanOrEqual(0.8);
    // Nobody goes more than about two and a half years without a visit.
    for (const o of organisations.filter((x) => x.member && x.memberships[0]!.from < '2024-Q1')) {
      const visits = activities.filter(
        (a) => a.kind === 'huisbezoek' && a.organisations[0]!.id === o.id && a.date <= TODAY,
      );
      expect(visits.length, o.name).toBeGreaterThan(0);
      expect(visits[0]!.date > '2024-01-01', o.name).toBe(true);
    }
  });

  it('has agreed actions for many members: some done, some in progress, some overdue', () => {
    expect(actions.length).toBeGreaterThan(30);
    const withActions = new Set(actions.map((a) => a.organisationId));
    expect(withActions.size).toBeGreaterThan(20);
    expect(withActions.size).toBeLessThan(organisations.length);
    const status = (s: string) => actions.filter((a) => a.status === s).length;
    expect(status('klaar')).toBeGreaterThan(0);
    expect(status('bezig')).toBeGreaterThan(0);
    expect(status('open')).toBeGreaterThan(0);
    const overdue = actions.filter((a) => a.overdue);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(actions.length / 2);
    for (const a of actions) {
      const org = organisations.find((o) => o.id === a.organisationId)!;
      expect(org.archived, org.name).toBe(false);
      expect(a.owner).toBe(org.contactName);
      expect(a.due.quarter).not.toBeNull();
    }
  });

  it('refuses to fill a database that has organisations, and writes nothing', async () => {
    const before = await rowCounts(ctx);
    const error = await expectAppError(() => fillDemo(ctx), 'database_not_empty');
    expect(error.message).toMatch(/organisaties/);
    expect(await rowCounts(ctx)).toEqual(before);
  });
});

describe('fillDemo determinism', () => {
  it('gives the same region for the same seed, and another for another seed', async () => {
    const a = await filledContext(7);
    const b = await filledContext(7);
    const c = await filledContext(8);
    try {
      expect(b.result).toEqual(a.result);
      for (const [from, to] of [
        ['2015-Q4', '2016-Q4'],
        ['2015-Q4', CURRENT],
      ] as const) {
        expect(await reportSummary(b.ctx, from, to)).toEqual(await reportSummary(a.ctx, from, to));
      }
      const matrix = await reportMatrix(a.ctx, '2015-Q4', CURRENT);
      expect(await reportMatrix(b.ctx, '2015-Q4', CURRENT)).toEqual(matrix);
      expect(await reportMatrix(c.ctx, '2015-Q4', CURRENT)).not.toEqual(matrix);
      const totals = await incidentTotals(a.ctx, '2016-Q1', CURRENT);
      expect(await incidentTotals(b.ctx, '2016-Q1', CURRENT)).toEqual(totals);
      expect(await incidentTotals(c.ctx, '2016-Q1', CURRENT)).not.toEqual(totals);
      const report = await reportIncidents(a.ctx, '2026-Q1', CURRENT);
      expect(await reportIncidents(b.ctx, '2026-Q1', CURRENT)).toEqual(report);
      const work = await reportActivities(a.ctx, '2015-Q4', CURRENT);
      expect(await reportActivities(b.ctx, '2015-Q4', CURRENT)).toEqual(work);
      expect(await reportActivities(c.ctx, '2015-Q4', CURRENT)).not.toEqual(work);
      const plan = (await listActions(a.ctx, {})).map((x) => [
        x.organisationId,
        x.criterion,
        x.status,
        x.due,
      ]);
      expect(
        (await listActions(b.ctx, {})).map((x) => [x.organisationId, x.criterion, x.status, x.due]),
      ).toEqual(plan);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  }, 60_000);
});
