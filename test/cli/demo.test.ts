import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, fillDemo } from '../../scripts/demo.ts';
import type { OrganisationIncidents } from '../../server/contracts/incident.contract.ts';
import type { OrganisationListItem } from '../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import type { Quarter } from '../../server/domain/quarter.ts';
import { quarterOfDate, quarterRange } from '../../server/domain/quarter.ts';
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

  beforeAll(async () => {
    ({ ctx, close, result } = await filledContext());
    organisations = (await listOrganisations(ctx, { includeArchived: true })).items;
    quickscans = (await Promise.all(organisations.map((o) => listQuickscans(ctx, o.id)))).flat();
    incidents = await Promise.all(organisations.map((o) => organisationIncidents(ctx, o.id)));
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
  });

  it('creates about 75 fictional organisations with contact details', () => {
    expect(organisations.length).toBeGreaterThanOrEqual(70);
    expect(organisations.length).toBeLessThanOrEqual(80);
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
    // Next steps show for organisations below gear 5; gear 5 stays rare.
    const withSteps = statuses.filter((s) => s.nextSteps.length > 0);
    expect(withSteps.length).toBeGreaterThan(0);
    expect(withSteps.every((s) => s.gear! < 5)).toBe(true);
    const atFive = statuses.filter((s) => s.gear === 5).length;
    expect(atFive).toBeGreaterThan(0);
    expect(atFive).toBeLessThan(statuses.length * 0.2);
  });

  it('lets organisations join later', () => {
    const later = organisations.filter((o) => o.memberFrom > '2015-Q4');
    expect(later.length).toBeGreaterThan(0);
    expect(organisations.filter((o) => o.memberFrom === '2015-Q4').length).toBeGreaterThanOrEqual(35);
    for (const o of later) {
      const own = quickscans.filter((q) => q.organisationId === o.id);
      expect(own.every((q) => q.quarter >= o.memberFrom)).toBe(true);
    }
  });

  it('has exactly one organisation that left, archived with memberUntil in the past', () => {
    const left = organisations.filter((o) => o.archived || o.memberUntil !== null);
    expect(left).toHaveLength(1);
    const [org] = left;
    expect(org!.archived).toBe(true);
    expect(org!.memberUntil).not.toBeNull();
    expect(org!.memberUntil! < CURRENT).toBe(true);
    const own = quickscans.filter((q) => q.organisationId === org!.id);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((q) => q.quarter <= org!.memberUntil!)).toBe(true);
  });

  it('mirrors the real report: the region average rises from about 3.2 to about 4', async () => {
    const summary = await reportSummary(ctx, '2015-Q4', '2016-Q4');
    const from = summary.overall.from.average!;
    const to = summary.overall.to.average!;
    expect(from).toBeGreaterThanOrEqual(2.8);
    expect(from).toBeLessThanOrEqual(3.6);
    expect(to).toBeGreaterThanOrEqual(3.7);
    expect(to).toBeLessThanOrEqual(4.4);
    expect(to).toBeGreaterThan(from);
    expect(summary.overall.from.n).toBeGreaterThanOrEqual(35);
    expect(summary.overall.from.n).toBeLessThanOrEqual(45);
    expect(summary.overall.to.n).toBeGreaterThan(summary.overall.from.n);
    expect(summary.sectorCount).toBe(8);
    const later = await reportSummary(ctx, '2016-Q4', CURRENT);
    expect(later.overall.to.average!).toBeGreaterThanOrEqual(to - 0.1);
  });

  it('records the employees of every member for each year of its membership, up to the current year', () => {
    for (const o of organisations) {
      const own = incidents.find((i) => i.id === o.id)!;
      const first = Number(o.memberFrom.slice(0, 4));
      const last = Number((o.memberUntil ?? CURRENT).slice(0, 4));
      const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
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
        expect(q.quarter >= o.memberFrom, `${o.name} ${q.quarter}`).toBe(true);
        expect(q.quarter <= (o.memberUntil ?? CURRENT), `${o.name} ${q.quarter}`).toBe(true);
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
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  }, 60_000);
});
