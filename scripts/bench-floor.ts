/**
 * The tightest code a competent engineer would write for the reports' answers, the bench's
 * floors: the summary's headline averages in one SQL statement (index lookups per organisation)
 * and a JS loop, and a raw read of the three columns the matrix needs.
 */
import type SQLite from 'better-sqlite3';
import type { Summary } from '../server/contracts/report.contract.ts';
import type { Quarter } from '../server/domain/quarter.ts';

export interface FloorAverage {
  n: number;
  average: number | null;
}

export interface FloorFigures {
  region: FloorAverage;
  /** By sector id. */
  sectors: Map<number, FloorAverage>;
}

/**
 * Per organisation that is a member in `from` or `to`: the membership period of each quarter (a
 * join on `memberships`), the latest gear at or before the quarter recorded in that period (one
 * index seek on quickscans (organisation_id, quarter)) and the sector of the quarter (the latest
 * sector period from it or before, else the first). Carry-forward within a membership period
 * and the sector history are the product's rules: without them the numbers differ.
 */
const FLOOR_SQL = `
  select
    (select gear from quickscans q
       where q.organisation_id = o.id and q.quarter <= :from and q.quarter >= mf.from_quarter
       order by q.quarter desc limit 1),
    coalesce(
      (select sector_id from sector_periods s
         where s.organisation_id = o.id and s.from_quarter <= :from order by s.from_quarter desc limit 1),
      (select sector_id from sector_periods s where s.organisation_id = o.id order by s.from_quarter limit 1)),
    (select gear from quickscans q
       where q.organisation_id = o.id and q.quarter <= :to and q.quarter >= mt.from_quarter
       order by q.quarter desc limit 1),
    coalesce(
      (select sector_id from sector_periods s
         where s.organisation_id = o.id and s.from_quarter <= :to order by s.from_quarter desc limit 1),
      (select sector_id from sector_periods s where s.organisation_id = o.id order by s.from_quarter limit 1))
  from organisations o
  left join memberships mf on mf.organisation_id = o.id and mf.from_quarter <= :from
    and (mf.until_quarter is null or mf.until_quarter >= :from)
  left join memberships mt on mt.organisation_id = o.id and mt.from_quarter <= :to
    and (mt.until_quarter is null or mt.until_quarter >= :to)
  where mf.id is not null or mt.id is not null`;

type FloorRow = [number | null, number, number | null, number];

/** The summary's floor: region and sector averages (n, average) in `from` and `to`. */
export function summaryFloor(
  sqlite: SQLite.Database,
  from: Quarter,
  to: Quarter,
): { from: FloorFigures; to: FloorFigures } {
  const rows = sqlite.prepare(FLOOR_SQL).raw().all({ from, to }) as FloorRow[];
  const tally = () => ({ n: 0, sum: 0, sectors: new Map<number, { n: number; sum: number }>() });
  const a = tally();
  const b = tally();
  const add = (t: ReturnType<typeof tally>, gear: number, sector: number) => {
    t.n++;
    t.sum += gear;
    const s = t.sectors.get(sector);
    if (s) {
      s.n++;
      s.sum += gear;
    } else t.sectors.set(sector, { n: 1, sum: gear });
  };
  for (const [gearFrom, sectorFrom, gearTo, sectorTo] of rows) {
    if (gearFrom !== null) add(a, gearFrom, sectorFrom);
    if (gearTo !== null) add(b, gearTo, sectorTo);
  }
  const figures = (t: ReturnType<typeof tally>): FloorFigures => ({
    region: { n: t.n, average: t.n === 0 ? null : t.sum / t.n },
    sectors: new Map([...t.sectors].map(([id, s]) => [id, { n: s.n, average: s.sum / s.n }])),
  });
  return { from: figures(a), to: figures(b) };
}

/** The matrix's floor: the three columns it needs of every quickscan, as arrays. */
export function rawRead(sqlite: SQLite.Database): unknown[] {
  return sqlite.prepare('select organisation_id, quarter, gear from quickscans').raw().all();
}

/**
 * The differences between the floor and the summary in both quarters (region and every sector,
 * n and average); empty when they give the same numbers. `sectorIds` are the summary's sectors
 * in its order.
 */
export function compareWithSummary(
  floor: { from: FloorFigures; to: FloorFigures },
  summary: Summary,
  sectorIds: readonly number[],
): string[] {
  const problems: string[] = [];
  const same = (what: string, f: FloorAverage | undefined, s: { n: number; average: number | null }) => {
    const fn = f?.n ?? 0;
    const fa = f?.average ?? null;
    const equal =
      fn === s.n &&
      (fa === s.average || (fa !== null && s.average !== null && Math.abs(fa - s.average) < 1e-9));
    if (!equal) problems.push(`${what}: floor n=${fn} avg=${fa}, summary n=${s.n} avg=${s.average}`);
  };
  for (const end of ['from', 'to'] as const) {
    same(`region ${summary[end]}`, floor[end].region, summary.overall[end]);
    summary.sectors.forEach((s, i) => {
      same(`${s.name} ${summary[end]}`, floor[end].sectors.get(sectorIds[i]!), s[end]);
    });
  }
  return problems;
}
