import type {
  Baseline,
  BaselineInput,
  BaselineList,
  IncidentReport,
  IncidentTrend,
  Target,
  TargetInput,
} from '../contracts/outcome.contract.ts';
import { FIGURE_COLUMNS } from '../db/repositories/incidents.repository.ts';
import {
  allEmployees,
  deleteBaseline,
  findBaseline,
  findTargetRow,
  incidentFiguresBetween,
  incidentKindsBetween,
  insertBaseline,
  insertTarget,
  listBaselines,
  listTargetRows,
  removeTarget,
  updateBaseline,
} from '../db/repositories/outcomes.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { listSectorNames } from '../db/repositories/sectors.repository.ts';
import { summaryEnds } from '../db/repositories/summary.repository.ts';
import { listTimelines } from '../db/repositories/timelines.repository.ts';
import type { BaselineRow, TargetRow } from '../db/schema.ts';
import {
  compareIncidents,
  employeesForYear,
  employeesIndex,
  type IncidentComparison,
  type IncidentRecord,
  type Period,
  type QuarterIncidentTotals,
  ratePer100,
} from '../domain/incident-report.ts';
import { INCIDENT_FIELDS, type IncidentField } from '../domain/incidents.ts';
import {
  formatQuarter,
  MIN_YEAR,
  type Quarter,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
  quarterRange,
} from '../domain/quarter.ts';
import { MIN_ANONYMOUS_N } from '../domain/report.ts';
import {
  describeTarget,
  evaluateTarget,
  TARGET_STATUS_NAMES,
  type TargetKind,
  type TargetMember,
  targetFigure,
  targetValueProblem,
} from '../domain/targets.ts';
import { isMemberIn, type OrganisationTimeline, sectorIn } from '../domain/timeline.ts';
import { ConflictError, fieldProblem, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { checkReportPeriod } from './reports.service.ts';
import { inTransaction } from './transaction.ts';
import { assertMaySee } from './visibility.ts';

type SectorNames = ReadonlyArray<{ id: number; name: string }>;

/** `q` moved by `by` quarters, but not before the first supported quarter. */
function shifted(q: Quarter, by: number): Quarter {
  return quarterFromIndex(Math.max(quarterIndex(q) + by, quarterIndex(`${MIN_YEAR}-Q1`)));
}

function sectorName(sectors: SectorNames, id: number | null): string | null {
  return id === null ? null : (sectors.find((s) => s.id === id)?.name ?? null);
}

function toBaseline(row: BaselineRow, sectors: SectorNames): Baseline {
  return {
    id: row.id,
    sectorId: row.sector_id,
    sector: sectorName(sectors, row.sector_id),
    from: row.from_quarter,
    to: row.to_quarter,
    targetPercent: row.target_percent,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** The region's 0-meting and those of the sectors that have their own. */
export async function baselines(ctx: ServiceContext): Promise<BaselineList> {
  const [rows, sectors] = await Promise.all([listBaselines(ctx.db), listSectorNames(ctx.db)]);
  const region = rows.find((r) => r.sector_id === null);
  return {
    region: region ? toBaseline(region, sectors) : null,
    sectors: rows.filter((r) => r.sector_id !== null).map((r) => toBaseline(r, sectors)),
  };
}

async function requireSectorName(ctx: ServiceContext, sectorId: number): Promise<string> {
  const name = sectorName(await listSectorNames(ctx.db), sectorId);
  if (name === null) throw new NotFoundError(`sector ${sectorId} bestaat niet`, 'sector_not_found');
  return name;
}

/**
 * Sets the 0-meting of the region (`sectorId` null) or of one sector: its period and the target
 * change. Changing one that exists needs the version it was read at (`keep`: the CLI reads it).
 */
export async function setBaseline(
  ctx: ServiceContext,
  sectorId: number | null,
  input: BaselineInput,
  options: { keep?: boolean } = {},
): Promise<{ baseline: Baseline; created: boolean }> {
  const problems = [];
  if (input.from > input.to) {
    problems.push({
      code: 'reversed_period' as const,
      path: 'to',
      message: `het laatste kwartaal ligt voor het eerste (${formatQuarter(input.from)})`,
    });
  }
  const current = quarterOfDate(ctx.now());
  if (input.to > current) {
    problems.push({
      code: 'future_quarter' as const,
      path: 'to',
      message: `een 0-meting ligt in het verleden: kies een kwartaal tot en met ${formatQuarter(current)}`,
    });
  }
  if (problems.length > 0) {
    throw new ValidationError(problems.map((p) => p.message).join('; '), { problems }, 'validation_failed');
  }
  return inTransaction(ctx.db, async (trx) => {
    const scope =
      sectorId === null
        ? 'de regio'
        : `de sector '${await requireSectorName({ ...ctx, db: trx }, sectorId)}'`;
    const existing = await findBaseline(trx, sectorId);
    const expected = options.keep ? existing?.version : input.expectedVersion;
    if (existing && expected === undefined) {
      throw new ConflictError(
        `de 0-meting van ${scope} is al vastgelegd (versie ${existing.version}); wijzig haar met expectedVersion ${existing.version}`,
        'version_conflict',
        { currentVersion: existing.version },
      );
    }
    if (expected !== undefined && expected !== (existing?.version ?? 0)) {
      throw new ConflictError(
        `de 0-meting van ${scope} is intussen gewijzigd (nu versie ${existing?.version ?? 0}); laad haar opnieuw en probeer het nog eens`,
        'version_conflict',
        { currentVersion: existing?.version ?? 0 },
      );
    }
    const sectors = await listSectorNames(trx);
    const values = { from: input.from, to: input.to, targetPercent: input.targetPercent };
    if (
      existing &&
      existing.from_quarter === values.from &&
      existing.to_quarter === values.to &&
      existing.target_percent === values.targetPercent
    ) {
      return { baseline: toBaseline(existing, sectors), created: false };
    }
    const at = ctx.now().toISOString();
    const row = existing
      ? await updateBaseline(trx, existing.id, existing.version, { ...values, at, by: ctx.actor })
      : await insertBaseline(trx, sectorId, { ...values, at, by: ctx.actor });
    if (!row) throw new ConflictError(`de 0-meting van ${scope} is intussen gewijzigd`, 'version_conflict');
    await insertRevision(trx, {
      entity: 'baseline',
      entityId: row.id,
      organisationId: null,
      quarter: null,
      action: existing ? 'update' : 'create',
      before: existing
        ? {
            sectorId,
            from: existing.from_quarter,
            to: existing.to_quarter,
            targetPercent: existing.target_percent,
          }
        : null,
      after: { sectorId, ...values },
      actor: ctx.actor,
      at,
    });
    return { baseline: toBaseline(row, sectors), created: !existing };
  });
}

/** Removes a sector's own 0-meting: the sector follows the region's again. */
export async function removeSectorBaseline(ctx: ServiceContext, sectorId: number): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const name = await requireSectorName({ ...ctx, db: trx }, sectorId);
    const existing = await findBaseline(trx, sectorId);
    if (!existing) {
      throw new NotFoundError(`de sector '${name}' heeft geen eigen 0-meting`, 'baseline_not_found');
    }
    await deleteBaseline(trx, existing.id);
    await insertRevision(trx, {
      entity: 'baseline',
      entityId: existing.id,
      organisationId: null,
      quarter: null,
      action: 'delete',
      before: {
        sectorId,
        from: existing.from_quarter,
        to: existing.to_quarter,
        targetPercent: existing.target_percent,
      },
      after: null,
      actor: ctx.actor,
      at: ctx.now().toISOString(),
    });
  });
}

