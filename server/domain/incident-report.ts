/**
 * The incident maths of issue 12 (0-meting against a later period), free of I/O.
 *
 * - An organisation's **rate** is its registered incidents per 100 employees with a public task
 *   **per year**: the incidents of its registered quarters over its employee-years in those
 *   quarters (each registered quarter adds a quarter of that year's employees). A baseline of a
 *   whole year and a period of one quarter are so compared fairly; a quarter without figures
 *   ("not registered") adds neither incidents nor employee-years, it is never read as 0.
 * - The employees of a quarter are those recorded for its year; for a year without a number, the
 *   latest earlier year's (carried forward), else the first later year's. An organisation without
 *   any number has no rate: its figures cannot count.
 * - A **group** (the region, a sector) compares only the organisations with figures in both the
 *   baseline and the period (`both`); the others are counted (`onlyBaseline`, `onlyPeriod`) and
 *   never mixed in. A quarter's figures count in the sector the organisation had in that quarter.
 * - The change is (rate of the period − rate of the baseline) / rate of the baseline × 100, over
 *   the unrounded sums; null when either rate cannot be computed or the baseline rate is 0.
 */
import type { IncidentField } from './incidents.ts';
import { type Quarter, quarterIndex } from './quarter.ts';

/** One organisation's registered incidents in one quarter, with its sector in that quarter. */
export interface IncidentRecord {
  organisationId: number;
  quarter: Quarter;
  /** Sector id in that quarter. */
  sectorId: number;
  /** The sum of the registered kinds; null when nothing was registered (not 0). */
  incidents: number | null;
}

export interface EmployeesRecord {
  organisationId: number;
  year: number;
  employees: number;
}

export interface Period {
  from: Quarter;
  to: Quarter;
}

export interface IncidentTotals {
  /** Registered incidents of the organisations compared. */
  incidents: number;
  /** Their employees with a public task: per organisation the mean over its registered quarters, summed. */
  employees: number;
  /** Employee-years behind the rate (a registered quarter is a quarter of its year's employees). */
  employeeYears: number;
  /** Registered organisation-quarters. */
  quarters: number;
  /** Incidents per 100 employees per year; null without employee-years. */
  per100: number | null;
}

export interface IncidentComparison {
  baseline: IncidentTotals;
  period: IncidentTotals;
  changePercent: number | null;
  organisations: {
    both: number;
    onlyBaseline: number;
    onlyPeriod: number;
    /** With incidents in either period but no number of employees at all: they cannot count. */
    withoutEmployees: number;
  };
}

/** An organisation's figures in one period, as far as they can count. */
interface OrgPeriod {
  incidents: number;
  employeeQuarters: number;
  quarters: number;
}

/** The employees for a year: its own number, else carried forward, else the first later one. */
export function employeesForYear(byYear: ReadonlyMap<number, number>, year: number): number | null {
  const own = byYear.get(year);
  if (own !== undefined) return own;
  let earlier: number | null = null;
  let earlierYear = -Infinity;
  let later: number | null = null;
  let laterYear = Infinity;
  for (const [y, n] of byYear) {
    if (y < year && y > earlierYear) {
      earlierYear = y;
      earlier = n;
    } else if (y > year && y < laterYear) {
      laterYear = y;
      later = n;
    }
  }
  return earlier ?? later;
}

function within(q: Quarter, p: Period): boolean {
  return q >= p.from && q <= p.to;
}

/** The incidents per 100 employees per year of a sum; null without employee-years. */
export function ratePer100(incidents: number, employeeYears: number): number | null {
  return employeeYears > 0 ? (incidents / employeeYears) * 100 : null;
}

/** The change in percent from `a` to `b`; null when it cannot be computed (a missing or 0). */
export function rateChange(a: number | null, b: number | null): number | null {
  if (a === null || b === null || a === 0) return null;
  return ((b - a) / a) * 100;
}

function totals(parts: readonly OrgPeriod[]): IncidentTotals {
  let incidents = 0;
  let employeeQuarters = 0;
  let employees = 0;
  let quarters = 0;
  for (const p of parts) {
    incidents += p.incidents;
    employeeQuarters += p.employeeQuarters;
    employees += p.employeeQuarters / p.quarters;
    quarters += p.quarters;
  }
  const employeeYears = employeeQuarters / 4;
  return {
    incidents,
    employees: Math.round(employees),
    employeeYears,
    quarters,
    per100: ratePer100(incidents, employeeYears),
  };
}

/** Per organisation its countable figures in a period, for the records that pass `keep`. */
function perOrganisation(
  records: readonly IncidentRecord[],
  employees: ReadonlyMap<number, ReadonlyMap<number, number>>,
  period: Period,
  keep: (r: IncidentRecord) => boolean,
  withoutEmployees: Set<number>,
): Map<number, OrgPeriod> {
  const result = new Map<number, OrgPeriod>();
  for (const r of records) {
    if (r.incidents === null || !within(r.quarter, period) || !keep(r)) continue;
    const byYear = employees.get(r.organisationId);
    const n = byYear ? employeesForYear(byYear, Number(r.quarter.slice(0, 4))) : null;
    if (n === null) {
      withoutEmployees.add(r.organisationId);
      continue;
    }
    const entry = result.get(r.organisationId) ?? { incidents: 0, employeeQuarters: 0, quarters: 0 };
    entry.incidents += r.incidents;
    entry.employeeQuarters += n;
    entry.quarters += 1;
    result.set(r.organisationId, entry);
  }
  return result;
}

/** Employees per organisation and year, for {@link compareIncidents}. */
export function employeesIndex(records: readonly EmployeesRecord[]): Map<number, Map<number, number>> {
  const index = new Map<number, Map<number, number>>();
  for (const r of records) {
    let byYear = index.get(r.organisationId);
    if (!byYear) {
      byYear = new Map();
      index.set(r.organisationId, byYear);
    }
    byYear.set(r.year, r.employees);
  }
  return index;
}

/**
 * The baseline against the period for one group: the records that `keep` admits (all: the region;
 * a sector's quarters: that sector), compared over the organisations with figures in both.
 */
export function compareIncidents(input: {
  records: readonly IncidentRecord[];
  employees: ReadonlyMap<number, ReadonlyMap<number, number>>;
  baseline: Period;
  period: Period;
  keep?: (r: IncidentRecord) => boolean;
}): IncidentComparison {
  const keep = input.keep ?? (() => true);
  const withoutEmployees = new Set<number>();
  const before = perOrganisation(input.records, input.employees, input.baseline, keep, withoutEmployees);
  const after = perOrganisation(input.records, input.employees, input.period, keep, withoutEmployees);
  const both = [...before.keys()].filter((id) => after.has(id));
  const baseline = totals(both.map((id) => before.get(id)!));
  const period = totals(both.map((id) => after.get(id)!));
  return {
    baseline,
    period,
    changePercent: rateChange(baseline.per100, period.per100),
    organisations: {
      both: both.length,
      onlyBaseline: before.size - both.length,
      onlyPeriod: after.size - both.length,
      withoutEmployees: withoutEmployees.size,
    },
  };
}

/** The number of quarters of a period (both ends included). */
export function periodLength(p: Period): number {
  return quarterIndex(p.to) - quarterIndex(p.from) + 1;
}

/** The region's incident figures in one quarter: each figure summed over the organisations that registered it. */
export interface QuarterIncidentTotals {
  quarter: Quarter;
  /** Member organisations with anything registered in the quarter. */
  organisations: number;
  figures: Record<IncidentField, number | null>;
  incidents: number | null;
}
