import { ConflictError, fieldProblem, ValidationError } from '../errors.ts';

function invalidName(message: string): ValidationError {
  return new ValidationError(message, fieldProblem('invalid_name', 'name', message), 'invalid_name');
}

/** True when a text holds control characters (NUL, tabs excepted after tidying, escapes…). */
export function hasControlCharacters(text: string): boolean {
  return /\p{Cc}/u.test(text);
}

/** Tidies a name as typed: Unicode-normalised, trimmed, inner runs of spaces collapsed. */
export function tidyName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** The key two names are compared on: equal keys mean "the same name" (case-insensitive). */
export function nameKey(name: string): string {
  return tidyName(name).toLocaleLowerCase('nl');
}

/**
 * Why a code point may not be in a name: an invisible format character (category Cf), one of
 * those that turns the reading direction, half of a surrogate pair without its other half (the
 * database stores it as invalid bytes), or a noncharacter (U+FFFE and U+FFFF break the export).
 */
export type ForbiddenKind = 'format' | 'direction' | 'surrogate' | 'noncharacter';

export interface ForbiddenCharacter {
  kind: ForbiddenKind;
  codePoint: number;
  /** 1-based position in code points, as a person counts the characters they typed. */
  position: number;
}

const DIRECTION = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
// Emoji modifiers that may stand between a pictograph and the joiner: VS16 and skin tones.
const EMOJI_MODIFIER = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/u;
const BLACK_FLAG = 0x1f3f4;
const TAG_FIRST = 0xe0020;
const TAG_LAST = 0xe007e;
const CANCEL_TAG = 0xe007f;

/** U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+1FFFF, …). */
export function isNoncharacter(codePoint: number): boolean {
  return (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe;
}

/**
 * The first code point of `text` a name may not hold, or null. Two uses of format characters
 * are emoji, not hidden text, and stay allowed: the zero-width joiner between two pictographs
 * (👩‍💻, 🏳️‍🌈) and the tags of a subdivision flag (🏴 + tags + cancel tag).
 */
export function findForbiddenCharacter(text: string): ForbiddenCharacter | null {
  // Noncharacters are unassigned (Cn), lone halves are Cs: one pass finds every candidate.
  if (!/[\p{Cf}\p{Cs}\p{Cn}]/u.test(text)) return null;
  // Iterating a string goes by code points and yields a lone surrogate half on its own.
  const points = Array.from(text);
  const flagTags = emojiTagPositions(points);
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const codePoint = point.codePointAt(0)!;
    const at = (kind: ForbiddenKind): ForbiddenCharacter => ({ kind, codePoint, position: i + 1 });
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) return at('surrogate');
    if (isNoncharacter(codePoint)) return at('noncharacter');
    if (DIRECTION.test(point)) return at('direction');
    if (/\p{Cf}/u.test(point)) {
      if (codePoint === 0x200d && isEmojiJoiner(points, i)) continue;
      if (flagTags.has(i)) continue;
      return at('format');
    }
  }
  return null;
}

/** A zero-width joiner with a pictograph before it (modifiers aside) and one after it. */
function isEmojiJoiner(points: string[], i: number): boolean {
  let before = i - 1;
  while (before >= 0 && EMOJI_MODIFIER.test(points[before]!)) before--;
  const previous = points[before];
  const next = points[i + 1];
  return previous !== undefined && next !== undefined && PICTOGRAPH.test(previous) && PICTOGRAPH.test(next);
}

/** Positions of the tag characters that belong to a flag: 🏴, one or more tags, cancel tag. */
function emojiTagPositions(points: string[]): Set<number> {
  const allowed = new Set<number>();
  for (let i = 0; i < points.length; i++) {
    if (points[i]!.codePointAt(0) !== BLACK_FLAG) continue;
    let end = i + 1;
    while (end < points.length) {
      const cp = points[end]!.codePointAt(0)!;
      if (cp < TAG_FIRST || cp > TAG_LAST) break;
      end++;
    }
    if (end > i + 1 && points[end]?.codePointAt(0) === CANCEL_TAG) {
      for (let t = i + 1; t <= end; t++) allowed.add(t);
    }
  }
  return allowed;
}

function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

// The messages name the character by its code point and place: the character itself would not
// show (or would turn the message around).
const FORBIDDEN_TEXT: Record<ForbiddenKind, string> = {
  format: 'een onzichtbaar teken',
  direction: 'een onzichtbaar teken dat de leesrichting omdraait',
  surrogate: 'een beschadigd teken (een losse helft van een emoji of ander bijzonder teken)',
  noncharacter: 'een teken dat in tekst niet mag voorkomen',
};

/** The plain Dutch refusal of a name with a forbidden character. */
export function forbiddenCharacterMessage(found: ForbiddenCharacter): string {
  return (
    `de naam bevat ${FORBIDDEN_TEXT[found.kind]} (${codePointLabel(found.codePoint)}) ` +
    `op plaats ${found.position}; typ de naam opnieuw zonder dat teken`
  );
}

/**
 * A name as it may be stored: tidied, not empty, not longer than `max`, without control,
 * format, surrogate or noncharacter code points. `what` names the thing in the message
 * ("de organisatie", "de sector").
 */
export function checkName(raw: string, what: string, max: number): string {
  // Checked as typed, before tidying: tidying would turn an inner U+FEFF into a space, and the
  // place in the message must be the place in what the person typed.
  const forbidden = findForbiddenCharacter(raw);
  if (forbidden) throw invalidName(forbiddenCharacterMessage(forbidden));
  const name = tidyName(raw);
  if (hasControlCharacters(name)) {
    throw invalidName('de naam bevat onzichtbare stuurtekens; typ hem opnieuw');
  }
  if (name.length === 0) throw invalidName(`de naam van ${what} is leeg`);
  if (name.length > max) {
    throw invalidName(`de naam van ${what} is langer dan ${max} tekens`);
  }
  return name;
}

/** The refusal of a name that another organisation or sector already has. */
export function duplicateName(what: 'organisatie' | 'sector', name: string): ConflictError {
  const message = `er bestaat al een ${what} met de naam '${name}'`;
  return new ConflictError(message, 'duplicate_name', fieldProblem('duplicate_name', 'name', message));
}
