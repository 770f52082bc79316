import { type Kysely, sql } from 'kysely';
import type { Quarter } from '../../domain/quarter.ts';
import type { Database } from '../schema.ts';

/** What one end (`from` or `to`) of the summary needs of an organisation. */
export interface SummaryEnd {
  /** The membership period the quarter lies in; null when not a member then. */
  period: { from: Quarter; until: Quarter | null } | null;
  /** The sector of the quarter: the latest sector period from it or before, else the first. */
  sectorId: number;
  /**
   * The gear that counts in the quarter: the latest recorded in or before it within that
   * membership period (the carry-forward rule), with its model version; null when none.
   */
  entry: {
    /** The quickscan row (its answers, when it has a model). */
    id: number;
    quarter: Quarter;
    gear: number;
    modelId: string | null;
    modelVersion: number | null;
  } | null;
}

export interface SummaryEnds {
  organisationId: number;
  from: SummaryEnd;
  to: SummaryEnd;
}

/** One row: the `f_` columns are about `from`, the `t_` columns about `to`. */
type Row = { id: number } & Record<`${'f' | 't'}_${EndColumn}`, unknown>;
type EndColumn = 'period_from' | 'period_until' | 'sector' | 'id' | 'quarter' | 'gear' | 'model' | 'version';

function end(
  periodFrom: unknown,
  periodUntil: unknown,
  sector: unknown,
  id: unknown,
  quarter: unknown,
  gear: unknown,
  model: unknown,
  version: unknown,
): SummaryEnd {
  return {
    period:
      periodFrom === null ? null : { from: periodFrom as Quarter, until: periodUntil as Quarter | null },
    sectorId: sector as number,
    entry:
      quarter === null
        ? null
        : {
            id: id as number,
            quarter: quarter as Quarter,
            gear: gear as number,
            modelId: model as string | null,
            modelVersion: version as number | null,
          },
  };
}

/**
 * Per organisation that is a member in `from` or in `to`, in one statement: the membership period
 * of each quarter, its sector in each, and the gear that counts in each (one seek on the
 * (organisation_id, quarter) index per quarter). The summary needs nothing else: not every
 * organisation's whole timeline, not every gear of the period. With `from` equal to `to` (one
 * quarter: the distribution, the worklist) the members of that quarter, each looked up once, and
 * `from` and `to` are the same object.
 */
export async function summaryEnds(db: Kysely<Database>, from: Quarter, to: Quarter): Promise<SummaryEnds[]> {
  const sectorAt = (q: Quarter) => sql`coalesce(
      (select s.sector_id from sector_periods s
         where s.organisation_id = o.id and s.from_quarter <= ${q} order by s.from_quarter desc limit 1),
      (select s.sector_id from sector_periods s where s.organisation_id = o.id order by s.from_quarter limit 1))`;
  const latestIn = (q: Quarter, period: string) => sql`(select l.id from quickscans l
      where l.organisation_id = o.id and l.quarter <= ${q} and l.quarter >= ${sql.ref(`${period}.from_quarter`)}
      order by l.quarter desc limit 1)`;
  const memberIn = (alias: string, q: Quarter) => sql`left join memberships ${sql.table(alias)}
      on ${sql.ref(`${alias}.organisation_id`)} = o.id and ${sql.ref(`${alias}.from_quarter`)} <= ${q}
      and (${sql.ref(`${alias}.until_quarter`)} is null or ${sql.ref(`${alias}.until_quarter`)} >= ${q})`;
  const side = (prefix: 'f' | 't', m: string, q: string) =>
    sql.raw(`${m}.from_quarter as ${prefix}_period_from, ${m}.until_quarter as ${prefix}_period_until,
      ${q}.id as ${prefix}_id, ${q}.quarter as ${prefix}_quarter, ${q}.gear as ${prefix}_gear, ${q}.model_id as ${prefix}_model,
      ${q}.model_version as ${prefix}_version`);
  // One quarter (the distribution, the worklist): each lookup once.
  const query =
    from === to
      ? sql<Row>`
    select o.id as id, ${side('f', 'mf', 'qf')}, ${sectorAt(from)} as f_sector
    from organisations o
    ${memberIn('mf', from)}
    left join quickscans qf on qf.id = ${latestIn(from, 'mf')}
    where mf.id is not null and exists (select 1 from sector_periods p where p.organisation_id = o.id)
    order by o.id`
      : sql<Row>`
    select o.id as id,
      ${side('f', 'mf', 'qf')}, ${sectorAt(from)} as f_sector,
      ${side('t', 'mt', 'qt')}, ${sectorAt(to)} as t_sector
    from organisations o
    ${memberIn('mf', from)}
    ${memberIn('mt', to)}
    left join quickscans qf on qf.id = ${latestIn(from, 'mf')}
    left join quickscans qt on qt.id = ${latestIn(to, 'mt')}
    where (mf.id is not null or mt.id is not null)
      and exists (select 1 from sector_periods p where p.organisation_id = o.id)
    order by o.id`;
  const { rows } = await query.execute(db);
  return rows.map((r) => {
    const atFrom = end(
      r.f_period_from,
      r.f_period_until,
      r.f_sector,
      r.f_id,
      r.f_quarter,
      r.f_gear,
      r.f_model,
      r.f_version,
    );
    return {
      organisationId: r.id,
      from: atFrom,
      to:
        from === to
          ? atFrom
          : end(
              r.t_period_from,
              r.t_period_until,
              r.t_sector,
              r.t_id,
              r.t_quarter,
              r.t_gear,
              r.t_model,
              r.t_version,
            ),
    };
  });
}
