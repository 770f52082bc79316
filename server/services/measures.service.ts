import { answersOf } from '../db/repositories/quickscans.repository.ts';
import { listSectorNames } from '../db/repositories/sectors.repository.ts';
import { summaryEnds } from '../db/repositories/summary.repository.ts';
import type { Answers } from '../domain/gear-engine.ts';
import {
  compareMeasureShares,
  type MeasureComparison,
  type MeasureOrganisation,
  type MeasureShare,
  measureShares,
} from '../domain/measures.ts';
import type { Quarter } from '../domain/quarter.ts';
import type { ServiceContext } from './context.ts';
import { checkReportPeriod } from './reports.service.ts';

/** Quickscan ids per query for their answers: well under SQLite's bound-parameter limit. */
const IDS_PER_QUERY = 5000;

/**
 * The member organisations of a quarter as the measures see them: their sector then, and the
 * model and answers of the quickscan behind their gear (carried forward within the membership);
 * a gear recorded without answers, or no gear, gives no answers.
 */
async function measureInput(ctx: ServiceContext, quarter: Quarter) {
  const [sectors, rows] = await Promise.all([listSectorNames(ctx.db), summaryEnds(ctx.db, quarter, quarter)]);
  const members = rows.filter((r) => r.from.period !== null);
  const answered = members.flatMap((r) =>
    r.from.entry && r.from.entry.modelId !== null ? [r.from.entry.id] : [],
  );
  const answersByScan = new Map<number, Answers>();
  for (let i = 0; i < answered.length; i += IDS_PER_QUERY) {
    for (const a of await answersOf(ctx.db, answered.slice(i, i + IDS_PER_QUERY))) {
      let answers = answersByScan.get(a.quickscan_id);
      if (!answers) {
        answers = {};
        answersByScan.set(a.quickscan_id, answers);
      }
      answers[a.criterion_key] = { answer: a.answer, note: a.note };
    }
  }
  const organisations: MeasureOrganisation[] = members.map((r) => {
    const entry = r.from.entry;
    if (!entry) return { id: r.organisationId, sectorId: r.from.sectorId, model: null, answers: null };
    if (entry.modelId === null || entry.modelVersion === null) {
      // A directly recorded gear: the measures are unknown, judged against the active model.
      return { id: r.organisationId, sectorId: r.from.sectorId, model: ctx.models.active, answers: null };
    }
    return {
      id: r.organisationId,
      sectorId: r.from.sectorId,
      model: ctx.models.get(entry.modelId, entry.modelVersion),
      answers: answersByScan.get(entry.id) ?? {},
    };
  });
  return { sectors, organisations };
}

/**
 * Per VPT measure the share of the member organisations that meet its criteria in `quarter`, for
 * the region and per sector; with `from`, each also with the figures of that quarter and the
 * change in percentage points.
 */
export async function reportMeasures(
  ctx: ServiceContext,
  quarter: Quarter,
  from?: Quarter,
): Promise<MeasureShare[] | MeasureComparison[]> {
  checkReportPeriod(ctx, from ?? quarter, quarter);
  const at = measureShares(await measureInput(ctx, quarter));
  if (from === undefined) return at;
  return compareMeasureShares(measureShares(await measureInput(ctx, from)), at);
}
