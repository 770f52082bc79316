import type { Distribution, Matrix, Summary, Worklist } from '../contracts/report.contract.ts';
import { listMemberships, listOrganisations } from '../db/repositories/organisations.repository.ts';
import {
  gearChangesUpTo,
  latestGearsAt,
  organisationsWithEntryIn,
} from '../db/repositories/quickscans.repository.ts';
import { listSectors } from '../db/repositories/sectors.repository.ts';
import { isWithin, type Quarter, quarterOfDate, quarterRange } from '../domain/quarter.ts';
import {
  anonymiseMatrix,
  anonymiseSummary,
  gearDistribution,
  type SummaryInput,
  sectorMatrix,
  summarise,
} from '../domain/report.ts';
import type { ServiceContext } from './context.ts';
import { maySee, seesOnlyAnonymousFigures } from './visibility.ts';

/**
 * The report's data in three queries whatever the size of the region: sectors, memberships and
 * every gear change up to the end quarter (the reports need each organisation's gear per quarter,
 * not the quarter it was recorded in, so unchanged re-recordings are left in the database). The
 * maths is done by the pure domain functions.
 */
async function reportInput(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<SummaryInput> {
  quarterRange(from, to); // refuse a reversed period before touching the database
  const [sectors, organisations, points] = await Promise.all([
    listSectors(ctx.db),
    listMemberships(ctx.db),
    gearChangesUpTo(ctx.db, to),
  ]);
  return { sectors: sectors.map((s) => ({ id: s.id, name: s.name })), organisations, points, from, to };
}

/** The quantitative analysis of two quarters; anonymised for the organisatie role. */
export async function reportSummary(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Summary> {
  const summary = summarise(await reportInput(ctx, from, to));
  return seesOnlyAnonymousFigures(ctx) ? anonymiseSummary(summary) : summary;
}

/** Sector × quarter averages; anonymised for the organisatie role. */
export async function reportMatrix(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Matrix> {
  const matrix = sectorMatrix(await reportInput(ctx, from, to));
  return seesOnlyAnonymousFigures(ctx) ? anonymiseMatrix(matrix) : matrix;
}

export async function reportDistribution(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
): Promise<Distribution> {
  const input = await reportInput(ctx, from, to);
  return { from, to, quarters: gearDistribution(input.organisations, input.points, from, to) };
}

/**
 * Member organisations (not archived) that have no quickscan or gear recorded in `quarter`
 * (default: the current quarter): to visit.
 */
export async function worklist(ctx: ServiceContext, requested?: Quarter): Promise<Worklist> {
  const quarter = requested ?? quarterOfDate(ctx.now());
  const [orgs, done, latest] = await Promise.all([
    listOrganisations(ctx.db, { includeArchived: false }),
    organisationsWithEntryIn(ctx.db, quarter),
    latestGearsAt(ctx.db, quarter),
  ]);
  const gears = new Map(latest.map((g) => [g.organisationId, g]));
  const items = orgs
    .filter((o) => isWithin(quarter, o.member_from, o.member_until) && !done.has(o.id) && maySee(ctx, o.id))
    .map((o) => ({
      id: o.id,
      name: o.name,
      sectorId: o.sector_id,
      sector: o.sector_name,
      gear: gears.get(o.id)?.gear ?? null,
      lastRecordedIn: gears.get(o.id)?.quarter ?? null,
    }))
    .sort((a, b) => a.sector.localeCompare(b.sector, 'nl') || a.name.localeCompare(b.name, 'nl'));
  return { quarter, items };
}
