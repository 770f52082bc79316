/**
 * The region's targets (issue 12, item 4), free of I/O and of zod (the pages import the names).
 *
 * A target is a figure the region aims at by a quarter, for the region or one sector. Its
 * **current** value is the figure in the target quarter once that has come, else in the current
 * quarter. It is **on track** when the current value meets it, or, before the target quarter,
 * when the straight line through the value a year earlier and the current value meets it by the
 * target quarter. Without a current value (no members, no gears, no 0-meting) neither is known.
 */
import { formatAverage, formatPercent, formatShare } from './format.ts';
import { formatQuarter, type Quarter, quarterIndex } from './quarter.ts';

export const TARGET_KINDS = [
  'average',
  'sector-minimum',
  'gear-share-2',
  'gear-share-3',
  'gear-share-4',
  'gear-share-5',
  'members',
  'incidents-change',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export function isTargetKind(value: string): value is TargetKind {
  return (TARGET_KINDS as readonly string[]).includes(value);
}

/** What each kind measures, in Dutch. */
export const TARGET_KIND_NAMES: Record<TargetKind, string> = {
  average: 'gemiddelde versnelling',
  'sector-minimum': 'laagste sectorgemiddelde',
  'gear-share-2': 'aandeel leden in versnelling 2 of hoger',
  'gear-share-3': 'aandeel leden in versnelling 3 of hoger',
  'gear-share-4': 'aandeel leden in versnelling 4 of hoger',
  'gear-share-5': 'aandeel leden in versnelling 5',
  members: 'aantal aangesloten organisaties',
  'incidents-change': 'verandering van de incidenten per 100 medewerkers t.o.v. de 0-meting',
};

export function targetKindName(kind: string): string {
  return isTargetKind(kind) ? TARGET_KIND_NAMES[kind] : kind;
}

/** Lower is better only for the incidents; every other figure aims upward. */
export function lowerIsBetter(kind: TargetKind): boolean {
  return kind === 'incidents-change';
}

/** The gear of a gear-share kind. */
export function shareGear(kind: TargetKind): number | null {
  const m = /^gear-share-(\d)$/.exec(kind);
  return m ? Number(m[1]) : null;
}

/** Whether a value can be a target of this kind; the Dutch reason when not. */
export function targetValueProblem(kind: TargetKind, value: number, sector: boolean): string | null {
  if (!Number.isFinite(value)) return 'geef een getal';
  if (kind === 'sector-minimum' && sector)
    return 'dit doel geldt voor elke sector tegelijk: laat de sector weg';
  switch (kind) {
    case 'average':
    case 'sector-minimum':
      return value >= 1 && value <= 5 ? null : 'een gemiddelde versnelling ligt tussen 1 en 5';
    case 'members':
      return Number.isInteger(value) && value >= 1 ? null : 'geef een heel aantal van 1 of meer';
    case 'incidents-change':
      return value >= -100 && value <= 0
        ? null
        : 'geef de beoogde daling als percentage tussen -100 en 0 (bijvoorbeeld -25)';
    default:
      return value >= 0 && value <= 100 ? null : 'geef een percentage van 0 tot en met 100';
  }
}

/** The members of a quarter as the targets see them (the region's or one sector's). */
export interface TargetMember {
  sectorId: number;
  /** The gear that counts in the quarter (carried forward); null when none. */
  gear: number | null;
}

export interface TargetFigure {
  value: number | null;
  /** What the value is about when that is not obvious (the lowest sector's name). */
  about: string | null;
}

/**
 * The figure a gear or membership target measures in one quarter, for the region (`sectorId`
 * null) or one sector. Not for `incidents-change` (that figure comes from the incident report).
 */
export function targetFigure(
  kind: Exclude<TargetKind, 'incidents-change'>,
  members: readonly TargetMember[],
  sectorId: number | null,
  sectors: ReadonlyArray<{ id: number; name: string }>,
): TargetFigure {
  const scope = sectorId === null ? members : members.filter((m) => m.sectorId === sectorId);
  if (kind === 'members') return { value: scope.length, about: null };
  const gears = scope.flatMap((m) => (m.gear === null ? [] : [m.gear]));
  if (kind === 'average') return { value: mean(gears), about: null };
  if (kind === 'sector-minimum') {
    let lowest: number | null = null;
    let names: string[] = [];
    for (const s of sectors) {
      const avg = mean(members.flatMap((m) => (m.sectorId === s.id && m.gear !== null ? [m.gear] : [])));
      if (avg === null) continue;
      if (lowest === null || avg < lowest - 1e-12) {
        lowest = avg;
        names = [s.name];
      } else if (Math.abs(avg - lowest) <= 1e-12) names.push(s.name);
    }
    return { value: lowest, about: names.length > 0 ? names.join(' & ') : null };
  }
  const gear = shareGear(kind)!;
  if (scope.length === 0) return { value: null, about: null };
  return {
    value: (scope.filter((m) => m.gear !== null && m.gear >= gear).length / scope.length) * 100,
    about: null,
  };
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export type TargetStatus = 'gehaald' | 'op-koers' | 'achter' | 'niet-gehaald' | 'onbekend';

export const TARGET_STATUS_NAMES: Record<TargetStatus, string> = {
  gehaald: 'gehaald',
  'op-koers': 'op koers',
  achter: 'achter op schema',
  'niet-gehaald': 'niet gehaald',
  onbekend: 'onbekend',
};

export interface TargetEvaluation {
  /** Whether the current value meets the target; null without a current value. */
  met: boolean | null;
  /** The value the straight line reaches by the target quarter; null when not projected. */
  projected: number | null;
  onTrack: boolean | null;
  status: TargetStatus;
}

const EPSILON = 1e-9;

export function meets(kind: TargetKind, value: number, target: number): boolean {
  return lowerIsBetter(kind) ? value <= target + EPSILON : value >= target - EPSILON;
}

/**
 * Judges a target from its current value (in `current.quarter`) and the value a year before
 * (`earlier`, for the trend). It is decided when `current.quarter` is the target quarter and that
 * quarter is over (`running` false); while it runs, an unmet target is behind, not failed.
 */
export function evaluateTarget(
  target: { kind: TargetKind; value: number; quarter: Quarter },
  current: { quarter: Quarter; value: number | null },
  earlier: { quarter: Quarter; value: number | null } | null,
  options: { running?: boolean } = {},
): TargetEvaluation {
  if (current.value === null) return { met: null, projected: null, onTrack: null, status: 'onbekend' };
  const met = meets(target.kind, current.value, target.value);
  // Decided once the target quarter has come and is over (while it runs, the value can still move).
  const decided =
    current.quarter > target.quarter || (current.quarter === target.quarter && options.running !== true);
  if (decided) return { met, projected: null, onTrack: met, status: met ? 'gehaald' : 'niet-gehaald' };
  if (met) return { met, projected: null, onTrack: true, status: 'gehaald' };
  if (!earlier || earlier.value === null || earlier.quarter >= current.quarter)
    return { met, projected: null, onTrack: false, status: 'achter' };
  const slope =
    (current.value - earlier.value) / (quarterIndex(current.quarter) - quarterIndex(earlier.quarter));
  const projected = current.value + slope * (quarterIndex(target.quarter) - quarterIndex(current.quarter));
  const onTrack = meets(target.kind, projected, target.value);
  return { met, projected, onTrack, status: onTrack ? 'op-koers' : 'achter' };
}

/** A target's value as the pages and the Excel write it ("3,50", "80,00%", "14", "-25,00%"). */
export function formatTargetValue(kind: TargetKind, value: number | null): string {
  if (value === null) return '–';
  if (kind === 'average' || kind === 'sector-minimum') return formatAverage(value);
  if (kind === 'members') return String(Math.round(value));
  if (kind === 'incidents-change') return formatPercent(value);
  return formatShare(value);
}

/** The target in one Dutch line: "aandeel leden in versnelling 3 of hoger ≥ 80% in Q4 2017 (Zorg)". */
export function describeTarget(
  target: { kind: TargetKind; value: number; quarter: Quarter },
  sectorName: string | null,
): string {
  const op = lowerIsBetter(target.kind) ? '≤' : '≥';
  const scope = sectorName ? ` (${sectorName})` : '';
  return `${TARGET_KIND_NAMES[target.kind]} ${op} ${formatTargetValue(target.kind, target.value)} in ${formatQuarter(target.quarter)}${scope}`;
}
