import type { ClosedFigure, Restatement } from '../contracts/closing.contract.ts';
import type {
  Average,
  Distribution,
  Matrix,
  MatrixCell,
  PeriodAverage,
  Summary,
  Worklist,
} from '../contracts/report.contract.ts';
import { cachedRead } from '../db/read-cache.ts';
import { listOrganisationNames } from '../db/repositories/organisations.repository.ts';
import {
  gearEntriesBetween,
  gearsRecordedIn,
  latestGearsAt,
} from '../db/repositories/quickscans.repository.ts';
import { listSectorNames } from '../db/repositories/sectors.repository.ts';
import { type SummaryEnd, summaryEnds } from '../db/repositories/summary.repository.ts';
import { listTimelines } from '../db/repositories/timelines.repository.ts';
import { REGION_SCOPE } from '../domain/closing.ts';
import { compareStates, type ScopeComparison } from '../domain/like-for-like.ts';
import {
  formatQuarter,
  MIN_YEAR,
  previousQuarter,
  type Quarter,
  quarterOfDate,
  quarterRange,
} from '../domain/quarter.ts';
import {
  anonymiseMatrix,
  anonymiseSummary,
  GearCarrier,
  type GearState,
  gearDistribution,
  type MemberOrganisation,
  MIN_ANONYMOUS_N,
  matrixFromTally,
  newPeriodTally,
  type SummaryInput,
  summariseStates,
  tallyQuarter,
} from '../domain/report.ts';
import { ageInQuarters } from '../domain/timeline.ts';
import { fieldProblem, RuleError } from '../errors.ts';
import { closedFiguresOf } from './closing.service.ts';
import type { ServiceContext } from './context.ts';
import { maySee, seesOnlyAnonymousFigures } from './visibility.ts';

/**
 * Refuses a period that is reversed or reaches past the current quarter: a report never shows a
 * quarter that has not begun (its gears would be invented by carrying forward).
 */
export function checkReportPeriod(ctx: ServiceContext, from: Quarter, to: Quarter): void {
  quarterRange(from, to);
  const current = quarterOfDate(ctx.now());
  if (to > current) {
    throw new RuleError(
      `${formatQuarter(to)} ligt na het huidige kwartaal (${formatQuarter(current)}); een rapportage gaat tot en met ${formatQuarter(current)}`,
      'future_quarter',
      fieldProblem('future_quarter', 'to', `kies een kwartaal tot en met ${formatQuarter(current)}`),
    );
  }
}

/**
 * The report's data in a few queries whatever the size of the region: sectors, every
 * organisation's timeline (membership periods and sectors) and the gears that decide the states
 * in the quarters asked for (the latest before the period and every one in it). The maths is done
 * by the pure domain functions.
 */
