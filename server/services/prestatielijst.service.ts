import type { Writable } from 'node:stream';
import { listMemberships, listOrganisations } from '../db/repositories/organisations.repository.ts';
import { gearEntriesUpTo } from '../db/repositories/quickscans.repository.ts';
import { listSectors } from '../db/repositories/sectors.repository.ts';
import { type Quarter, quarterRange } from '../domain/quarter.ts';
import { gearTimelines, isMemberIn, sectorMatrix, summarise } from '../domain/report.ts';
import {
  type ListRow,
  type PrestatielijstData,
  writePrestatielijst,
} from '../excel/prestatielijst-writer.ts';
import type { ServiceContext } from './context.ts';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'nl');

/**
 * Everything the prestatielijst shows for a period, in four queries whatever the size of the
 * region: sectors, organisations, memberships and every recorded gear up to the end quarter.
 */
export async function prestatielijstData(
  ctx: ServiceContext,
  regionName: string,
  from: Quarter,
  to: Quarter,
): Promise<PrestatielijstData> {
  const quarters = quarterRange(from, to);
  const [sectorRows, organisations, memberships, points] = await Promise.all([
    listSectors(ctx.db),
    listOrganisations(ctx.db, { includeArchived: true }),
    listMemberships(ctx.db),
    gearEntriesUpTo(ctx.db, to),
  ]);
  const sectors = sectorRows.map((s) => ({ id: s.id, name: s.name }));
  const timelines = gearTimelines(memberships, points, quarters);
  const inPeriod = organisations.filter(
    (o) => o.member_from <= to && (o.member_until === null || o.member_until >= from),
  );
  const listSectorsWithRows = sectors.map((sector) => ({
    name: sector.name,
    rows: inPeriod
      .filter((o) => o.sector_id === sector.id)
      .map((o): ListRow => {
        const timeline = timelines.get(o.id) ?? [];
        const cells = quarters.map((q, i) => {
          const state = timeline[i];
          return state
            ? { gear: state.gear, carriedFrom: state.recordedIn === q ? null : state.recordedIn }
            : null;
        });
        const gears = cells.filter((c) => c !== null);
        const firstGear = gears[0]?.gear;
        const lastGear = cells[cells.length - 1]?.gear;
        return {
          name: o.name,
          memberFrom: o.member_from,
          memberUntil: o.member_until,
          cells,
          change:
            gears.length >= 2 && firstGear !== undefined && lastGear !== undefined
              ? lastGear - firstGear
              : null,
        };
      })
      .sort(byName),
  }));
  const input = { sectors, organisations: memberships, points, from, to };
  const membersInTo = new Set(memberships.filter((m) => isMemberIn(m, to)).map((m) => m.sectorId));
  return {
    regionName,
    madeAt: ctx.now(),
    quarters,
    sectors: listSectorsWithRows,
    summary: summarise(input),
    sectorsInUse: sectors.filter((s) => membersInTo.has(s.id)).map((s) => s.name),
    matrix: sectorMatrix(input),
    model: ctx.models.active,
  };
}

/** Gathers the data and streams the workbook into `out`. */
export async function exportPrestatielijst(
  ctx: ServiceContext,
  regionName: string,
  from: Quarter,
  to: Quarter,
  out: Writable,
): Promise<{ organisations: number; quarters: number }> {
  const data = await prestatielijstData(ctx, regionName, from, to);
  await writePrestatielijst(data, out);
  return {
    organisations: data.sectors.reduce((n, s) => n + s.rows.length, 0),
    quarters: data.quarters.length,
  };
}
