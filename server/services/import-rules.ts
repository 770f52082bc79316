import {
  MAX_YEAR,
  MIN_YEAR,
  nextQuarter,
  previousQuarter,
  type Quarter,
  quarterRange,
} from '../domain/quarter.ts';
import {
  isMemberIn,
  type MembershipPeriod,
  normaliseSectors,
  type SectorPeriod,
  sectorIn,
} from '../domain/timeline.ts';
import type { ImportPeriod } from '../excel/prestatielijst-reader.ts';

/**
 * The pure rules of the prestatielijst import: which sector names look alike, and what a list
 * says about an organisation's membership periods and sector history once it is laid over what
 * the database holds. No I/O: import.service.ts reads, decides with these, and writes.
 */

// ---------------------------------------------------------------------------------------------
// Sector names that look alike

/** A sector name compared loosely: without diacritics, case and runs of spaces. */
export function looseKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl').replace(/\s+/g, ' ').trim();
}

/** The number of single-letter insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = row;
  }
  return previous[y.length]!;
}

/** Names shorter than this (loosely) are only alike when equal: "Bouw" and "Zorg" must not collide. */
export const MIN_LETTERS_FOR_TYPOS = 4;
/** At most this many letters apart counts as a typo ("Zorgg" for "Zorg"). */
export const MAX_TYPO_DISTANCE = 2;

/**
 * The existing sector a new sector name looks like, or null: equal ignoring case, spaces and
 * diacritics ("Woningbouwcoöperaties"), or within two letters of it when both have at least four
 * ("Zorgg"). The closest wins; between equally close ones the first in Dutch order.
 */
export function similarSector(name: string, existing: readonly string[]): string | null {
  const key = looseKey(name);
  let best: { name: string; distance: number } | null = null;
  for (const candidate of existing) {
    const other = looseKey(candidate);
    const distance =
      other === key
        ? 0
        : [...key].length >= MIN_LETTERS_FOR_TYPOS && [...other].length >= MIN_LETTERS_FOR_TYPOS
          ? editDistance(key, other)
          : Number.POSITIVE_INFINITY;
    if (distance > MAX_TYPO_DISTANCE) continue;
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance && candidate.localeCompare(best.name, 'nl') < 0)
    ) {
      best = { name: candidate, distance };
    }
  }
  return best?.name ?? null;
}

// ---------------------------------------------------------------------------------------------
// The quarters a list speaks for

/**
 * The quarters a list speaks for: from its first to its last quarter column (a list without
 * quarter columns speaks for the current quarter). A list that reaches the current quarter also
 * decides what holds after it (`open`): nothing after it has happened yet.
 */
export interface ListWindow {
  first: Quarter;
  last: Quarter;
  open: boolean;
}

export function listWindow(quarters: readonly Quarter[], current: Quarter): ListWindow {
  const first = quarters[0] ?? current;
  const last = quarters[quarters.length - 1] ?? current;
  return { first, last, open: last >= current };
}

const before = (q: Quarter): Quarter | null => (q === `${MIN_YEAR}-Q1` ? null : previousQuarter(q));
const after = (q: Quarter): Quarter | null => (q === `${MAX_YEAR}-Q4` ? null : nextQuarter(q));
const min = (a: Quarter | null, b: Quarter | null) => (a === null ? b : b === null || a <= b ? a : b);
const max = (a: Quarter, b: Quarter | null) => (b !== null && b > a ? b : a);

// ---------------------------------------------------------------------------------------------
// Membership periods

/** The parts of `periods` within [from, until] (null: no bound), cut at the bounds. */
function clip(
  periods: readonly MembershipPeriod[],
  from: Quarter | null,
  until: Quarter | null,
): MembershipPeriod[] {
  const result: MembershipPeriod[] = [];
  for (const p of periods) {
    const start = from !== null && p.from < from ? from : p.from;
    const end = until === null ? p.until : p.until === null || p.until > until ? until : p.until;
    if (end === null || start <= end) result.push({ from: start, until: end });
  }
  return result;
}

/** The period that holds `q`, or the first one after it (undefined when none). */
function periodFrom(periods: readonly MembershipPeriod[], q: Quarter): MembershipPeriod | undefined {
  return periods.find((p) => p.until === null || p.until >= q);
}

