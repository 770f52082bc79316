// Choosing quarters: a select of quarters (newest first) and the "van … tot en met" pair.
import { isQuarter, type Quarter, quarterFromIndex, quarterIndex } from '../../../server/domain/quarter.ts';
import { field, h } from './dom.ts';
import { formatQuarter, quarterOfDate, quarterRange } from './format.ts';

export { isQuarter, type Quarter };

/** The first quarter people can pick. */
export const FIRST_QUARTER: Quarter = '2010-Q1';

export const REVERSED_PERIOD = 'Het eindkwartaal ligt vóór het beginkwartaal. Kies een andere periode.';

export function currentQuarter(): Quarter {
  return quarterOfDate(new Date());
}

/** The quarter `by` quarters later (or earlier, when negative). */
export function shiftQuarter(q: Quarter, by: number): Quarter {
  return quarterFromIndex(quarterIndex(q) + by);
}

/** A quarter from the address (?van=2016-Q4) only when it is one; otherwise null. */
export function askedQuarter(query: URLSearchParams, key: string): Quarter | null {
  const value = query.get(key);
  return value !== null && isQuarter(value) ? value : null;
}

/**
 * A quarter from the address for a report: a later quarter than the current one becomes the
 * current one (the reports refuse the future).
 */
export function askedReportQuarter(query: URLSearchParams, key: string): Quarter | null {
  const asked = askedQuarter(query, key);
  const now = currentQuarter();
  return asked !== null && asked > now ? now : asked;
}

/** The earlier of a quarter and the current one: the last quarter a report may reach. */
export function notAfterNow(q: Quarter): Quarter {
  const now = currentQuarter();
  return q > now ? now : q;
}

/**
 * A select of the quarters from `from` to `to`, newest first, with an optional empty choice on
 * top. The selected quarter is always among the options, also when it lies outside the range.
 */
export function quarterSelect(options: {
  from?: Quarter;
  to?: Quarter;
  selected: Quarter | null;
  empty?: string;
  attrs?: Record<string, unknown>;
  label?: (q: Quarter) => string;
}): HTMLSelectElement {
  const { selected } = options;
  let quarters = quarterRange(options.from ?? FIRST_QUARTER, options.to ?? currentQuarter());
  if (selected && !quarters.includes(selected)) quarters = [...quarters, selected].sort();
  const label = options.label ?? formatQuarter;
  const select = h('select', options.attrs ?? null);
  if (options.empty !== undefined)
    select.append(h('option', { value: '', selected: !selected }, options.empty));
  for (const q of quarters.reverse()) {
    select.append(h('option', { value: q, selected: q === selected }, label(q)));
  }
  return select;
}

/** The quarter chosen in a select made by quarterSelect (null for the empty choice). */
export function selectedQuarter(select: HTMLSelectElement): Quarter | null {
  return isQuarter(select.value) ? select.value : null;
}

/** The "Van" and "Tot en met" selects of a period, from 2010 up to the current quarter. */
export function periodFields(from: Quarter, to: Quarter) {
  const fromSelect = quarterSelect({ selected: from });
  const toSelect = quarterSelect({ selected: to });
  return {
    fromSelect,
    toSelect,
    fields: [field('Van', fromSelect), field('Tot en met', toSelect)],
    /** The chosen period; the end may lie before the start (say REVERSED_PERIOD then). */
    value: () => ({
      from: selectedQuarter(fromSelect) ?? from,
      to: selectedQuarter(toSelect) ?? to,
    }),
  };
}
