import type { Kysely } from 'kysely';
import type {
  ClosedFigure,
  ClosedQuarter,
  QuartersOverview,
  Restatement,
} from '../contracts/closing.contract.ts';
import {
  attachReason,
  type ClosingRow,
  closedScopeFigures,
  firstMemberQuarter,
  gearPointsUpTo,
  insertClosing,
  insertRestatements,
  lastRevisionId,
  listAllClosings,
  listOpenClosings,
  listRestatements,
  markReopened,
  type NewRestatement,
} from '../db/repositories/closings.repository.ts';
import { listSectorNames } from '../db/repositories/sectors.repository.ts';
import { listTimelines } from '../db/repositories/timelines.repository.ts';
import type { Database } from '../db/schema.ts';
import {
  compareFigures,
  isUnchanged,
  nextToClose,
  type OrganisationFigure,
  organisationFiguresIn,
  type QuarterFigures,
  quartersToClose,
  REGION_SCOPE,
  type ScopeChange,
  scopesOf,
} from '../domain/closing.ts';
import { formatQuarter, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import { gearTimelines } from '../domain/report.ts';
import { ConflictError, fieldProblem, RuleError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { inTransaction } from './transaction.ts';

/**
 * Closing quarters (vaststellen) and the restatements after it. A closing stores the quarter's
 * figures; every later write that would change them goes through {@link guardClosedQuarters},
 * which refuses it without a reason and otherwise records a restatement per changed figure.
 */

type Db = Kysely<Database>;

/**
 * The figures of the organisations (all, or those in `ids`) in `quarters`: their membership,
 * sector and gear state, read the way the reports read them.
 */
async function organisationFigures(
  db: Db,
  quarters: readonly Quarter[],
  ids?: readonly number[],
): Promise<Map<Quarter, OrganisationFigure[]>> {
  const sorted = [...quarters].sort();
  const last = sorted[sorted.length - 1]!;
  const [organisations, points] = await Promise.all([listTimelines(db, ids), gearPointsUpTo(db, last, ids)]);
  const states = gearTimelines(organisations, points, sorted);
  const result = new Map<Quarter, OrganisationFigure[]>();
  sorted.forEach((quarter, i) => {
    result.set(
      quarter,
      organisationFiguresIn(
        quarter,
        organisations,
        organisations.map((o) => states.get(o.id)?.[i] ?? null),
      ),
    );
  });
  return result;
}

async function sectorRefs(db: Db) {
  return (await listSectorNames(db)).map((s) => ({ id: s.id, name: s.name }));
}

/** The closings in force and their quarters. */
export async function openClosings(db: Db): Promise<ClosingRow[]> {
  return listOpenClosings(db);
}

/** The quarters that are closed now, ascending. */
export async function closedQuarters(ctx: ServiceContext): Promise<ClosedQuarter[]> {
  const closings = await listOpenClosings(ctx.db);
  const restatements = await listRestatements(
    ctx.db,
    closings.map((c) => c.id),
  );
  return closings.map((c) => ({
    quarter: c.quarter,
    closedAt: c.closedAt,
    closedBy: c.closedBy,
    restatementCount: restatements.filter((r) => r.closingId === c.id).length,
  }));
}

/** What the quarters page shows: the closed quarters, the history of closing, and what is next. */
export async function quartersOverview(ctx: ServiceContext): Promise<QuartersOverview> {
  const [closed, history, first] = await Promise.all([
    closedQuarters(ctx),
    listAllClosings(ctx.db),
    firstMemberQuarter(ctx.db),
  ]);
  const current = quarterOfDate(ctx.now());
  const next = nextToClose(
    closed.map((c) => c.quarter),
    first,
  );
  const counts = await listRestatements(
    ctx.db,
    history.map((h) => h.id),
  );
  return {
    closed,
    history: history.map((h) => ({
      quarter: h.quarter,
      closedAt: h.closedAt,
      closedBy: h.closedBy,
      reopenedAt: h.reopenedAt,
      reopenedBy: h.reopenedBy,
      reopenReason: h.reopenReason,
      restatementCount: counts.filter((r) => r.closingId === h.id).length,
    })),
    nextToClose: next,
    current,
  };
}

/**
 * Closes `quarter` (with `includeEarlier` also the open quarters before it, in order): stores its
 * figures as they are now. Closed quarters are closed in order and never in the future.
 */
export async function closeQuarter(
  ctx: ServiceContext,
  quarter: Quarter,
  options: { includeEarlier?: boolean } = {},
): Promise<ClosedQuarter[]> {
  const current = quarterOfDate(ctx.now());
  if (quarter > current) {
    const message = `${formatQuarter(quarter)} is nog niet begonnen; kies een kwartaal tot en met ${formatQuarter(current)}`;
    throw new RuleError(message, 'future_quarter', fieldProblem('future_quarter', 'quarter', message));
  }
  const at = ctx.now().toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const [closings, first] = await Promise.all([listOpenClosings(trx), firstMemberQuarter(trx)]);
    const closed = closings.map((c) => c.quarter);
    if (closed.includes(quarter)) {
      throw new ConflictError(`${formatQuarter(quarter)} is al vastgesteld`, 'quarter_already_closed');
    }
    const plan = quartersToClose(closed, first, quarter, options.includeEarlier ?? false);
    if (typeof plan === 'string') {
      throw new RuleError(plan, 'close_order', fieldProblem('close_order', 'quarter', plan));
    }
    const [figures, sectors] = await Promise.all([organisationFigures(trx, plan), sectorRefs(trx)]);
    for (const q of plan) {
      const organisations = figures.get(q)!;
      await insertClosing(
        trx,
        { quarter: q, organisations, scopes: scopesOf(q, sectors, organisations) },
        at,
        ctx.actor,
      );
    }
    return plan.map((q) => ({ quarter: q, closedAt: at, closedBy: ctx.actor, restatementCount: 0 }));
  });
}