/** The period that holds `q`, or the last one before it (undefined when none). */
function periodUntil(periods: readonly MembershipPeriod[], q: Quarter): MembershipPeriod | undefined {
  return [...periods].reverse().find((p) => p.from <= q);
}

/**
 * The periods of a row's `Lid sinds` / `Lid tot` cells with every end the list leaves open filled
 * in, as a list has always meant it: a blank `Lid sinds` is the first gear (or, for an existing
 * organisation, the start of its period at `Lid tot`); a blank `Lid tot` of a single period keeps
 * an existing organisation's end (widened to the last gear) and is open for a new one.
 * `old` is null for a new organisation.
 */
export function resolvePeriods(
  file: readonly ImportPeriod[],
  old: readonly MembershipPeriod[] | null,
  gearQuarters: readonly Quarter[],
  fallbackFrom: Quarter,
): MembershipPeriod[] {
  const firstGear = gearQuarters[0] ?? null;
  const lastGear = gearQuarters[gearQuarters.length - 1] ?? null;
  return file.map((p) => {
    let from = p.from;
    if (from === null) {
      const until = p.until === 'open' ? null : p.until;
      const near = old && until ? (periodUntil(old, until)?.from ?? null) : null;
      from = min(near, firstGear) ?? fallbackFrom;
    }
    let until: Quarter | null;
    if (p.until === 'open') until = null;
    else if (p.until !== null) until = p.until;
    else {
      const near = old ? periodFrom(old, from) : undefined;
      until = near?.until ? max(near.until, lastGear) : null;
    }
    return { from, until };
  });
}

/**
 * An existing organisation's periods after an import: what the list says within the quarters it
 * speaks for, what the database holds outside them (an import never rewrites another quarter). A
 * period the list says runs on across an edge joins the one the database has there.
 */
export function overlayMemberships(
  old: readonly MembershipPeriod[],
  file: readonly MembershipPeriod[],
  window: ListWindow,
): MembershipPeriod[] {
  const end = window.open ? null : window.last;
  const beforeEdge = before(window.first);
  const afterEdge = end === null ? null : after(end);
  const head = beforeEdge === null ? [] : clip(old, null, beforeEdge);
  const inside = clip(file, window.first, end);
  const tail = afterEdge === null ? [] : clip(old, afterEdge, null);
  const runsIn = file.some((p) => p.from < window.first && (p.until === null || p.until >= window.first));
  const runsOn = end !== null && file.some((p) => p.from <= end && (p.until === null || p.until > end));
  const lastHead = head[head.length - 1];
  const firstInside = inside[0];
  if (
    runsIn &&
    lastHead &&
    firstInside &&
    lastHead.until === beforeEdge &&
    firstInside.from === window.first
  ) {
    head.pop();
    inside[0] = { from: lastHead.from, until: firstInside.until };
  }
  const lastInside = inside[inside.length - 1];
  const firstTail = tail[0];
  if (runsOn && lastInside && firstTail && lastInside.until === end && firstTail.from === afterEdge) {
    tail.shift();
    inside[inside.length - 1] = { from: lastInside.from, until: firstTail.until };
  }
  return [...head, ...inside, ...tail];
}

/**
 * An existing organisation's periods widened just enough to cover the quarters of its gears in a
 * list that says nothing about its membership: a gear before every period moves the first one's
 * start, any other the end of the period before it.
 */
export function widenMemberships(
  old: readonly MembershipPeriod[],
  gearQuarters: readonly Quarter[],
): MembershipPeriod[] {
  const periods = old.map((p) => ({ ...p }));
  for (const q of gearQuarters) {
    if (isMemberIn({ memberships: periods }, q)) continue;
    const earlier = [...periods].reverse().find((p) => p.from <= q);
    if (earlier) earlier.until = q;
    else if (periods[0]) periods[0].from = q;
    else periods.push({ from: q, until: q });
  }
  return periods;
}

export function samePeriods(a: readonly MembershipPeriod[], b: readonly MembershipPeriod[]): boolean {
  return a.length === b.length && a.every((p, i) => p.from === b[i]!.from && p.until === b[i]!.until);
}

// ---------------------------------------------------------------------------------------------
// Sector history

