import { formatAverage, formatPercent } from './format.ts';
import { formatQuarter, type Quarter } from './quarter.ts';
import {
  averageOf,
  type GearState,
  gearTimelines,
  type MemberOrganisation,
  percentChange,
} from './report.ts';
import { roundHalfAway } from './rounding.ts';
import { sectorIn } from './timeline.ts';

/**
 * Like-for-like change: between two quarters the network's composition changes (the real region
 * grew from about 40 to 76 members), so the change of the average mixes improvement with joiners
 * and leavers. These functions separate them, for one scope (the region or one sector) at a time.
 */

/**
 * The gears counted in one scope in one quarter, by organisation id: the organisations that were
 * members with a gear then (and, for a sector, in that sector then), carried-forward gears included.
 */
export type ScopeGears = ReadonlyMap<number, number>;

/** The change over the organisations counted in both quarters. */
export interface LikeForLike {
  /** How many organisations are counted in both quarters. */
  n: number;
  /** Their average gear in the first quarter, unrounded; null when n is 0. */
  from: number | null;
  /** Their average gear in the second quarter, unrounded; null when n is 0. */
  to: number | null;
  /** (to − from) / from × 100; null when it cannot be computed. */
  changePercent: number | null;
}

/** One change split three ways; `continuing + joiners + leavers` is `total` (up to float error). */
export interface ChangeSplit {
  total: number;
  /** The change of the organisations counted in both quarters. */
  continuing: number;
  /** What the organisations counted only in the second quarter add. */
  joiners: number;
  /** What the organisations counted only in the first quarter took along when they went. */
  leavers: number;
}

/** The change of a scope's average gear from quarter A to B, split into its three sources. */
export interface ChangeParts {
  /** In gear points: `total` is avg_B(all) − avg_A(all). */
  points: ChangeSplit;
  /** The same as percentages of avg_A(all): `total` is the scope's percentage change. */
  percent: ChangeSplit;
  /** Counted in both quarters; only in B (joiners); only in A (leavers). */
  n: { continuing: number; joiners: number; leavers: number };
}

/** The gears of `gears` whose organisation is (or is not, when `present` is false) in `other`, in `gears`' order. */
function gearsBy(gears: ScopeGears, other: ScopeGears, present: boolean): number[] {
  const result: number[] = [];
  for (const [id, gear] of gears) if (other.has(id) === present) result.push(gear);
  return result;
}

/** Averages over the same organisations in both quarters: those counted in `from` and in `to`. */
export function likeForLike(from: ScopeGears, to: ScopeGears): LikeForLike {
  const a = averageOf(gearsBy(from, to, true));
  const b = averageOf(gearsBy(to, from, true));
  return { n: a.n, from: a.average, to: b.average, changePercent: percentChange(a.average, b.average) };
}

/**
 * The change of the average from `from` to `to` split into: continuing = avg_B(continuing) −
 * avg_A(continuing), joiners = avg_B(all) − avg_B(continuing), leavers = avg_A(continuing) −
 * avg_A(all); they add up to avg_B(all) − avg_A(all). Null when no organisation is counted in both
 * quarters (so also when either has none), or when avg_A(all) is 0 (no percentage then).
 */
export function changeParts(from: ScopeGears, to: ScopeGears): ChangeParts | null {
  const allA = averageOf([...from.values()]).average;
  const allB = averageOf([...to.values()]).average;
  const continuing = likeForLike(from, to);
  if (continuing.n === 0 || allA === null || allB === null || allA === 0) return null;
  const points: ChangeSplit = {
    total: allB - allA,
    continuing: continuing.to! - continuing.from!,
    joiners: allB - continuing.to!,
    leavers: continuing.from! - allA,
  };
  const share = (part: number) => (part / allA) * 100;
  return {
    points,
    percent: {
      total: percentChange(allA, allB)!,
      continuing: share(points.continuing),
      joiners: share(points.joiners),
      leavers: share(points.leavers),
    },
    n: {
      continuing: continuing.n,
      joiners: to.size - continuing.n,
      leavers: from.size - continuing.n,
    },
  };
}

/** The scopes of one quarter: the region, and each sector by the sector its organisations had then. */
export interface QuarterScopes {
  region: Map<number, number>;
  /** By sector id; a sector without gears in the quarter is missing. */
  sectors: Map<number, Map<number, number>>;
}

/**
 * The gears counted in `quarter`, per scope, from gear states as {@link GearCarrier.next} gives
 * them (or one quarter of {@link gearTimelines}): `states[k]` is that of `organisations[k]`, null
 * where it counts nowhere. The report's tally counts the same organisations in the same scopes.
 */
