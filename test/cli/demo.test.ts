import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, fillDemo } from '../../scripts/demo.ts';
import type { OrganisationListItem } from '../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import type { Quarter } from '../../server/domain/quarter.ts';
import { quarterOfDate, quarterRange } from '../../server/domain/quarter.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { listOrganisations } from '../../server/services/organisations.service.ts';
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

  beforeAll(async () => {
    ({ ctx, close, result } = await filledContext());
    organisations = (await listOrganisations(ctx, { includeArchived: true })).items;
    quickscans = (await Promise.all(organisations.map((o) => listQuickscans(ctx, o.id)))).flat();
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
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  }, 60_000);
});