/**
 * The quarters of the list a row puts its organisation in a sector: a row with a period after
 * the name its stretch, a plain row of an existing organisation the quarters from its first gear
 * (or the list's start) on, a plain row of a new one all of them. Null: no bound.
 */
export interface SectorClaim {
  sectorId: number;
  from: Quarter | null;
  until: Quarter | null;
}

/**
 * The sector history after an import. In each quarter of the list in which the organisation is a
 * member, the sector of the row that covers it; like a move, that sector then holds on (also
 * after the list and through a gap in the membership) until the next quarter the list covers or
 * the next sector change the history already had. Elsewhere the old history stays. `old` is as
 * stored; the result is `old` itself when no quarter changes.
 */
export function planSectorHistory(
  old: readonly SectorPeriod[],
  claims: readonly SectorClaim[],
  memberships: readonly MembershipPeriod[],
  window: ListWindow,
): readonly SectorPeriod[] {
  const assigned = new Map<Quarter, number>();
  for (const q of quarterRange(window.first, window.last)) {
    if (!isMemberIn({ memberships }, q)) continue;
    const claim = claims.find((c) => covers(c, q));
    if (claim) assigned.set(q, claim.sectorId);
  }
  const firstAssigned = assigned.keys().next().value;
  if (firstAssigned === undefined) return old;
  const changes = new Set(old.map((s) => s.from));
  const start = min(old[0]!.from, firstAssigned)!;
  const end = max(window.last, old[old.length - 1]!.from);
  const history: SectorPeriod[] = [];
  let painted: number | null = null;
  let differs = false;
  let q: Quarter | null = start;
  for (; q !== null; q = q > end ? null : after(q)) {
    const own = assigned.get(q);
    if (own !== undefined) painted = own;
    else if (changes.has(q)) painted = null;
    const sectorId = own ?? painted ?? sectorIn({ sectors: old }, q);
    if (sectorId !== sectorIn({ sectors: old }, q)) differs = true;
    if (history[history.length - 1]?.sectorId !== sectorId) history.push({ sectorId, from: q });
  }
  return differs ? normaliseSectors(history) : old;
}

/** A change of sector as the import report lists it. */
export interface SectorMove {
  from: number;
  to: number;
  fromQuarter: Quarter;
}

/**
 * The moves an import makes: each quarter from the list's start on where the sector history now
 * changes differently than it did, with the sector the organisation comes from (the one just
 * before in the new history, or the one it had there before the import) and the one it goes to.
 */
export function sectorMoves(
  old: readonly SectorPeriod[],
  next: readonly SectorPeriod[],
  window: ListWindow,
): SectorMove[] {
  const moves: SectorMove[] = [];
  const last = [...old, ...next].reduce((m, s) => max(m, s.from), window.last);
  const startBefore = before(window.first);
  let previousNew = startBefore === null ? null : sectorIn({ sectors: next }, startBefore);
  let previousDiffered = false;
  let q: Quarter | null = window.first;
  for (; q !== null; q = q > last ? null : after(q)) {
    const was = sectorIn({ sectors: old }, q);
    const now = sectorIn({ sectors: next }, q);
    const differs = was !== now;
    const turns = previousNew !== null && previousNew !== now;
    if ((differs && (!previousDiffered || turns)) || (!differs && previousDiffered && turns)) {
      moves.push({ from: turns ? previousNew! : was, to: now, fromQuarter: q });
    }
    previousNew = now;
    previousDiffered = differs;
  }
  return moves;
}

const covers = (claim: SectorClaim, q: Quarter) =>
  (claim.from === null || claim.from <= q) && (claim.until === null || q <= claim.until);

/**
 * The history a new organisation starts with, before {@link planSectorHistory} lays the list
 * over it: the sector of its first quarter in the list, from the start of its membership.
 */
export function initialHistory(
  claims: readonly SectorClaim[],
  memberships: readonly MembershipPeriod[],
  window: ListWindow,
): SectorPeriod[] {
  const first = quarterRange(window.first, window.last).find(
    (q) => isMemberIn({ memberships }, q) && claims.some((c) => covers(c, q)),
  );
  const claim = (first && claims.find((c) => covers(c, first))) ?? claims[0]!;
  return [{ sectorId: claim.sectorId, from: memberships[0]?.from ?? window.first }];
}