async function reportInput(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<SummaryInput> {
  checkReportPeriod(ctx, from, to); // before touching the database
  const gears = Promise.all([
    from > `${MIN_YEAR}-Q1` ? latestGearsAt(ctx.db, previousQuarter(from)) : [],
    gearEntriesBetween(ctx.db, from, to),
  ]).then(([before, during]) => [
    ...before.map((g) => ({ organisationId: g.organisationId, quarter: g.quarter, gear: g.gear })),
    ...during,
  ]);
  const [sectors, organisations, points] = await Promise.all([
    listSectorNames(ctx.db),
    listTimelines(ctx.db),
    gears,
  ]);
  return { sectors: sectors.map((s) => ({ id: s.id, name: s.name })), organisations, points, from, to };
}

/**
 * What the summary reads: one row per organisation that is a member in `from` or `to` with its
 * period, sector and counting gear in each (see summaryEnds), not every timeline and entry. Each
 * organisation comes as its timeline as far as the two quarters go (the periods they lie in, the
 * sector of each), which is all the summary's maths asks of it, with its states in both.
 */
async function summaryInput(ctx: ServiceContext, from: Quarter, to: Quarter) {
  checkReportPeriod(ctx, from, to); // before touching the database
  const [sectors, rows] = await Promise.all([listSectorNames(ctx.db), summaryEnds(ctx.db, from, to)]);
  const organisations: MemberOrganisation[] = [];
  const ends = { from: [] as EndState[], to: [] as EndState[] };
  for (const row of rows) {
    const periods = [row.from.period, row.to.period].filter((p) => p !== null);
    if (periods.length === 2 && periods[0]!.from === periods[1]!.from) periods.pop();
    const sectorsOf = [{ sectorId: row.from.sectorId, from }];
    if (row.to.sectorId !== row.from.sectorId) sectorsOf.push({ sectorId: row.to.sectorId, from: to });
    organisations.push({ id: row.organisationId, memberships: periods, sectors: sectorsOf });
    for (const side of ['from', 'to'] as const) {
      const entry = row[side].entry;
      ends[side].push(entry ? { state: { gear: entry.gear, recordedIn: entry.quarter }, entry } : null);
    }
  }
  return { sectors: sectors.map((s) => ({ id: s.id, name: s.name })), organisations, ends };
}

type EndState = { state: GearState; entry: NonNullable<SummaryEnd['entry']> } | null;

/**
 * The sector × quarter table, read a quarter at a time as the export does (the gears recorded in
 * each quarter are carried forward and tallied, then let go), so memory stays flat however many
 * quarters and entries there are: the same figures as `sectorMatrix` over all entries.
 */
async function matrixQuarterByQuarter(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Matrix> {
  checkReportPeriod(ctx, from, to);
  const quarters = quarterRange(from, to);
  const [sectorRows, organisations, before] = await Promise.all([
    listSectorNames(ctx.db),
    listTimelines(ctx.db),
    from > `${MIN_YEAR}-Q1` ? latestGearsAt(ctx.db, previousQuarter(from)) : [],
  ]);
  const sectors = sectorRows.map((s) => ({ id: s.id, name: s.name }));
  const carrier = new GearCarrier(organisations, before);
  const tally = newPeriodTally(sectors, quarters);
  for (const [i, quarter] of quarters.entries()) {
    tallyQuarter(tally, i, organisations, carrier.next(quarter, await gearsRecordedIn(ctx.db, quarter)));
  }
  return matrixFromTally(tally, sectors);
}

/**
 * The closed figure of a scope (`REGION_SCOPE` or a sector id) in a quarter beside its current
 * average, or null when the quarter is not closed. For the organisatie role a closed average is
 * withheld by the same rule as the current one.
 */
function closedBeside(
  ctx: ServiceContext,
  closed: Map<Quarter, Map<number, ClosedFigure>>,
  quarter: Quarter,
  scope: number,
  current: Average,
): ClosedFigure | null {
  const figure = closed.get(quarter)?.get(scope);
  if (!figure) return closed.has(quarter) ? emptyClosedFigure(closed.get(quarter)!) : null;
  if (seesOnlyAnonymousFigures(ctx) && (current.average === null || figure.n < MIN_ANONYMOUS_N)) {
    return { ...figure, average: null };
  }
  return figure;
}

/** A sector made after the closing had nobody then: its closed figure is n = 0. */
function emptyClosedFigure(scopes: Map<number, ClosedFigure>): ClosedFigure {
  const any = scopes.values().next().value!;
  return { average: null, n: 0, closedAt: any.closedAt, closedBy: any.closedBy };
}

/** Restatements are named and give reasons: only the roles that see named figures get them. */
function visibleRestatements(ctx: ServiceContext, restatements: Restatement[]): Restatement[] {
  return seesOnlyAnonymousFigures(ctx) ? [] : restatements;
}

/** The quantitative analysis of two quarters; anonymised for the organisatie role. */
export async function reportSummary(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Summary> {
  const { sectors, organisations, ends } = await summaryInput(ctx, from, to);
  const states = (side: 'from' | 'to') => ends[side].map((e) => e?.state ?? null);
  const both = [
    { quarter: from, states: states('from') },
    { quarter: to, states: states('to') },
  ] as const;
  const compared = compareStates(organisations, ...both);
  const figures = withComparisons(ctx, summariseStates(sectors, organisations, ...both), sectors, compared);
  const summary = await withClosedFigures(
    ctx,
    seesOnlyAnonymousFigures(ctx) ? anonymiseSummary(figures) : figures,
    sectors,
  );
  return {
    ...summary,
    modelVersions: modelVersionsBehind(ctx, from === to ? [ends.to] : [ends.from, ends.to]),
  };
}

/**
 * The summary with, for the region and each sector, the like-for-like change and the split of
 * the change into continuing members, joiners and leavers. For the organisatie role the split is
 * left out (a joiner or leaver of a small sector is one organisation) and a like-for-like change
 * over fewer than three organisations is withheld.
 */
export function withComparisons(
  ctx: ServiceContext,
  summary: Summary,
  sectors: ReadonlyArray<{ id: number }>,
  compared: ReturnType<typeof compareStates>,
): Summary {
  const anonymous = seesOnlyAnonymousFigures(ctx);
  const shown = (c: ScopeComparison | undefined) => {
    const likeForLike = c?.likeForLike ?? { n: 0, from: null, to: null, changePercent: null };
    if (!anonymous) return { likeForLike, changeParts: c?.changeParts ?? null };
    const hidden = { n: likeForLike.n, from: null, to: null, changePercent: null };
    return { likeForLike: likeForLike.n < MIN_ANONYMOUS_N ? hidden : likeForLike, changeParts: null };
  };
  return {
    ...summary,
    overall: { ...summary.overall, ...shown(compared.region) },
    sectors: summary.sectors.map((s, i) => ({ ...s, ...shown(compared.sectors.get(sectors[i]!.id)) })),
  };
}

/** Which model versions the quickscans behind the gears of the two quarters were answered against. */
function modelVersionsBehind(
  ctx: ServiceContext,
  ends: ReadonlyArray<readonly EndState[]>,
): NonNullable<Summary['modelVersions']> {
  const counts = new Map<string, { id: string; version: number; quickscans: number }>();
  for (const side of ends) {
    for (const end of side) {
      const entry = end?.entry;
      if (!entry || entry.modelId === null || entry.modelVersion === null) continue;
      const key = `${entry.modelId}@${entry.modelVersion}`;
      const count = counts.get(key) ?? { id: entry.modelId, version: entry.modelVersion, quickscans: 0 };
      count.quickscans++;
      counts.set(key, count);
    }
  }
  return [...counts.values()]
    .sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version)
    .map((m) => ({ ...m, name: modelName(ctx, m.id, m.version) }));
}

function modelName(ctx: ServiceContext, id: string, version: number): string {
  try {
    return ctx.models.get(id, version).name;
  } catch {
    return id;
  }
}

/**
 * The analysis with, for each average of a closed quarter, the closed figure beside it, and the
 * restatements of its two quarters. `sectors` are those the summary was made with, in its order.
 */
export async function withClosedFigures(
  ctx: ServiceContext,
  summary: Summary,
  sectors: ReadonlyArray<{ id: number }>,
): Promise<Summary> {
  const { from, to } = summary;
  const { closed, restatements } = await closedFiguresOf(ctx.db, from === to ? [from] : [from, to]);
  const beside = (scope: number, pair: PeriodAverage): PeriodAverage => ({
    ...pair,
    from: { ...pair.from, closed: closedBeside(ctx, closed, from, scope, pair.from) },
    to: { ...pair.to, closed: closedBeside(ctx, closed, to, scope, pair.to) },
  });
  return {
    ...summary,
    overall: beside(REGION_SCOPE, summary.overall),
    sectors: summary.sectors.map((s, i) => ({ ...s, ...beside(sectors[i]!.id, s) })),
    restatements: visibleRestatements(ctx, restatements),
  };
}

/** Sector × quarter averages; anonymised for the organisatie role. */
export async function reportMatrix(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<Matrix> {
  // The same for every caller until something is written: each organisation's own page asks for
  // it (its sector and the region over its history), so it is computed once per change.
  const figures = await cachedRead(ctx.db, `matrix ${from} ${to}`, () =>
    matrixQuarterByQuarter(ctx, from, to),
  );
  const matrix = seesOnlyAnonymousFigures(ctx) ? anonymiseMatrix(figures) : figures;
  const { closed, restatements } = await closedFiguresOf(ctx.db, matrix.quarters);
  // A cell of a closed quarter carries its closed figure; an open quarter's cell stays as it was.
  const cells = (scope: number, row: MatrixCell[]) =>
    row.map((c) => {
      const figure = closedBeside(ctx, closed, c.quarter, scope, c);
      return figure ? { ...c, closed: figure } : c;
    });
  return {
    ...matrix,
    sectors: matrix.sectors.map((s) => ({ ...s, cells: cells(s.id, s.cells) })),
    region: { ...matrix.region, cells: cells(REGION_SCOPE, matrix.region.cells) },
    restatements: visibleRestatements(ctx, restatements),
  };
}

export async function reportDistribution(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
): Promise<Distribution> {
  if (from === to) {
    // One quarter (the overview asks this): its members and their gears from the summary's one statement.
    const { organisations, ends } = await summaryInput(ctx, from, to);
    const points = ends.from.flatMap((e, k) =>
      e ? [{ organisationId: organisations[k]!.id, quarter: e.entry.quarter, gear: e.entry.gear }] : [],
    );
    return { from, to, quarters: gearDistribution(organisations, points, from, to) };
  }
  const input = await reportInput(ctx, from, to);
  return { from, to, quarters: gearDistribution(input.organisations, input.points, from, to) };
}

/**
 * The members in `quarter` (default: the current quarter) that have no quickscan or gear recorded
 * in it: to visit. The same members as the report counts (archived ones included while they
 * were members), each under its sector of that quarter, oldest gear first, then those without one.
 */
export async function worklist(ctx: ServiceContext, requested?: Quarter): Promise<Worklist> {
  const quarter = requested ?? quarterOfDate(ctx.now());
  // The quarter's members with their sector and counting gear in one statement, and their names.
  const [rows, names, sectors] = await Promise.all([
    summaryEnds(ctx.db, quarter, quarter),
    listOrganisationNames(ctx.db),
    listSectorNames(ctx.db),
  ]);
  const nameOf = new Map(names.map((o) => [o.id, o.name]));
  const sectorName = new Map(sectors.map((s) => [s.id, s.name]));
  const items = rows
    .filter(
      (r) => r.from.period !== null && r.from.entry?.quarter !== quarter && maySee(ctx, r.organisationId),
    )
    .map((r) => {
      const { entry, sectorId } = r.from;
      return {
        id: r.organisationId,
        name: nameOf.get(r.organisationId)!,
        sectorId,
        sector: sectorName.get(sectorId)!,
        gear: entry?.gear ?? null,
        lastRecordedIn: entry?.quarter ?? null,
        ageQuarters: entry ? ageInQuarters(entry.quarter, quarter) : null,
      };
    })
    .sort(
      (a, b) =>
        (b.ageQuarters ?? -1) - (a.ageQuarters ?? -1) ||
        a.sector.localeCompare(b.sector, 'nl') ||
        a.name.localeCompare(b.name, 'nl'),
    );
  return { quarter, items };
}
