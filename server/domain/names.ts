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
 * A name as it may be stored: tidied, not empty, not longer than `max`, without control
 * characters. `what` names the thing in the message ("de organisatie", "de sector").
 */
export function checkName(raw: string, what: string, max: number): string {
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
