import { ValidationError } from '../errors.ts';
import {
  allCriteria,
  allowsNotApplicable,
  type Criterion,
  type Gear,
  type PlacedCriterion,
  type Schakelmodel,
} from './model-types.ts';

export const ANSWER_VALUES = ['ja', 'deels', 'nee', 'nvt'] as const;
export type AnswerValue = (typeof ANSWER_VALUES)[number];

export interface Answer {
  answer: AnswerValue;
  note: string | null;
}

/** Answers of one quickscan, by criterion key. */
export type Answers = Record<string, Answer>;

export const MAX_NOTE_LENGTH = 2000;

/**
 * `ja` and `nvt` (not applicable, with a reason) count as met; `deels` is progress, not met.
 * Whether a criterion allows `nvt` at all is `isMetFor`'s business.
 */
export function isMet(answer: Answer | undefined): boolean {
  return answer !== undefined && (answer.answer === 'ja' || answer.answer === 'nvt');
}

export interface AnswerProblem {
  code: 'answer_missing' | 'answer_invalid' | 'criterion_unknown' | 'note_required';
  criterion: string;
  message: string;
}

/**
 * Checks raw answers against a model and returns them normalised. Accepts per criterion a
 * bare value (`"ja"`) or `{ answer, note }`. None may be unknown, `nvt` needs a reason and is
 * refused where the criterion does not allow it, and every criterion must be answered, except,
 * in a model with `unansweredAboveFirstGap`, those of gears above the first gap (see
 * `mustAnswerThrough`). Lists every problem at once, not only the first.
 */
export function validateAnswers(model: Schakelmodel, raw: unknown): Answers {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError(
      'antwoorden moeten een object zijn met per criterium "ja", "deels", "nee" of "nvt"',
      undefined,
      'invalid_answers',
    );
  }
  const input = raw as Record<string, unknown>;
  const criteria = allCriteria(model);
  const known = new Set(criteria.map((c) => c.key));
  const problems: AnswerProblem[] = [];
  const answers: Answers = {};

  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      problems.push({
        code: 'criterion_unknown',
        criterion: key,
        message: `criterium '${key}' bestaat niet in ${model.name} versie ${model.version}`,
      });
    }
  }
  const read = new Map<string, Answer | string>();
  for (const { key } of criteria) {
    if (Object.hasOwn(input, key)) read.set(key, readAnswer(input[key]));
  }
  const readable: Answers = {};
  for (const [key, parsed] of read) if (typeof parsed !== 'string') readable[key] = parsed;
  const through = mustAnswerThrough(model, readable);

  for (const c of criteria) {
    const { key } = c;
    const parsed = read.get(key);
    if (parsed === undefined) {
      if (c.gear <= through) {
        problems.push({
          code: 'answer_missing',
          criterion: key,
          message: `criterium '${key}' is niet beantwoord`,
        });
      }
      continue;
    }
    if (typeof parsed === 'string') {
      problems.push({ code: 'answer_invalid', criterion: key, message: `criterium '${key}': ${parsed}` });
      continue;
    }
    if (parsed.answer === 'nvt' && !allowsNotApplicable(c)) {
      problems.push({
        code: 'answer_invalid',
        criterion: key,
        message: `criterium '${key}': bij dit criterium kan niet "nvt" (niet van toepassing) worden gekozen; kies "ja", "deels" of "nee"`,
      });
      continue;
    }
    if (parsed.answer === 'nvt' && parsed.note === null) {
      problems.push({
        code: 'note_required',
        criterion: key,
        message: `criterium '${key}': bij "nvt" (niet van toepassing) hoort een korte toelichting waarom`,
      });
      continue;
    }
    answers[key] = parsed;
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => p.message);
    const more = problems.length > 5 ? `; en nog ${problems.length - 5}` : '';
    const summary =
      problems.length === 1
        ? shown[0]!
        : `${problems.length} problemen met de antwoorden: ${shown.join('; ')}${more}`;
    throw new ValidationError(summary, { problems }, 'invalid_answers');
  }
  return answers;
}

/** Whether an answer meets this criterion: `ja`, or `nvt` where the criterion allows it. */
export function isMetFor(criterion: Criterion, answer: Answer | undefined): boolean {
  return isMet(answer) && (answer?.answer !== 'nvt' || allowsNotApplicable(criterion));
}

/**
 * The highest gear whose criteria must all be answered. With the model's rule
 * `unansweredAboveFirstGap` that is the first gear with a criterion not met by the answers so
 * far (unanswered, `deels`, `nee`, or `nvt` where it is not allowed); the criteria of the gears
 * above it may stay open and count as not met. Without the rule, or without a gap, it is 5.
 */
