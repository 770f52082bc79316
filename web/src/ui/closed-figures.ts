// Closed quarters on the report pages: beside a figure of a closed quarter "vastgesteld op … door
// …", or "vastgesteld 3,18 · herzien 3,20 (reden: …)" when it was restated since; and the list of
// restatements with their reasons, who and when. The wording is the domain's, as in the CLI and
// the workbook.
import type { Restatement } from '../../../server/contracts/closing.contract.ts';
import type { MatrixCell } from '../../../server/contracts/report.contract.ts';
import { closedFigureText } from '../../../server/domain/closed-text.ts';
import { h } from './dom.ts';
import { formatAverage, formatDateTime, formatQuarter } from './format.ts';

type Figure = Pick<MatrixCell, 'average' | 'closed'> & { quarter?: string };

/** The latest reason a region's (sectorId null) or sector's figure of `quarter` was restated for. */
function latestReason(
  restatements: readonly Restatement[] | undefined,
  quarter: string,
  sectorId: number | null,
): string | undefined {
  return (restatements ?? []).filter((r) => r.quarter === quarter && r.sectorId === sectorId).at(-1)?.reason;
}

/** "vastgesteld op … door …" or "vastgesteld 3,18 · herzien 3,20 (reden: …)"; empty when open. */
export function closedText(
  figure: Figure | undefined,
  quarter: string,
  restatements?: readonly Restatement[],
  sectorId: number | null = null,
): string {
  if (!figure) return '';
  return closedFigureText(figure.average, figure.closed, latestReason(restatements, quarter, sectorId));
}

/** A short mark under an average in a table: "vastgesteld", or "herzien (vastgesteld 3,18)". */
export function closedMark(figure: Figure | undefined): HTMLElement | null {
  const closed = figure?.closed;
  if (!figure || !closed) return null;
  const restated = closed.average !== figure.average;
  return h(
    'span',
    { class: restated ? 'closed-mark restated' : 'closed-mark' },
    restated ? `herzien (vastgesteld ${formatAverage(closed.average)})` : 'vastgesteld',
  );
}

/** The restatements of the shown quarters, oldest first; nothing when there are none. */
export function restatementsSection(restatements: readonly Restatement[] | undefined): HTMLElement | null {
  if (!restatements || restatements.length === 0) return null;
  return h(
    'section',
    { class: 'restatements', 'aria-labelledby': 'restatements-title' },
    h('h2', { id: 'restatements-title' }, 'Herzieningen na vaststelling'),
    h(
      'p',
      null,
      'Deze cijfers zijn gewijzigd nadat hun kwartaal was vastgesteld. De vastgestelde cijfers blijven bewaard; hieronder staat wat er veranderde en waarom.',
    ),
    h(
      'ul',
      null,
      ...restatements.map((r) =>
        h(
          'li',
          null,
          h(
            'strong',
            null,
            `${formatQuarter(r.quarter as Parameters<typeof formatQuarter>[0])}, ${r.scope === 'regio' ? 'regio' : r.scope}: `,
          ),
          `vastgesteld ${formatAverage(r.closed)} (n = ${r.closedN}) · herzien ${formatAverage(r.restated)} (n = ${r.restatedN}). `,
          `Reden: ${r.reason}. Door ${r.by} op ${formatDateTime(r.at)}.`,
        ),
      ),
    ),
  );
}
