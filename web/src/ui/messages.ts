// The server writes its messages in lower case without a full stop, so they also fit in the
// middle of a sentence ("Niet opgeslagen: …"). On their own, the pages show them as sentences.
import { ApiError } from '../api.ts';

/** "de naam bestaat al" → "De naam bestaat al." (a sentence that already ends stays as it is). */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toLocaleUpperCase('nl') + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** The server's message for an API error, or the page's own words for anything else. */
export function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError ? sentence(err.message) : fallback;
}
