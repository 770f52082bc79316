import type { AnswerValue } from './gear-engine.ts';
import { allCriteria, type Gear, type Schakelmodel } from './model-types.ts';
import { formatQuarter, type Quarter } from './quarter.ts';

/**
 * Why did the gear move: which criteria changed answer between two quickscans (met → not met and
 * back). Pure: the service reads the two quickscans behind the gears, the change history diffs a
 * revision's before and after, and both ask these functions.
 */

/** An answer as the diff reads it: one of the four, or null when there is none (unanswered, or no answers at all). */
export type DiffAnswer = AnswerValue | null;

/** The answers of one side as stored or sent: a bare value or `{ answer }` per criterion. */
export type AnswerSource = Readonly<Record<string, AnswerValue | { answer: AnswerValue } | null | undefined>>;

/** One side of a diff: the model its answers belong to (null when unknown) and the answers (null: none). */
export interface DiffSide {
  model: Schakelmodel | null;
  answers: AnswerSource | null;
}

/** A criterion of the union of both models, in model order. */
export interface UnionCriterion {
  key: string;
  /** The later model's text when both have it; null for a key neither model knows. */
  text: string | null;
  gear: Gear | null;
}

export interface CriterionDiff extends UnionCriterion {
  from: DiffAnswer;
  to: DiffAnswer;
  fromMet: boolean;
  toMet: boolean;
  /** True when the answer differs (a met criterion can change from `ja` to `nvt` and stay met). */
  changed: boolean;
}

/** `ja` and `nvt` count as met; `deels`, `nee` and no answer do not. */
export function isMetAnswer(answer: DiffAnswer): boolean {
  return answer === 'ja' || answer === 'nvt';
}

/** What a change did to the criterion's state. */
export type MetChange = 'now_met' | 'no_longer_met' | 'still_met' | 'still_unmet';

export function metChange(d: Pick<CriterionDiff, 'fromMet' | 'toMet'>): MetChange {
  if (d.fromMet === d.toMet) return d.toMet ? 'still_met' : 'still_unmet';
  return d.toMet ? 'now_met' : 'no_longer_met';
}

/** "nu voldaan", "niet meer voldaan", "nog steeds voldaan", "nog steeds niet voldaan". */
export const MET_CHANGE_TEXT: Record<MetChange, string> = {
  now_met: 'nu voldaan',
  no_longer_met: 'niet meer voldaan',
  still_met: 'nog steeds voldaan',
  still_unmet: 'nog steeds niet voldaan',
};

function answerOf(answers: AnswerSource | null, key: string): DiffAnswer {
  const value = answers?.[key];
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.answer;
}

const byKey = new Intl.Collator('nl', { numeric: true });

/**
 * Every criterion of both models once, in model order: the later model's criteria as it orders
 * them, and each criterion only the earlier model has right after the one it followed there.
 */
export function criteriaUnion(earlier: Schakelmodel | null, later: Schakelmodel | null): UnionCriterion[] {
  const place = (c: { key: string; text: string; gear: Gear }): UnionCriterion => ({
    key: c.key,
    text: c.text,
    gear: c.gear,
  });
  const result: UnionCriterion[] = later ? allCriteria(later).map(place) : [];
  const seen = new Set(result.map((c) => c.key));
  let after = -1; // insert after this index of `result`
  for (const c of earlier ? allCriteria(earlier) : []) {
    if (seen.has(c.key)) {
      after = result.findIndex((r) => r.key === c.key);
      continue;
    }
    result.splice(after + 1, 0, place(c));
    seen.add(c.key);
    after += 1;
  }
  return result;
}

/**
 * Per criterion of both models (and any answered key neither model knows, at the end), the answer
 * before and after and whether it was met. A side that is null or has no answers reads as
 * unanswered throughout.
 */
export function diffAnswers(from: DiffSide | null, to: DiffSide | null): CriterionDiff[] {
  const union = criteriaUnion(from?.model ?? null, to?.model ?? null);
  const known = new Set(union.map((c) => c.key));
  const strays = [...new Set([...Object.keys(from?.answers ?? {}), ...Object.keys(to?.answers ?? {})])]
    .filter((key) => !known.has(key))
    .sort(byKey.compare);
  const rows = [...union, ...strays.map((key) => ({ key, text: null, gear: null }))];
  return rows.map((c) => {
    const a = answerOf(from?.answers ?? null, c.key);
    const b = answerOf(to?.answers ?? null, c.key);
    return { ...c, from: a, to: b, fromMet: isMetAnswer(a), toMet: isMetAnswer(b), changed: a !== b };
  });
}

/** Only the criteria whose answer differs. */
export function changedCriteria(from: DiffSide | null, to: DiffSide | null): CriterionDiff[] {
  return diffAnswers(from, to).filter((d) => d.changed);
}

