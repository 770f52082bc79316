import type { GearDiff } from '../contracts/gear-diff.contract.ts';
import { answersOf, latestAtOrBefore } from '../db/repositories/quickscans.repository.ts';
import type { QuickscanRow } from '../db/schema.ts';
import {
  changedCriteria,
  type DiffSide,
  explainGearDiff,
  type GearSideFacts,
} from '../domain/answer-diff.ts';
import type { AnswerValue } from '../domain/gear-engine.ts';
import type { Quarter } from '../domain/quarter.ts';
import { carriesInto, isMemberIn, type OrganisationTimeline } from '../domain/timeline.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { checkReportPeriod } from './reports.service.ts';
import { requireTimeline } from './timeline.service.ts';
import { assertMaySee } from './visibility.ts';

/**
 * The entry behind the gear in `quarter`: the latest quickscan or directly recorded gear in or
 * before it, only while the organisation is a member and only within the membership period it was
 * recorded in (the same rule as the status, the history and the reports).
 */
async function entryBehind(
  ctx: ServiceContext,
  timeline: OrganisationTimeline,
  quarter: Quarter,
): Promise<QuickscanRow | undefined> {
  if (!isMemberIn(timeline, quarter)) return undefined;
  const latest = await latestAtOrBefore(ctx.db, timeline.id, quarter);
  return latest && carriesInto(timeline, latest.quarter, quarter) ? latest : undefined;
}

/** The answers of the entries that are quickscans, by entry id (one query for both). */
async function answersByEntry(
  ctx: ServiceContext,
  entries: ReadonlyArray<QuickscanRow | undefined>,
): Promise<Map<number, Record<string, AnswerValue>>> {
  const ids = [...new Set(entries.filter((e) => e?.source === 'quickscan').map((e) => e!.id))];
  const result = new Map<number, Record<string, AnswerValue>>(ids.map((id) => [id, {}]));
  for (const a of await answersOf(ctx.db, ids)) result.get(a.quickscan_id)![a.criterion_key] = a.answer;
  return result;
}

function diffSide(
  ctx: ServiceContext,
  entry: QuickscanRow | undefined,
  answers: Map<number, Record<string, AnswerValue>>,
): DiffSide | null {
  if (entry?.source !== 'quickscan') return null;
  const model =
    entry.model_id !== null && entry.model_version !== null
      ? ctx.models.get(entry.model_id, entry.model_version)
      : null;
  return { model, answers: answers.get(entry.id) ?? {} };
}

function facts(
  timeline: OrganisationTimeline,
  quarter: Quarter,
  entry: QuickscanRow | undefined,
): GearSideFacts {
  return {
    quarter,
    member: isMemberIn(timeline, quarter),
    entry: entry
      ? {
          recordedIn: entry.quarter,
          gear: entry.gear,
          origin: entry.source,
          model: modelOf(entry),
        }
      : null,
  };
}

function modelOf(entry: QuickscanRow | undefined): { id: string; version: number } | null {
  return entry && entry.source === 'quickscan' && entry.model_id !== null && entry.model_version !== null
    ? { id: entry.model_id, version: entry.model_version }
    : null;
}

/**
 * Why did the gear move between `from` and `to`: the quickscans behind the two gears and the
 * criteria whose answer differs. A gear recorded directly (import, by hand) has no answers, which
 * the explanation says. The organisatie role sees only its own organisation; the period may not be
 * reversed nor reach past the current quarter.
 */
export async function gearDiff(
  ctx: ServiceContext,
  organisationId: number,
  from: Quarter,
  to: Quarter,
): Promise<GearDiff> {
  assertMaySee(ctx, organisationId);
  checkReportPeriod(ctx, from, to);
  const org = await requireOrganisation(ctx, organisationId);
  const timeline = await requireTimeline(ctx.db, organisationId);
  const [before, after] = await Promise.all([
    entryBehind(ctx, timeline, from),
    entryBehind(ctx, timeline, to),
  ]);
  const answers = await answersByEntry(ctx, [before, after]);
  const changes = changedCriteria(diffSide(ctx, before, answers), diffSide(ctx, after, answers));
  const source = (e: QuickscanRow | undefined) =>
    e ? (e.source === 'quickscan' ? ('quickscan' as const) : ('recorded' as const)) : null;
  return {
    organisationId: org.id,
    name: org.name,
    from,
    to,
    fromGear: before?.gear ?? null,
    toGear: after?.gear ?? null,
    fromSource: source(before),
    toSource: source(after),
    fromOrigin: before?.source ?? null,
    toOrigin: after?.source ?? null,
    fromRecordedIn: before?.quarter ?? null,
    toRecordedIn: after?.quarter ?? null,
    fromModel: modelOf(before),
    toModel: modelOf(after),
    comparable: before?.source === 'quickscan' && after?.source === 'quickscan',
    changes: changes.map((c) => ({
      criterion: c.key,
      from: c.from,
      to: c.to,
      fromMet: c.fromMet,
      toMet: c.toMet,
      text: c.text,
      gear: c.gear,
    })),
    explanation: explainGearDiff(facts(timeline, from, before), facts(timeline, to, after), changes),
  };
}