/**
 * Reopens the last closed quarter, with a reason: its figures and restatements stay in the
 * history, and it can be corrected freely and closed again. Only the last one, so that closed
 * quarters stay in order.
 */
export async function reopenQuarter(ctx: ServiceContext, quarter: Quarter, reason: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const closings = await listOpenClosings(trx);
    const closing = closings.find((c) => c.quarter === quarter);
    if (!closing) {
      throw new ConflictError(`${formatQuarter(quarter)} is niet vastgesteld`, 'quarter_not_closed');
    }
    const last = closings[closings.length - 1]!;
    if (last.quarter !== quarter) {
      const message = `alleen het laatst vastgestelde kwartaal (${formatQuarter(last.quarter)}) kan worden heropend; heropen eerst de latere kwartalen`;
      throw new RuleError(message, 'reopen_order', fieldProblem('reopen_order', 'quarter', message));
    }
    await markReopened(trx, closing.id, ctx.now().toISOString(), ctx.actor, reason);
  });
}

/** Marks transactions already inside a guard: an import's rows are one change, not one per row. */
const guarded = new WeakSet<object>();

/** What a write touches: the organisations it changes (all when absent), from which quarter on. */
export interface WriteScope {
  from: Quarter;
  organisationIds?: readonly number[];
}

/**
 * Runs `write` in a transaction and keeps closed quarters closed. When the write changes a
 * figure of a closed quarter (an organisation's membership, sector, gear or the quarter its gear
 * was recorded in), it is refused without a reason (409, nothing written); with one, each
 * changed average (the region's, a sector's) becomes one restatement, and the revisions the write
 * made carry the reason. The closed figures themselves are never touched.
 */
export async function guardClosedQuarters<T>(
  ctx: ServiceContext,
  scope: WriteScope,
  reason: string | undefined,
  write: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx.db, async (trx) => {
    if (guarded.has(trx)) return write(trx);
    const closings = (await listOpenClosings(trx)).filter((c) => c.quarter >= scope.from);
    if (closings.length === 0) return write(trx);
    guarded.add(trx);
    try {
      const quarters = closings.map((c) => c.quarter);
      const ids = scope.organisationIds;
      const before = await organisationFigures(trx, quarters, ids);
      const mark = await lastRevisionId(trx);
      const result = await write(trx);
      const after = await organisationFigures(trx, quarters, ids);
      const touched = quarters.filter((q) => !sameFigures(before.get(q)!, after.get(q)!));
      if (touched.length === 0) return result;
      if (reason === undefined || reason.trim() === '') throw reasonRequired(touched);
      await restate(ctx, trx, {
        closings: closings.filter((c) => touched.includes(c.quarter)),
        before,
        ids,
        reason: reason.trim(),
      });
      await attachReason(trx, mark, reason.trim());
      return result;
    } finally {
      guarded.delete(trx);
    }
  });
}

function sameFigures(a: readonly OrganisationFigure[], b: readonly OrganisationFigure[]): boolean {
  return isUnchanged(
    compareFigures(
      { quarter: '2000-Q1', organisations: [...a], scopes: [] },
      {
        quarter: '2000-Q1',
        organisations: [...b],
        scopes: [],
      },
    ),
  );
}

