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
