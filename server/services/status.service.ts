import type { GearHistory, OrganisationStatus } from '../contracts/organisation.contract.ts';
import { answersOf, latestAtOrBefore, listQuickscans } from '../db/repositories/quickscans.repository.ts';
import { type Answers, type Evaluation, evaluate, evaluateRecordedGear } from '../domain/gear-engine.ts';
import { isWithin, type Quarter, quarterOfDate, quarterRange } from '../domain/quarter.ts';
import { gearTimelines } from '../domain/report.ts';
import { type Gear, gearDefinition } from '../domain/schakelmodel.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { assertMaySee } from './visibility.ts';

/**
 * An organisation's gear in a quarter (default: the current quarter) with what it has in place and
 * the steps to the next gear.
 */
export async function statusAt(
  ctx: ServiceContext,
  organisationId: number,
  requested?: Quarter,
): Promise<OrganisationStatus> {
  assertMaySee(ctx, organisationId);
  const quarter = requested ?? quarterOfDate(ctx.now());
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

/**
 * The gear in every quarter of a period, carried forward between quickscans. The period
 * defaults to the membership, up to the current quarter.
 */
export async function gearHistory(
  ctx: ServiceContext,
  organisationId: number,
  period: { from?: Quarter | undefined; to?: Quarter | undefined },
): Promise<GearHistory> {
  assertMaySee(ctx, organisationId);
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
