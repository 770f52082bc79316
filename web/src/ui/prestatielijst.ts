// The prestatielijst download: a normal link to the Excel file of a period, no script needed.
import type { Quarter } from '../../../server/domain/quarter.ts';
import { h } from './dom.ts';
import { formatQuarter } from './format.ts';

export function prestatielijstHref(from: Quarter, to: Quarter): string {
  return `/api/reports/prestatielijst.xlsx?from=${from}&to=${to}`;
}

/** "Download de prestatielijst Q4 2015 – Q4 2016 (Excel)", styled as a button. */
export function prestatielijstLink(from: Quarter, to: Quarter, text: string): HTMLAnchorElement {
  return h(
    'a',
    { class: 'button', href: prestatielijstHref(from, to), download: `prestatielijst-${from}-${to}.xlsx` },
    `${text} ${formatQuarter(from)} – ${formatQuarter(to)} (Excel)`,
  );
}