function noBaseline(): RuleError {
  return new RuleError(
    'er is nog geen 0-meting vastgelegd: leg eerst de periode van de 0-meting en het doel vast (Incidenten, of baseline set)',
    'no_baseline',
  );
}

/** The registered incidents of a row: the sum of the kinds registered; null when none was. */
function incidentsOfRow(row: {
  verbal: number | null;
  threat: number | null;
  physical: number | null;
  other: number | null;
}): number | null {
  const kinds = [row.verbal, row.threat, row.physical, row.other].filter((v) => v !== null);
  return kinds.length === 0 ? null : kinds.reduce((a, b) => a + b, 0);
}

/** Every member quarter's incidents in a span, with the sector of that quarter. */
async function incidentRecords(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
  timelines: ReadonlyMap<number, OrganisationTimeline>,
): Promise<IncidentRecord[]> {
  const rows = await incidentKindsBetween(ctx.db, from, to);
  const records: IncidentRecord[] = [];
  for (const row of rows) {
    const timeline = timelines.get(row.organisation_id);
    // Figures left outside a membership (a period changed later) do not count.
    if (!timeline || !isMemberIn(timeline, row.quarter)) continue;
    records.push({
      organisationId: row.organisation_id,
      quarter: row.quarter,
      sectorId: sectorIn(timeline, row.quarter),
      incidents: incidentsOfRow(row),
    });
  }
  return records;
}