// ---------------------------------------------------------------------------------------------
// The explanation in plain Dutch

/** Where a gear came from: a quickscan with answers, or recorded directly (import or by hand). */
export type GearOrigin = 'quickscan' | 'import' | 'manual';

/** The gear of one quarter and the entry behind it, as the explanation needs it. */
export interface GearSideFacts {
  quarter: Quarter;
  member: boolean;
  entry: {
    recordedIn: Quarter;
    gear: number;
    origin: GearOrigin;
    model: { id: string; version: number } | null;
  } | null;
}

const ORIGIN_TEXT: Record<Exclude<GearOrigin, 'quickscan'>, string> = {
  import: 'import',
  manual: 'handmatig',
};

function noGearText(side: GearSideFacts): string {
  const q = formatQuarter(side.quarter);
  return side.member
    ? `In ${q} had de organisatie nog geen versnelling: er was in die lidmaatschapsperiode nog geen quickscan.`
    : `In ${q} was de organisatie geen lid van het netwerk, en had ze dus geen versnelling.`;
}

function recordedText(side: GearSideFacts, origin: 'import' | 'manual', recordedIn: Quarter): string {
  const q = formatQuarter(side.quarter);
  const how = `rechtstreeks vastgelegd (${ORIGIN_TEXT[origin]})`;
  return recordedIn === side.quarter
    ? `Geen antwoorden: de versnelling in ${q} is ${how}.`
    : `Geen antwoorden: de versnelling in ${q} is in ${formatQuarter(recordedIn)} ${how} en doorgeschoven.`;
}

function changesText(changes: readonly CriterionDiff[], from: Quarter, to: Quarter): string {
  const between = `tussen de quickscan van ${formatQuarter(from)} en die van ${formatQuarter(to)}`;
  if (changes.length === 0) return `Geen enkel antwoord veranderde ${between}.`;
  const gained = changes.filter((c) => metChange(c) === 'now_met').length;
  const lost = changes.filter((c) => metChange(c) === 'no_longer_met').length;
  const parts = [
    gained > 0 ? `${gained} nu voldaan` : null,
    lost > 0 ? `${lost} niet meer voldaan` : null,
  ].filter((p) => p !== null);
  const n = changes.length;
  const what = `${n} ${n === 1 ? 'antwoord' : 'antwoorden'}`;
  return `${between[0]!.toUpperCase()}${between.slice(1)} ${n === 1 ? 'veranderde' : 'veranderden'} ${what}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/**
 * Why the two gears differ, in a few plain Dutch sentences: a quarter without a gear (not a member,
 * or no quickscan yet), a gear recorded without answers (import or by hand), the same quickscan
 * carried into both quarters, or how many answers changed; and a note when the two quickscans were
 * answered against different model versions.
 */
export function explainGearDiff(
  from: GearSideFacts,
  to: GearSideFacts,
  changes: readonly CriterionDiff[],
): string {
  const a = from.entry;
  const b = to.entry;
  if (a && b && a.recordedIn === b.recordedIn) {
    const where = formatQuarter(a.recordedIn);
    const noAnswers = a.origin === 'quickscan' ? '' : `${recordedText(from, a.origin, a.recordedIn)} `;
    const same = a.origin === 'quickscan' ? 'dezelfde quickscan' : 'dezelfde versnelling';
    return from.quarter === to.quarter
      ? `${noAnswers}Hetzelfde kwartaal: er is niets te vergelijken (versnelling ${a.gear} uit ${where}).`
      : `${noAnswers}Beide kwartalen hebben ${same} (uit ${where}, doorgeschoven): er veranderde niets.`;
  }
  const sentences: string[] = [];
  for (const side of [from, to]) {
    const entry = side.entry;
    if (entry === null) sentences.push(noGearText(side));
    else if (entry.origin !== 'quickscan') sentences.push(recordedText(side, entry.origin, entry.recordedIn));
  }
  if (a?.origin === 'quickscan' && b?.origin === 'quickscan') {
    sentences.push(changesText(changes, a.recordedIn, b.recordedIn));
    if (a.model && b.model && (a.model.id !== b.model.id || a.model.version !== b.model.version)) {
      sentences.push(
        `Let op: de quickscans zijn afgenomen met verschillende versies van het schakelmodel (${a.model.id} versie ${a.model.version} en ${b.model.id} versie ${b.model.version}); een criterium dat in één versie ontbreekt, telt daar als niet beantwoord.`,
      );
    }
  } else if (changes.length > 0) {
    const answered = a?.origin === 'quickscan' ? a : b;
    if (answered) {
      sentences.push(
        `Daarom staat elk antwoord van de quickscan van ${formatQuarter(answered.recordedIn)} als verschil in de lijst.`,
      );
    }
  }
  return [...new Set(sentences)].join(' ');
}
