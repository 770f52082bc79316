// What a refused request was about, read from the error's details: every problem with its code
// and the field (path), criterion or cell it concerns. Pages place errors by these, never by
// the wording of the message.
import type { Problem } from '../../../server/contracts/errors.contract.ts';

export type { Problem };

/**
 * The problems of an API error (an ApiError), or of the same check done here by the domain before
 * sending (its errors carry the same details); empty for anything else.
 */
export function problemsOf(err: unknown): Problem[] {
  if (!(err instanceof Error) || !('details' in err)) return [];
  const details = err.details as { problems?: unknown } | undefined;
  if (!Array.isArray(details?.problems)) return [];
  return details.problems.filter(
    (p): p is Problem =>
      typeof p === 'object' && p !== null && typeof p.code === 'string' && typeof p.message === 'string',
  );
}