async function timelineIndex(ctx: ServiceContext): Promise<Map<number, OrganisationTimeline>> {
  return new Map((await listTimelines(ctx.db)).map((t) => [t.id, t]));
}

function withTarget(c: IncidentComparison, targetPercent: number | null) {
  return {
    ...c,
    targetPercent,
    onTrack:
      c.changePercent === null || targetPercent === null ? null : c.changePercent <= targetPercent + 1e-9,
  };
}

/**
 * The incidents per 100 employees per year in the 0-meting and in `from`…`to`, for the region
 * and each sector (a sector without its own 0-meting uses the region's, and its target), compared
 * only over the organisations with figures in both.
 */
export async function reportIncidents(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
): Promise<IncidentReport> {
  checkReportPeriod(ctx, from, to);
  const [rows, sectors, timelines, employees] = await Promise.all([
    listBaselines(ctx.db),
    listSectorNames(ctx.db),
    timelineIndex(ctx),
    allEmployees(ctx.db),
  ]);
  const region = rows.find((r) => r.sector_id === null);
  if (!region) throw noBaseline();
  const periodOf = (r: BaselineRow): Period => ({ from: r.from_quarter, to: r.to_quarter });
  const starts = [from, ...rows.map((r) => r.from_quarter)].sort();
  const ends = [to, ...rows.map((r) => r.to_quarter)].sort();
  const records = await incidentRecords(ctx, starts[0]!, ends[ends.length - 1]!, timelines);
  const index = employeesIndex(
    employees.map((e) => ({ organisationId: e.organisation_id, year: e.year, employees: e.employees })),
  );
  const period = { from, to };
  return {
    baseline: periodOf(region),
    period,
    region: withTarget(
      compareIncidents({ records, employees: index, baseline: periodOf(region), period }),
      region.target_percent,
    ),
    sectors: sectors.map((s) => {
      const own = rows.find((r) => r.sector_id === s.id) ?? region;
      const baseline = periodOf(own);
      return {
        name: s.name,
        sectorId: s.id,
        ...withTarget(
          compareIncidents({ records, employees: index, baseline, period, keep: (r) => r.sectorId === s.id }),
          own.target_percent,
        ),
        baselinePeriod: baseline,
      };
    }),
  };
}

/**
 * An organisation's incidents per 100 employees per year, quarter by quarter, beside the rate of
 * its sector in that quarter (all organisations of the sector with figures and employees; left
 * out below three, as for the gears).
 */
export async function incidentTrend(
  ctx: ServiceContext,
  organisationId: number,
  period: { from?: Quarter | undefined; to?: Quarter | undefined } = {},
): Promise<IncidentTrend> {
  assertMaySee(ctx, organisationId);
  await requireOrganisation(ctx, organisationId);
  const current = quarterOfDate(ctx.now());
  const to = period.to ?? current;
  const from = period.from ?? shifted(to, -7);
  checkReportPeriod(ctx, from, to);
  const [timelines, employees, sectors] = await Promise.all([
    timelineIndex(ctx),
    allEmployees(ctx.db),
    listSectorNames(ctx.db),
  ]);
  const own = timelines.get(organisationId);
  const records = await incidentRecords(ctx, from, to, timelines);
  const index = employeesIndex(
    employees.map((e) => ({ organisationId: e.organisation_id, year: e.year, employees: e.employees })),
  );
  const employeesAt = (id: number, q: Quarter) => {
    const byYear = index.get(id);
    return byYear ? employeesForYear(byYear, Number(q.slice(0, 4))) : null;
  };
  const quarters = quarterRange(from, to).map((quarter) => {
    const ownRecord = records.find((r) => r.organisationId === organisationId && r.quarter === quarter);
    const ownEmployees = employeesAt(organisationId, quarter);
    const ownRate =
      ownRecord?.incidents != null && ownEmployees !== null
        ? ratePer100(ownRecord.incidents, ownEmployees / 4)
        : null;
    if (!own || !isMemberIn(own, quarter))
      return {
        quarter,
        incidents: ownRecord?.incidents ?? null,
        per100: ownRate,
        sectorPer100: null,
        sectorN: null,
      };
    const sectorId = sectorIn(own, quarter);
    let incidents = 0;
    let employeeYears = 0;
    let n = 0;
    for (const r of records) {
      if (r.quarter !== quarter || r.sectorId !== sectorId || r.incidents === null) continue;
      const e = employeesAt(r.organisationId, quarter);
      if (e === null) continue;
      incidents += r.incidents;
      employeeYears += e / 4;
      n += 1;
    }
    const shown = n >= MIN_ANONYMOUS_N;
    return {
      quarter,
      incidents: ownRecord?.incidents ?? null,
      per100: ownRate,
      sectorPer100: shown ? ratePer100(incidents, employeeYears) : null,
      sectorN: shown ? n : null,
    };
  });
  return {
    organisationId,
    sector: own ? sectorName(sectors, sectorIn(own, to)) : null,
    quarters,
  };
}