export function mustAnswerThrough(model: Schakelmodel, answers: Partial<Answers>): Gear {
  if (model.unansweredAboveFirstGap !== true) return 5;
  const gap = model.gears.find((g) => g.gear > 1 && g.criteria.some((c) => !isMetFor(c, answers[c.key])));
  return gap?.gear ?? 5;
}

function readAnswer(value: unknown): Answer | string {
  let answer: unknown = value;
  let note: unknown = null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const extra = Object.keys(obj).filter((k) => k !== 'answer' && k !== 'note');
    if (extra.length > 0) return `onbekend veld '${extra[0]}' (alleen "answer" en "note")`;
    answer = obj.answer;
    note = obj.note ?? null;
  }
  if (
    typeof answer !== 'string' ||
    !(ANSWER_VALUES as readonly string[]).includes(answer.trim().toLowerCase())
  ) {
    return `antwoord ${JSON.stringify(answer ?? null)} is ongeldig; kies "ja", "deels", "nee" of "nvt"`;
  }
  if (note !== null && typeof note !== 'string') return 'de toelichting moet tekst zijn';
  const trimmed = typeof note === 'string' ? note.trim() : '';
  if (trimmed.length > MAX_NOTE_LENGTH) return `de toelichting is langer dan ${MAX_NOTE_LENGTH} tekens`;
  return { answer: answer.trim().toLowerCase() as AnswerValue, note: trimmed === '' ? null : trimmed };
}

export interface GearCheck {
  gear: Gear;
  name: string;
  met: string[];
  partial: string[];
  unmet: string[];
  complete: boolean;
}

export interface Progress {
  met: number;
  total: number;
}

export interface Evaluation {
  gear: Gear;
  /** For gears 2–5: which criteria are met, partly met (`deels`) and not met. */
  gears: GearCheck[];
  /** Every met criterion of the model, in model order. */
  met: string[];
  /** The unmet criteria of gear + 1; empty at gear 5. */
  nextSteps: PlacedCriterion[];
  /** Met criteria of gear + 1 against its total; null at gear 5. */
  progress: Progress | null;
}

/**
 * The schakelmodel's rule: gears are cumulative, so the gear is the highest g for which
 * every criterion of gears 2..g is met. Gear 1 is the floor. A missing answer is not met, and
 * neither is `nvt` where the criterion does not allow it.
 */
export function evaluate(model: Schakelmodel, answers: Answers): Evaluation {
  const gears: GearCheck[] = model.gears
    .filter((g) => g.gear > 1)
    .map((g) => {
      const met: string[] = [];
      const partial: string[] = [];
      const unmet: string[] = [];
      for (const c of g.criteria) {
        const a = answers[c.key];
        if (isMetFor(c, a)) met.push(c.key);
        else {
          unmet.push(c.key);
          if (a?.answer === 'deels') partial.push(c.key);
        }
      }
      return { gear: g.gear, name: g.name, met, partial, unmet, complete: unmet.length === 0 };
    });

  let gear: Gear = 1;
  for (const check of gears) {
    if (!check.complete) break;
    gear = check.gear;
  }
  return {
    gear,
    gears,
    met: gears.flatMap((g) => g.met),
    ...stepsTowards(model, gear, (c) => isMetFor(c, answers[c.key])),
  };
}

/**
 * What a directly recorded gear (import or manual entry, no answers) implies: the criteria of
 * gears up to it count as met, every criterion of the next gear is still a step to take.
 */
export function evaluateRecordedGear(model: Schakelmodel, gear: Gear): Evaluation {
  const gears: GearCheck[] = model.gears
    .filter((g) => g.gear > 1)
    .map((g) => {
      const keys = g.criteria.map((c) => c.key);
      const reached = g.gear <= gear;
      return {
        gear: g.gear,
        name: g.name,
        met: reached ? keys : [],
        partial: [],
        unmet: reached ? [] : keys,
        complete: reached,
      };
    });
  const metKeys = new Set(gears.flatMap((g) => g.met));
  return { gear, gears, met: [...metKeys], ...stepsTowards(model, gear, (c) => metKeys.has(c.key)) };
}

function stepsTowards(
  model: Schakelmodel,
  gear: Gear,
  met: (criterion: Criterion) => boolean,
): { nextSteps: PlacedCriterion[]; progress: Progress | null } {
  const next = model.gears.find((g) => g.gear === gear + 1);
  if (!next) return { nextSteps: [], progress: null };
  const steps = next.criteria.filter((c) => !met(c)).map((c) => ({ ...c, gear: next.gear }));
  return {
    nextSteps: steps,
    progress: { met: next.criteria.length - steps.length, total: next.criteria.length },
  };
}

/** A gear given as number: whole, 1 to 5. */
export function parseGear(value: unknown): Gear {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 5) {
    throw new ValidationError(
      `${JSON.stringify(value ?? null)} is geen versnelling: kies een heel getal van 1 tot 5`,
      undefined,
      'invalid_gear',
    );
  }
  return n as Gear;
}
