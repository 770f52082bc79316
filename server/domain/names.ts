import { ValidationError } from '../errors.ts';

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
 * A name as it may be stored: tidied, not empty, not longer than `max`, without control
 * characters. `what` names the thing in the message ("de organisatie", "de sector").
 */
export function checkName(raw: string, what: string, max: number): string {
  const name = tidyName(raw);
  if (hasControlCharacters(name)) {
    throw new ValidationError(
      'de naam bevat onzichtbare stuurtekens; typ hem opnieuw',
      undefined,
      'invalid_name',
    );
  }
  if (name.length === 0) throw new ValidationError(`de naam van ${what} is leeg`, undefined, 'invalid_name');
  if (name.length > max) {
    throw new ValidationError(`de naam van ${what} is langer dan ${max} tekens`, undefined, 'invalid_name');
  }
  return name;
}
