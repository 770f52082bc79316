import { answersOf, latestAtOrBefore, listQuickscans } from '../db/repositories/quickscans.repository.ts';
import type { QuickscanSource } from '../db/schema.ts';
import { type Answers, type Evaluation, evaluate, evaluateRecordedGear } from '../domain/gear-engine.ts';
import { isWithin, type Quarter, quarterOfDate, quarterRange } from '../domain/quarter.ts';
import { gearTimelines } from '../domain/report.ts';
import { type Gear, gearDefinition, type PlacedCriterion } from '../domain/schakelmodel.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';

export interface StatusDto {
  id: number;
  name: string;
  sector: string;
  sectorId: number;
  quarter: Quarter;
  member: boolean;
  gear: number | null;
  gearName: string | null;
  /** The quarter the gear was recorded in when it was carried forward; null when recorded in `quarter`. */
  carriedFrom: Quarter | null;
  source: QuickscanSource | null;
  model: { id: string; version: number } | null;
  met: string[];
  partial: string[];
  nextSteps: PlacedCriterion[];
  /** Met criteria of the next gear against its total; 0 of 0 at gear 5 and without a gear. */
  progress: { met: number; total: number };
}

/** An organisation's gear in a quarter with what it has in place and the steps to the next gear. */
export async function statusAt(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
): Promise<StatusDto> {
  const org = await requireOrganisation(ctx, organisationId);
  const member = isWithin(quarter, org.member_from, org.member_until);
  const entry = member ? await latestAtOrBefore(ctx.db, organisationId, quarter) : undefined;
  const base = {
    id: org.id,
    name: org.name,
    sector: org.sector_name,
    sectorId: org.sector_id,
    quarter,
    member,
  };
  if (!entry) {
    return {
      ...base,
      gear: null,
      gearName: null,
      carriedFrom: null,
      source: null,
      model: null,
      met: [],
      partial: [],
      nextSteps: [],
      progress: { met: 0, total: 0 },
    };
  }
  let evaluation: Evaluation;
  let model = ctx.models.active;
  if (entry.source === 'quickscan' && entry.model_id !== null && entry.model_version !== null) {
    model = ctx.models.get(entry.model_id, entry.model_version);
    const answers: Answers = {};
    for (const a of await answersOf(ctx.db, [entry.id]))
      answers[a.criterion_key] = { answer: a.answer, note: a.note };
    evaluation = evaluate(model, answers);
  } else {
    evaluation = evaluateRecordedGear(model, entry.gear as Gear);
  }
  return {
    ...base,
    gear: entry.gear,
    gearName: gearDefinition(model, entry.gear)?.name ?? null,
    carriedFrom: entry.quarter === quarter ? null : entry.quarter,
    source: entry.source,
    model:
      entry.model_id !== null && entry.model_version !== null
        ? { id: entry.model_id, version: entry.model_version }
        : null,
    met: evaluation.met,
    partial: evaluation.gears.flatMap((g) => g.partial),
    nextSteps: evaluation.nextSteps,
    // At gear 5 there is no next gear: nothing left to meet.
    progress: evaluation.progress ?? { met: 0, total: 0 },
  };
}

export interface HistoryDto {
  id: number;
  name: string;
  from: Quarter;
  to: Quarter;
  quarters: Array<{
    quarter: Quarter;
    member: boolean;
    gear: number | null;
    carriedFrom: Quarter | null;
    source: QuickscanSource | null;
  }>;
}

/**
 * The gear in every quarter of a period, carried forward between quickscans. The period
 * defaults to the membership, up to the current quarter.
 */
export async function gearHistory(
  ctx: ServiceContext,
  organisationId: number,
  period: { from?: Quarter | undefined; to?: Quarter | undefined },
): Promise<HistoryDto> {
  const org = await requireOrganisation(ctx, organisationId);
  const current = quarterOfDate(ctx.now());
  const defaultTo = org.member_until !== null && org.member_until < current ? org.member_until : current;
  const from = period.from ?? org.member_from;
  const to = period.to ?? (defaultTo < from ? from : defaultTo);
  const quarters = quarterRange(from, to);
  const entries = await listQuickscans(ctx.db, organisationId);
  const membership = {
    id: org.id,
    sectorId: org.sector_id,
    memberFrom: org.member_from,
    memberUntil: org.member_until,
  };
  const timeline = gearTimelines(
    [membership],
    entries.map((e) => ({ organisationId, quarter: e.quarter, gear: e.gear })),
    quarters,
  ).get(org.id)!;
  const sourceIn = new Map(entries.map((e) => [e.quarter, e.source]));
  return {
    id: org.id,
    name: org.name,
    from,
    to,
    quarters: quarters.map((quarter, i) => {
      const state = timeline[i] ?? null;
      return {
        quarter,
        member: isWithin(quarter, org.member_from, org.member_until),
        gear: state?.gear ?? null,
        carriedFrom: state && state.recordedIn !== quarter ? state.recordedIn : null,
        source: state ? (sourceIn.get(state.recordedIn) ?? null) : null,
      };
    }),
  };
}