function reasonRequired(quarters: readonly Quarter[]): ConflictError {
  const names = quarters.map(formatQuarter);
  const which = names.length === 1 ? `${names[0]} is vastgesteld` : `${names.join(', ')} zijn vastgesteld`;
  const message = `${which}; deze wijziging verandert de vastgestelde cijfers en is daarmee een herziening: geef een reden`;
  return new ConflictError(message, 'quarter_closed', fieldProblem('quarter_closed', 'reason', message));
}

/** One restatement per changed scope of each touched closed quarter. */
async function restate(
  ctx: ServiceContext,
  trx: Db,
  input: {
    closings: readonly ClosingRow[];
    before: Map<Quarter, OrganisationFigure[]>;
    ids: readonly number[] | undefined;
    reason: string;
  },
): Promise<void> {
  const quarters = input.closings.map((c) => c.quarter);
  const [all, sectors] = await Promise.all([organisationFigures(trx, quarters), sectorRefs(trx)]);
  const at = ctx.now().toISOString();
  const rows: NewRestatement[] = [];
  for (const closing of input.closings) {
    const q = closing.quarter;
    const now = all.get(q)!;
    // Before the write: everyone as now, except the organisations the write touched, as they were.
    const touched = input.ids ? new Set(input.ids) : null;
    const was = touched
      ? [...now.filter((o) => !touched.has(o.organisationId)), ...input.before.get(q)!]
      : input.before.get(q)!;
    const change = compareFigures(figuresOf(q, sectors, was), figuresOf(q, sectors, now));
    for (const s of change.scopes) rows.push(restatementRow(closing, s, input.reason, ctx.actor, at));
  }
  await insertRestatements(trx, rows);
}

function figuresOf(
  quarter: Quarter,
  sectors: ReadonlyArray<{ id: number; name: string }>,
  organisations: OrganisationFigure[],
): QuarterFigures {
  const sorted = [...organisations].sort((a, b) => a.organisationId - b.organisationId);
  return { quarter, organisations: sorted, scopes: scopesOf(quarter, sectors, sorted) };
}

function restatementRow(
  closing: ClosingRow,
  s: ScopeChange,
  reason: string,
  actor: string,
  at: string,
): NewRestatement {
  return {
    closingId: closing.id,
    quarter: closing.quarter,
    sectorId: s.sectorId,
    name: s.name,
    beforeN: s.before?.n ?? 0,
    beforeAverage: s.before?.average ?? null,
    n: s.after.n,
    average: s.after.average,
    staleCount: s.after.staleCount ?? 0,
    reason,
    actor,
    at,
  };
}

/**
 * The closed figures of the given quarters, per quarter and scope (`REGION_SCOPE` is the
 * region), and their restatements: what the reports show beside the current figures.
 */
export async function closedFiguresOf(
  db: Db,
  quarters: readonly Quarter[],
): Promise<{
  closed: Map<Quarter, Map<number, ClosedFigure>>;
  restatements: Restatement[];
}> {
  const wanted = new Set(quarters);
  const closings = (await listOpenClosings(db)).filter((c) => wanted.has(c.quarter));
  const ids = closings.map((c) => c.id);
  const [scopes, restatements] = await Promise.all([closedScopeFigures(db, ids), listRestatements(db, ids)]);
  const byId = new Map(closings.map((c) => [c.id, c]));
  const closed = new Map<Quarter, Map<number, ClosedFigure>>();
  for (const s of scopes) {
    const closing = byId.get(s.closingId)!;
    let perScope = closed.get(closing.quarter);
    if (!perScope) {
      perScope = new Map();
      closed.set(closing.quarter, perScope);
    }
    perScope.set(s.sectorId, {
      average: s.average,
      n: s.n,
      closedAt: closing.closedAt,
      closedBy: closing.closedBy,
    });
  }
  return {
    closed,
    restatements: restatements.map((r) => {
      const figure = closed.get(r.quarter)?.get(r.sectorId);
      return {
        quarter: r.quarter,
        scope: r.sectorId === REGION_SCOPE ? 'regio' : r.name,
        sectorId: r.sectorId === REGION_SCOPE ? null : r.sectorId,
        closed: figure?.average ?? null,
        closedN: figure?.n ?? 0,
        restated: r.average,
        restatedN: r.n,
        reason: r.reason,
        at: r.at,
        by: r.actor,
      };
    }),
  };
}
