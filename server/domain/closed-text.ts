import { formatDate } from './date-format.ts';
import { formatAverage } from './format.ts';

// How a closed figure reads beside the current one, in the CLI, the pages and the workbook alike.
// Kept apart from closing.ts so that the pages can use it without the report maths.

/** A closed figure as a report shows it beside the current one. */
export interface ClosedNote {
  average: number | null;
  closedAt: string;
  closedBy: string;
}

/**
 * What a reader sees beside a figure of a closed quarter: "vastgesteld op 3 december 2026 door
 * P. Leider" when it still holds, "vastgesteld 3,18 · herzien 3,20 (reden: …)" when it was
 * restated since. Empty for a quarter that is not closed.
 */
export function closedFigureText(
  current: number | null,
  closed: ClosedNote | null | undefined,
  latestReason?: string,
): string {
  if (!closed) return '';
  if (closed.average === current) {
    return `vastgesteld op ${formatDate(closed.closedAt)} door ${closed.closedBy}`;
  }
  const why = latestReason ? ` (reden: ${latestReason})` : '';
  return `vastgesteld ${formatAverage(closed.average)} · herzien ${formatAverage(current)}${why}`;
}
