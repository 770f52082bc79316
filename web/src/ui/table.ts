// Tables: a caption, column headers with scope, numbers right-aligned, and on a phone either a
// box that scrolls sideways or a list of cards (app.css: .stack-rows, .stack-cards).
import { type Child, h, uid } from './dom.ts';

export interface Column<T> {
  head: Child;
  cell: (row: T) => Child;
  /** The row's header cell (th scope="row"), the thing the row is about. */
  rowHeader?: boolean;
  /** A number: right-aligned, tabular figures. */
  num?: boolean;
  /** Shown before the value when the table is a list of cards on a phone. */
  label?: string;
  class?: string;
  headClass?: string;
}

/** A table of rows; a column that is null or false is left out (for example an action only some see). */
export function dataTable<T>(options: {
  caption: Child;
  columns: Array<Column<T> | null | false>;
  rows: T[];
  class?: string;
  /** Rows under a rule of their own (<tfoot>), such as the region under the sectors. */
  foot?: HTMLTableRowElement[];
}): HTMLTableElement {
  const columns = options.columns.filter((c): c is Column<T> => !!c);
  const table = h(
    'table',
    { class: options.class },
    h('caption', null, options.caption),
    h(
      'thead',
      null,
      h('tr', null, ...columns.map((c) => h('th', { scope: 'col', class: c.headClass }, c.head))),
    ),
    h('tbody', null, ...options.rows.map((row) => tableRow(columns, row))),
    options.foot ? h('tfoot', null, ...options.foot) : null,
  );
  if (table.classList.contains('stack-rows') || table.classList.contains('stack-cards'))
    keepTableRoles(table);
  return table;
}

/** One row of a table made by dataTable (also for a row drawn again later). */
export function tableRow<T>(
  columns: Array<Column<T>>,
  row: T,
  attrs: Record<string, unknown> = {},
): HTMLElement {
  return h(
    'tr',
    attrs,
    ...columns.map((c) => {
      const cls = [c.num ? 'num' : '', c.class ?? ''].join(' ').trim() || undefined;
      const props = { class: cls, 'data-label': c.label };
      return c.rowHeader ? h('th', { scope: 'row', ...props }, c.cell(row)) : h('td', props, c.cell(row));
    }),
  );
}

/**
 * Tables that turn into a list of cards on a phone keep their table semantics: a table shown as
 * blocks loses them in some browsers unless the roles are set explicitly. Call it again after
 * drawing new rows.
 */
export function keepTableRoles(table: HTMLTableElement): void {
  table.setAttribute('role', 'table');
  const caption = table.querySelector('caption');
  if (caption) {
    caption.id ||= uid('caption');
    table.setAttribute('aria-labelledby', caption.id);
  }
  for (const g of table.querySelectorAll('thead, tbody, tfoot')) g.setAttribute('role', 'rowgroup');
  for (const tr of table.querySelectorAll('tr')) tr.setAttribute('role', 'row');
  for (const th of table.querySelectorAll('thead th')) th.setAttribute('role', 'columnheader');
  for (const th of table.querySelectorAll('tbody th, tfoot th')) th.setAttribute('role', 'rowheader');
  for (const td of table.querySelectorAll('td')) td.setAttribute('role', 'cell');
}

/** Said above a table that is wider than its box (hidden for screen readers: they read every column). */
export const SCROLL_HINT = 'Veeg opzij voor meer kolommen →';

/**
 * A wide table scrolls in its own box, so the page itself never scrolls sideways. Keyboard users
 * reach the box with Tab and scroll it with the arrow keys. While the table is wider than the box
 * and not scrolled to its end, a line above it says so and the box's edge casts a shadow; both go
 * once the last column is in view or when everything fits.
 */
export function scrollBox(label: string, table: HTMLElement, className = ''): HTMLElement {
  const box = h(
    'div',
    { class: `table-scroll ${className}`.trim(), role: 'region', 'aria-label': label, tabindex: 0 },
    table,
  );
  const hint = h('p', { class: 'scroll-hint', hidden: true, 'aria-hidden': 'true' }, SCROLL_HINT);
  const wrap = h('div', { class: 'table-scroll-wrap' }, hint, box);
  watchOverflow(box, hint);
  return wrap;
}

/** Keeps the hint and the edge shadows in step with the box's size and scroll position. */
function watchOverflow(box: HTMLElement, hint: HTMLElement): void {
  const update = () => {
    // A pixel of slack: zoomed pages give fractional widths.
    const more = box.scrollWidth - box.clientWidth > 1;
    const atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
    hint.hidden = !more || atEnd;
    box.classList.toggle('scroll-more-right', more && !atEnd);
    box.classList.toggle('scroll-more-left', more && box.scrollLeft > 1);
  };
  box.addEventListener('scroll', update, { passive: true });
  if (typeof ResizeObserver === 'undefined') return;
  const observer = new ResizeObserver(update);
  observer.observe(box);
  // New rows (a table drawn again) change the table's width, not the box's.
  for (const child of box.children) observer.observe(child);
}
