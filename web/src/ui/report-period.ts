// The period the report pages open with, one rule for all of them, so "% t.o.v." means the same
// everywhere: this quarter against the same quarter a year earlier.
import { currentQuarter, type Quarter, shiftQuarter } from './quarter-select.ts';

export function defaultReportPeriod(to: Quarter = currentQuarter()): { from: Quarter; to: Quarter } {
  return { from: shiftQuarter(to, -4), to };
}
