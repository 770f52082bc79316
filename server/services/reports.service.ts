import { listMemberships, listOrganisations } from '../db/repositories/organisations.repository.ts';
import {
  gearChangesUpTo,
  latestGearsAt,
  organisationsWithEntryIn,
} from '../db/repositories/quickscans.repository.ts';
import { listSectors } from '../db/repositories/sectors.repository.ts';
import { isWithin, type Quarter, quarterRange } from '../domain/quarter.ts';
import {
  type DistributionRow,
  gearDistribution,
  type Matrix,
  type Summary,
  type SummaryInput,
  sectorMatrix,
  summarise,
} from '../domain/report.ts';
import type { ServiceContext } from './context.ts';

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

export async function reportSummary(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Summary> {
  return summarise(await reportInput(ctx, from, to));
}

export async function reportMatrix(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Matrix> {
  return sectorMatrix(await reportInput(ctx, from, to));
}

export async function reportDistribution(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
): Promise<{ from: Quarter; to: Quarter; quarters: DistributionRow[] }> {
  const input = await reportInput(ctx, from, to);
  return { from, to, quarters: gearDistribution(input.organisations, input.points, from, to) };
}

export interface WorklistItem {
  id: number;
  name: string;
  sectorId: number;
  sector: string;
  /** The gear carried into this quarter, if any, and where it came from. */
  gear: number | null;
  lastRecordedIn: Quarter | null;
}

/** Member organisations (not archived) that have no quickscan or gear recorded in `quarter`: to visit. */
export async function worklist(
  ctx: ServiceContext,
  quarter: Quarter,
): Promise<{ quarter: Quarter; items: WorklistItem[] }> {
  const [orgs, done, latest] = await Promise.all([
    listOrganisations(ctx.db, { includeArchived: false }),
    organisationsWithEntryIn(ctx.db, quarter),
    latestGearsAt(ctx.db, quarter),
  ]);
  const gears = new Map(latest.map((g) => [g.organisationId, g]));
  const items = orgs
    .filter((o) => isWithin(quarter, o.member_from, o.member_until) && !done.has(o.id))
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
