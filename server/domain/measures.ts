import { type Answers, isMetFor } from './gear-engine.ts';
import { allCriteria, type Schakelmodel } from './model-types.ts';

/**
 * The VPT measures (DOMAIN.md, "The eight (nine) VPT measures") with ELA, borging and the network,
 * in the order reports list them. The key is stable; the name is what users read.
 */
export const MEASURES = [
  { key: 'norm-stellen', name: 'norm stellen' },
  { key: 'training', name: 'training' },
  { key: 'melden', name: 'melden' },
  { key: 'registreren', name: 'registreren' },
  { key: 'aangifte', name: 'aangifte' },
  { key: 'reageren', name: 'reageren naar de dader' },
  { key: 'schade', name: 'schade verhalen' },
  { key: 'opvang', name: 'opvang en nazorg' },
  { key: 'preventie', name: 'preventie/gastvrijheid' },
  { key: 'ela', name: 'ELA' },
  { key: 'borging', name: 'borging' },
  { key: 'netwerk', name: 'netwerk' },
] as const;

export type MeasureKey = (typeof MEASURES)[number]['key'];

// Version 1 numbers the nine measures; version 2 names them. Both spellings lead to the same key.
const BY_TEXT: ReadonlyMap<string, MeasureKey> = new Map<string, MeasureKey>([
  ['1', 'norm-stellen'],
  ['2', 'training'],
  ['3', 'melden'],
  ['4', 'registreren'],
  ['5', 'aangifte'],
  ['6', 'reageren'],
  ['7', 'schade'],
  ['8', 'opvang'],
  ['9', 'preventie'],
  ['norm stellen', 'norm-stellen'],
  ['training', 'training'],
  ['trainen', 'training'],
  ['melden', 'melden'],
  ['registreren', 'registreren'],
  ['aangifte', 'aangifte'],
  ['reageren naar de dader', 'reageren'],
  ['schade verhalen', 'schade'],
  ['opvang en nazorg', 'opvang'],
  ['preventie/gastvrijheid', 'preventie'],
  ['preventie', 'preventie'],
  ['ela', 'ela'],
  ['netwerk', 'netwerk'],
  ['network', 'netwerk'],
]);

/**
 * The measures a model criterion's `measure` text stands for: several for "ELA / borging", none
 * for a text this list does not know (a region's own model may name other measures).
 */
export function measuresOfCriterion(measure: string): MeasureKey[] {
  const keys: MeasureKey[] = [];
  for (const part of measure.split(' / ')) {
    const text = part.trim().toLowerCase().replace(/\s+/g, ' ');
    // Every level of borging (strategisch, tactisch, operationeel) counts as the one measure.
    const key = text.startsWith('borging') ? 'borging' : BY_TEXT.get(text);
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

export type MeasureStatus = 'met' | 'not-met' | 'unknown';

/**
 * Per measure the model has criteria for: met when every criterion of that measure is met as the
 * gear engine counts it (an unanswered one is not). Without answers (a directly recorded gear)
 * every such measure is unknown: a gear says nothing about which measures were taken.
 */
export function measureStatus(model: Schakelmodel, answers: Answers | null): Map<MeasureKey, MeasureStatus> {
  const status = new Map<MeasureKey, MeasureStatus>();
  for (const criterion of allCriteria(model)) {
    for (const key of measuresOfCriterion(criterion.measure)) {
      if (answers === null) status.set(key, 'unknown');
      else if (!isMetFor(criterion, answers[criterion.key])) status.set(key, 'not-met');
      else if (!status.has(key)) status.set(key, 'met');
    }
  }
  return status;
}

export interface MeasureCounts {
  met: number;
  unknown: number;
  total: number;
  /** met / total, unrounded; null when total is 0. */
  share: number | null;
}

export interface SectorMeasureShare extends MeasureCounts {
  sectorId: number;
  name: string;
}

export interface MeasureShare extends MeasureCounts {
  measure: MeasureKey;
  name: string;
  sectors: SectorMeasureShare[];
}

/** One member organisation in the quarter; model and answers both null when it has no gear. */
export interface MeasureOrganisation {
  id: number;
  sectorId: number;
  model: Schakelmodel | null;
  answers: Answers | null;
}

export interface MeasureSharesInput {
  sectors: readonly { id: number; name: string }[];
  organisations: readonly MeasureOrganisation[];
}

/**
 * Per measure, the share of the given member organisations that meet it, per sector (in the given
 * order, each listed) and for the region. Every organisation counts in the total; one without a
 * gear, without answers or whose model has no criterion for the measure counts as unknown. An
 * organisation whose sector is not among `sectors` counts for the region only.
 */
export function measureShares(input: MeasureSharesInput): MeasureShare[] {
  const statuses = input.organisations.map((o) => ({
    sectorId: o.sectorId,
    status: o.model === null ? new Map<MeasureKey, MeasureStatus>() : measureStatus(o.model, o.answers),
  }));
  return MEASURES.map(({ key, name }) => {
    const region = emptyTally();
    const bySector = new Map(input.sectors.map((s) => [s.id, emptyTally()]));
    for (const { sectorId, status } of statuses) {
      const value = status.get(key) ?? 'unknown';
      count(region, value);
      const sector = bySector.get(sectorId);
      if (sector !== undefined) count(sector, value);
    }
    return {
      measure: key,
      name,
      ...withShare(region),
      sectors: input.sectors.map((s) => ({
        sectorId: s.id,
        name: s.name,
        ...withShare(bySector.get(s.id)!),
      })),
    };
  });
}

interface Tally {
  met: number;
  unknown: number;
  total: number;
}

function emptyTally(): Tally {
  return { met: 0, unknown: 0, total: 0 };
}

function count(tally: Tally, status: MeasureStatus): void {
  tally.total += 1;
  if (status === 'met') tally.met += 1;
  else if (status === 'unknown') tally.unknown += 1;
}

function withShare({ met, unknown, total }: Tally): MeasureCounts {
  return { met, unknown, total, share: total === 0 ? null : met / total };
}

export interface MeasureChange {
  from: MeasureCounts;
  /** (to.share − from.share) × 100, in percentage points; null when either share is null. */
  changePoints: number | null;
}

export interface SectorMeasureComparison extends SectorMeasureShare, MeasureChange {}

export interface MeasureComparison extends Omit<MeasureShare, 'sectors'>, MeasureChange {
  sectors: SectorMeasureComparison[];
}

const NOTHING: MeasureCounts = { met: 0, unknown: 0, total: 0, share: null };

/**
 * `to` with, per measure and sector, the counts of `from` and the change in percentage points. A
 * measure or sector that `from` does not have counts there as no organisations.
 */
export function compareMeasureShares(
  from: readonly MeasureShare[],
  to: readonly MeasureShare[],
): MeasureComparison[] {
  return to.map((measure) => {
    const before = from.find((m) => m.measure === measure.measure);
    return {
      ...measure,
      ...changeFrom(before, measure),
      sectors: measure.sectors.map((sector) => ({
        ...sector,
        ...changeFrom(
          before?.sectors.find((s) => s.sectorId === sector.sectorId),
          sector,
        ),
      })),
    };
  });
}

function changeFrom(before: MeasureCounts | undefined, after: MeasureCounts): MeasureChange {
  const from = before === undefined ? NOTHING : countsOf(before);
  const changePoints = from.share === null || after.share === null ? null : (after.share - from.share) * 100;
  return { from, changePoints };
}

function countsOf({ met, unknown, total, share }: MeasureCounts): MeasureCounts {
  return { met, unknown, total, share };
}
