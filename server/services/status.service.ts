import type { GearHistory, OrganisationStatus } from '../contracts/organisation.contract.ts';
import { cachedRead } from '../db/read-cache.ts';
import { answersOf, latestAtOrBefore, listQuickscans } from '../db/repositories/quickscans.repository.ts';
import { type Answers, type Evaluation, evaluate, evaluateRecordedGear } from '../domain/gear-engine.ts';
import { type Quarter, quarterOfDate, quarterRange } from '../domain/quarter.ts';
import { gearTimelines } from '../domain/report.ts';
import { type Gear, gearDefinition } from '../domain/schakelmodel.ts';
import { ageInQuarters, carriesInto, isMemberIn, sectorIn } from '../domain/timeline.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation, sectorNames } from './organisations.service.ts';
import { requireTimeline } from './timeline.service.ts';
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
  // The organisation's own page asks for this on every visit; it changes only with a write.
  return cachedRead(ctx.db, `status ${organisationId} ${quarter}`, () =>
    computeStatus(ctx, organisationId, quarter),
  );
}

async function computeStatus(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
): Promise<OrganisationStatus> {
  const org = await requireOrganisation(ctx, organisationId);
  const [timeline, names] = await Promise.all([requireTimeline(ctx.db, organisationId), sectorNames(ctx.db)]);
  const member = isMemberIn(timeline, quarter);
  const latest = member ? await latestAtOrBefore(ctx.db, organisationId, quarter) : undefined;
  // A gear carries forward only within the membership period it was recorded in.
  const entry = latest && carriesInto(timeline, latest.quarter, quarter) ? latest : undefined;
  const sectorId = sectorIn(timeline, quarter);
  const base = {
    id: org.id,
    name: org.name,
    sector: names.get(sectorId)!,
    sectorId,
    quarter,
    member,
  };
  if (!entry) {
    return {
      ...base,
      gear: null,
      gearName: null,
      carriedFrom: null,
      ageQuarters: null,
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
    ageQuarters: ageInQuarters(entry.quarter, quarter),
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
 * The gear and sector in every quarter of a period, carried forward between quickscans within a
 * membership period. The period defaults to the first membership up to the current quarter (or
 * the end of the last membership, when that was earlier).
 */
export async function gearHistory(
  ctx: ServiceContext,
  organisationId: number,
  period: { from?: Quarter | undefined; to?: Quarter | undefined },
): Promise<GearHistory> {
  assertMaySee(ctx, organisationId);
  const org = await requireOrganisation(ctx, organisationId);
  const [membership, names] = await Promise.all([
    requireTimeline(ctx.db, organisationId),
    sectorNames(ctx.db),
  ]);
  const current = quarterOfDate(ctx.now());
  const first = membership.memberships[0]?.from ?? org.member_from;
  const last = membership.memberships[membership.memberships.length - 1];
  const lastUntil = last ? last.until : org.member_until;
  const defaultTo = lastUntil !== null && lastUntil < current ? lastUntil : current;
  const from = period.from ?? first;
  const to = period.to ?? (defaultTo < from ? from : defaultTo);
  const quarters = quarterRange(from, to);
  const entries = await listQuickscans(ctx.db, organisationId);
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
      const sectorId = sectorIn(membership, quarter);
      return {
        quarter,
        member: isMemberIn(membership, quarter),
        sectorId,
        sector: names.get(sectorId)!,
        gear: state?.gear ?? null,
        carriedFrom: state && state.recordedIn !== quarter ? state.recordedIn : null,
        ageQuarters: state ? ageInQuarters(state.recordedIn, quarter) : null,
        source: state ? (sourceIn.get(state.recordedIn) ?? null) : null,
      };
    }),
  };
}