/** The targets still in force, each with its current value and whether it is on track. */
export async function listTargets(ctx: ServiceContext): Promise<Target[]> {
  const [rows, sectors] = await Promise.all([listTargetRows(ctx.db), listSectorNames(ctx.db)]);
  if (rows.length === 0) return [];
  const current = quarterOfDate(ctx.now());
  const members = new Map<Quarter, Promise<TargetMember[]>>();
  const membersIn = (q: Quarter) => {
    let m = members.get(q);
    if (!m) {
      m = summaryEnds(ctx.db, q, q).then((ends) =>
        ends
          .filter((e) => e.from.period !== null)
          .map((e) => ({ sectorId: e.from.sectorId, gear: e.from.entry?.gear ?? null })),
      );
      members.set(q, m);
    }
    return m;
  };
  let incidentInput: Promise<IncidentInput> | null = null;
  const result: Target[] = [];
  for (const row of rows) {
    const kind = row.kind as TargetKind;
    const at = row.quarter < current ? row.quarter : current;
    const before = shifted(at, -4);
    let value: { value: number | null; about: string | null };
    let earlier: number | null;
    if (kind === 'incidents-change') {
      incidentInput ??= loadIncidentInput(ctx);
      const input = await incidentInput;
      value = incidentChangeAt(input, row.sector_id, at);
      earlier = incidentChangeAt(input, row.sector_id, before).value;
    } else {
      value = targetFigure(kind, await membersIn(at), row.sector_id, sectors);
      earlier = targetFigure(kind, await membersIn(before), row.sector_id, sectors).value;
    }
    const evaluation = evaluateTarget(
      { kind, value: row.value, quarter: row.quarter },
      { quarter: at, value: value.value },
      { quarter: before, value: earlier },
      // The current quarter is still running: a target due in it is not decided yet.
      { running: at === current },
    );
    result.push(
      toTarget(row, sectors, { current: value.value, currentQuarter: at, about: value.about, ...evaluation }),
    );
  }
  return result;
}

interface IncidentInput {
  baselines: BaselineRow[];
  records: IncidentRecord[];
  employees: Map<number, Map<number, number>>;
}

async function loadIncidentInput(ctx: ServiceContext): Promise<IncidentInput> {
  const [baselineRows, timelines, employees] = await Promise.all([
    listBaselines(ctx.db),
    timelineIndex(ctx),
    allEmployees(ctx.db),
  ]);
  const records = await incidentRecords(ctx, '1990-Q1', quarterOfDate(ctx.now()), timelines);
  return {
    baselines: baselineRows,
    records,
    employees: employeesIndex(
      employees.map((e) => ({ organisationId: e.organisation_id, year: e.year, employees: e.employees })),
    ),
  };
}

/** The change against the 0-meting over the year up to `at` (the four quarters ending in it). */
function incidentChangeAt(
  input: IncidentInput,
  sectorId: number | null,
  at: Quarter,
): { value: number | null; about: string | null } {
  const baseline =
    input.baselines.find((b) => b.sector_id === sectorId) ??
    input.baselines.find((b) => b.sector_id === null);
  if (!baseline) return { value: null, about: 'nog geen 0-meting' };
  const comparison = compareIncidents({
    records: input.records,
    employees: input.employees,
    baseline: { from: baseline.from_quarter, to: baseline.to_quarter },
    period: { from: shifted(at, -3), to: at },
    ...(sectorId === null ? {} : { keep: (r: IncidentRecord) => r.sectorId === sectorId }),
  });
  return {
    value: comparison.changePercent,
    about: `${formatQuarter(shifted(at, -3))} – ${formatQuarter(at)} t.o.v. de 0-meting`,
  };
}