export function scopeGearsIn(
  organisations: readonly MemberOrganisation[],
  states: ReadonlyArray<GearState | null>,
  quarter: Quarter,
): QuarterScopes {
  const region = new Map<number, number>();
  const sectors = new Map<number, Map<number, number>>();
  organisations.forEach((org, k) => {
    const state = states[k];
    if (!state) return;
    region.set(org.id, state.gear);
    const sectorId = sectorIn(org, quarter);
    let sector = sectors.get(sectorId);
    if (!sector) {
      sector = new Map();
      sectors.set(sectorId, sector);
    }
    sector.set(org.id, state.gear);
  });
  return { region, sectors };
}

// What the board reads (Dutch, kept together).

/** "verbetering" or "verslechtering" by the sign the figure is shown with. */
function direction(percent: number): string {
  const shown = roundHalfAway(percent, 2);
  return shown > 0 ? 'verbetering' : shown < 0 ? 'verslechtering' : 'verandering';
}

/**
 * The split as a board reads it: "Van de +27,04% tussen Q4 2015 en Q4 2016 komt +10,21% door
 * verbetering bij organisaties die in beide kwartalen een versnelling hadden (n = 38), +18,12% door
 * organisaties die erbij kwamen (38) en -1,29% door organisaties die wegvielen (2)." Each figure
 * is rounded on its own, so the three shown may differ from the total shown by 0,01.
 */
export function describeChangeParts(parts: ChangeParts | null, from: Quarter, to: Quarter): string {
  const period = `tussen ${formatQuarter(from)} en ${formatQuarter(to)}`;
  if (parts === null) {
    return `De verandering ${period} is niet uit te splitsen: geen organisatie had in beide kwartalen een versnelling.`;
  }
  const { percent, n } = parts;
  return (
    `Van de ${formatPercent(percent.total)} ${period} komt ` +
    `${formatPercent(percent.continuing)} door ${direction(percent.continuing)} bij organisaties ` +
    `die in beide kwartalen een versnelling hadden (n = ${n.continuing}), ` +
    `${formatPercent(percent.joiners)} door organisaties die erbij kwamen (${n.joiners}) en ` +
    `${formatPercent(percent.leavers)} door organisaties die wegvielen (${n.leavers}).`
  );
}

/**
 * The like-for-like change as a board reads it: "Organisaties met een versnelling in zowel Q4 2015
 * als Q4 2016 (n = 38): gemiddeld van 3,18 naar 3,50 (+10,06%)."
 */
export function describeLikeForLike(change: LikeForLike, from: Quarter, to: Quarter): string {
  const both = `zowel ${formatQuarter(from)} als ${formatQuarter(to)}`;
  if (change.n === 0) return `Geen organisatie had een versnelling in ${both}.`;
  return (
    `Organisaties met een versnelling in ${both} (n = ${change.n}): gemiddeld van ` +
    `${formatAverage(change.from)} naar ${formatAverage(change.to)} (${formatPercent(change.changePercent)}).`
  );
}

/** Like-for-like change and its parts for one scope. */
export interface ScopeComparison {
  likeForLike: LikeForLike;
  changeParts: ChangeParts | null;
}

/**
 * Like-for-like change and the split of the change for the region and every sector between two
 * quarters, from the gear states of every organisation in both (`states[k]` belongs to
 * `organisations[k]`, as GearCarrier or the summary's query give them). An organisation counts in
 * a sector's scope in a quarter only if it was in that sector then.
 */
export function compareStates(
  organisations: readonly MemberOrganisation[],
  from: { quarter: Quarter; states: ReadonlyArray<GearState | null> },
  to: { quarter: Quarter; states: ReadonlyArray<GearState | null> },
): { region: ScopeComparison; sectors: Map<number, ScopeComparison> } {
  const a = scopeGearsIn(organisations, from.states, from.quarter);
  const b = scopeGearsIn(organisations, to.states, to.quarter);
  const compare = (x: ScopeGears, y: ScopeGears): ScopeComparison => ({
    likeForLike: likeForLike(x, y),
    changeParts: changeParts(x, y),
  });
  const empty: ScopeGears = new Map();
  const sectors = new Map<number, ScopeComparison>();
  for (const id of new Set([...a.sectors.keys(), ...b.sectors.keys()])) {
    sectors.set(id, compare(a.sectors.get(id) ?? empty, b.sectors.get(id) ?? empty));
  }
  return { region: compare(a.region, b.region), sectors };
}

/**
 * "de versnellingen komen uit quickscans van VPT-schakelmodel versie 1 (12) en versie 2 (30)":
 * said when a report's gears come from more than one model version, whose criteria differ.
 */
export function modelMixText(
  versions: ReadonlyArray<{ name: string; version: number; quickscans: number }>,
): string {
  const parts = versions.map((v) => `${v.name} versie ${v.version} (${v.quickscans})`);
  const listed = parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} en ${parts.at(-1)}`;
  return `de versnellingen komen uit quickscans van verschillende modelversies: ${listed}; hun criteria verschillen`;
}