function toTarget(
  row: TargetRow,
  sectors: SectorNames,
  state: Pick<Target, 'current' | 'currentQuarter' | 'about' | 'met' | 'projected' | 'onTrack' | 'status'>,
): Target {
  const kind = row.kind as TargetKind;
  const sector = sectorName(sectors, row.sector_id);
  return {
    id: row.id,
    kind,
    value: row.value,
    quarter: row.quarter,
    sectorId: row.sector_id,
    sector,
    description: describeTarget({ kind, value: row.value, quarter: row.quarter }, sector),
    ...state,
    statusText: TARGET_STATUS_NAMES[state.status],
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Adds a target of the region or of one sector. */
export async function addTarget(ctx: ServiceContext, input: TargetInput): Promise<Target> {
  const sectorId = input.sectorId ?? null;
  const problem = targetValueProblem(input.kind, input.value, sectorId !== null);
  if (problem) {
    const path = input.kind === 'sector-minimum' && sectorId !== null ? 'sectorId' : 'value';
    throw new ValidationError(problem, fieldProblem('invalid_target', path, problem), 'invalid_target');
  }
  const id = await inTransaction(ctx.db, async (trx) => {
    if (sectorId !== null) await requireSectorName({ ...ctx, db: trx }, sectorId);
    const at = ctx.now().toISOString();
    const row = await insertTarget(trx, {
      kind: input.kind,
      value: input.value,
      quarter: input.quarter,
      sectorId,
      at,
      by: ctx.actor,
    });
    await insertRevision(trx, {
      entity: 'target',
      entityId: row.id,
      organisationId: null,
      quarter: row.quarter,
      action: 'create',
      before: null,
      after: { kind: row.kind, value: row.value, quarter: row.quarter, sectorId },
      actor: ctx.actor,
      at,
    });
    return row.id;
  });
  return (await listTargets(ctx)).find((t) => t.id === id)!;
}

/** Removes a target (it stays in the history). */
export async function deleteTarget(ctx: ServiceContext, id: number): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const row = await findTargetRow(trx, id);
    if (!row || row.removed_at !== null)
      throw new NotFoundError(`doel ${id} bestaat niet`, 'target_not_found');
    const at = ctx.now().toISOString();
    await removeTarget(trx, id, at, ctx.actor);
    await insertRevision(trx, {
      entity: 'target',
      entityId: id,
      organisationId: null,
      quarter: row.quarter,
      action: 'delete',
      before: { kind: row.kind, value: row.value, quarter: row.quarter, sectorId: row.sector_id },
      after: null,
      actor: ctx.actor,
      at,
    });
  });
}

/**
 * Per quarter of the period, the region's registered figures: each summed over the member
 * organisations that registered it (null when none did: not registered is not 0).
 */
export async function incidentTotals(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
): Promise<QuarterIncidentTotals[]> {
  checkReportPeriod(ctx, from, to);
  const [rows, timelines] = await Promise.all([incidentFiguresBetween(ctx.db, from, to), timelineIndex(ctx)]);
  const totals = new Map(
    quarterRange(from, to).map((quarter) => [
      quarter,
      {
        quarter,
        organisations: 0,
        figures: Object.fromEntries(INCIDENT_FIELDS.map((f) => [f, null])) as Record<
          IncidentField,
          number | null
        >,
        incidents: null as number | null,
      },
    ]),
  );
  for (const row of rows) {
    const timeline = timelines.get(row.organisation_id);
    const entry = totals.get(row.quarter);
    if (!entry || !timeline || !isMemberIn(timeline, row.quarter)) continue;
    let any = false;
    INCIDENT_FIELDS.forEach((f, i) => {
      const v = row[FIGURE_COLUMNS[i]!];
      if (v === null) return;
      any = true;
      entry.figures[f] = (entry.figures[f] ?? 0) + v;
    });
    const incidents = incidentsOfRow(row);
    if (incidents !== null) entry.incidents = (entry.incidents ?? 0) + incidents;
    if (any) entry.organisations += 1;
  }
  return [...totals.values()];
}
