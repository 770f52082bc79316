import {
  type Employees,
  type EmployeesInput,
  INCIDENT_FIELDS,
  INCIDENT_KINDS,
  type IncidentField,
  type IncidentFigures,
  type IncidentFiguresInput,
  type OrganisationIncidents,
} from '../contracts/incident.contract.ts';
import { listOpenClosings } from '../db/repositories/closings.repository.ts';
import {
  FIGURE_COLUMNS,
  type FigureColumn,
  type FigureValues,
  findEmployees,
  findIncidentFigures,
  insertEmployees,
  insertIncidentFigures,
  listEmployees,
  listIncidentFigures,
  updateEmployees,
  updateIncidentFigures,
} from '../db/repositories/incidents.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import type { EmployeesRow, IncidentFiguresRow } from '../db/schema.ts';
import { employeesForYear } from '../domain/incident-report.ts';
import { formatQuarter, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import { describePeriod, isMemberIn } from '../domain/timeline.ts';
import { ConflictError, fieldProblem, RuleError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { requireTimeline } from './timeline.service.ts';
import { inTransaction } from './transaction.ts';
import { assertMaySee } from './visibility.ts';

/** Each API figure and its column. */
const COLUMN_OF: Record<IncidentField, FigureColumn> = Object.fromEntries(
  INCIDENT_FIELDS.map((f, i) => [f, FIGURE_COLUMNS[i]!]),
) as Record<IncidentField, FigureColumn>;

type Figures = Record<IncidentField, number | null>;

function figuresOf(row: IncidentFiguresRow | undefined): Figures {
  return Object.fromEntries(INCIDENT_FIELDS.map((f) => [f, row ? row[COLUMN_OF[f]] : null])) as Figures;
}

/** The registered incidents: the sum of the kinds that were registered; null when none was. */
export function incidentsOf(figures: Figures): number | null {
  const registered = INCIDENT_KINDS.map((k) => figures[k]).filter((v) => v !== null);
  return registered.length === 0 ? null : registered.reduce((a, b) => a + b, 0);
}

function toFigures(
  organisationId: number,
  quarter: Quarter,
  row: IncidentFiguresRow | undefined,
): IncidentFigures {
  const figures = figuresOf(row);
  return {
    organisationId,
    quarter,
    ...figures,
    incidents: incidentsOf(figures),
    version: row?.version ?? 0,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}

function toEmployees(row: EmployeesRow): Employees {
  return {
    organisationId: row.organisation_id,
    year: row.year,
    employees: row.employees,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** An organisation's incident figures (every quarter with something registered) and employees per year. */
export async function organisationIncidents(
  ctx: ServiceContext,
  organisationId: number,
  period: { from?: Quarter | undefined; to?: Quarter | undefined } = {},
): Promise<OrganisationIncidents> {
  assertMaySee(ctx, organisationId);
  const org = await requireOrganisation(ctx, organisationId);
  const [rows, employees] = await Promise.all([
    listIncidentFigures(ctx.db, organisationId, period),
    listEmployees(ctx.db, organisationId),
  ]);
  return {
    id: org.id,
    name: org.name,
    quarters: rows.map((r) => toFigures(organisationId, r.quarter, r)),
    employees: employees.map(toEmployees),
  };
}

/** The figures of one quarter; version 0 and every figure null when nothing is registered. */
export async function incidentFiguresAt(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
): Promise<IncidentFigures> {
  assertMaySee(ctx, organisationId);
  await requireOrganisation(ctx, organisationId);
  return toFigures(organisationId, quarter, await findIncidentFigures(ctx.db, organisationId, quarter));
}

/** Refuses a write into a closed quarter: its figures are frozen, as the gears are. */
async function assertOpen(ctx: ServiceContext, quarters: readonly Quarter[], what: string): Promise<void> {
  const closed = (await listOpenClosings(ctx.db)).map((c) => c.quarter).filter((q) => quarters.includes(q));
  if (closed.length === 0) return;
  const names = closed.map(formatQuarter).join(', ');
  const message = `${names} ${closed.length === 1 ? 'is' : 'zijn'} vastgesteld: ${what} liggen daarmee vast. De projectleider kan het kwartaal heropenen (Kwartalen) als ze echt moeten veranderen.`;
  throw new ConflictError(message, 'quarter_closed', fieldProblem('quarter_closed', 'quarter', message));
}

/**
 * Refuses a number of employees for `year` that would change the rate of a closed quarter of
 * another year: a year without its own number borrows the nearest one (employeesForYear), so a
 * closed quarter's rate must not move because a neighbouring year's number is entered or changed.
 */
async function assertBorrowersOpen(
  ctx: ServiceContext,
  organisationId: number,
  year: number,
  employees: number,
): Promise<void> {
  const closed = (await listOpenClosings(ctx.db)).map((c) => c.quarter);
  if (closed.length === 0) return;
  const registered = await listIncidentFigures(ctx.db, organisationId);
  const affected = registered
    .map((r) => r.quarter)
    .filter((q) => closed.includes(q) && Number(q.slice(0, 4)) !== year);
  if (affected.length === 0) return;
  const before = new Map((await listEmployees(ctx.db, organisationId)).map((e) => [e.year, e.employees]));
  const after = new Map(before).set(year, employees);
  const moved = affected.filter((q) => {
    const y = Number(q.slice(0, 4));
    return employeesForYear(before, y) !== employeesForYear(after, y);
  });
  if (moved.length === 0) return;
  const names = moved.map(formatQuarter).join(', ');
  const message = `${names} ${moved.length === 1 ? 'is' : 'zijn'} vastgesteld en ${moved.length === 1 ? 'rekent' : 'rekenen'} met het aantal medewerkers van een ander jaar; dit aantal zou ${moved.length === 1 ? 'dat cijfer' : 'die cijfers'} veranderen. Leg eerst het aantal van het jaar van ${moved.length === 1 ? 'dat kwartaal' : 'die kwartalen'} vast, of heropen ${moved.length === 1 ? 'het' : 'ze'} (Kwartalen).`;
  throw new ConflictError(message, 'quarter_closed', fieldProblem('quarter_closed', 'employees', message));
}

/** What a label is in Dutch: the figures (plural) or the number of employees (singular). */
type Label = { text: string; plural: boolean };

function changedMeanwhile(label: Label, current?: number): ConflictError {
  const [is, it] = label.plural ? ['zijn', 'ze'] : ['is', 'het'];
  const now = current === undefined ? '' : ` (nu versie ${current})`;
  return new ConflictError(
    `${label.text} ${is} intussen gewijzigd${now}; laad ${it} opnieuw en probeer het nog eens`,
    'version_conflict',
    current === undefined ? undefined : { currentVersion: current },
  );
}

/**
 * Refuses a write made from another version than the stored one (`stored` undefined: nothing
 * stored yet, version 0); changing what is stored needs the version it was read at.
 */
function checkVersion(label: Label, stored: number | undefined, expected: number | undefined): void {
  if (stored !== undefined && expected === undefined) {
    const [is, it] = label.plural ? ['zijn', 'ze'] : ['is', 'het'];
    throw new ConflictError(
      `${label.text} ${is} al vastgelegd (versie ${stored}); wijzig ${it} met expectedVersion ${stored}`,
      'version_conflict',
      { currentVersion: stored },
    );
  }
  if (expected !== undefined && expected !== (stored ?? 0)) throw changedMeanwhile(label, stored ?? 0);
}

/**
 * Records the figures of one quarter as given: a figure left out (or null) is "not registered".
 * With `keep` the figures left out keep their stored value (the CLI records only what it is
 * given). Changing figures that exist needs the version they were read at (`expectedVersion`),
 * except with `keep`, which reads it itself. All figures empty leaves nothing registered (the row
 * stays, with its version, so an older read cannot overwrite later figures). The
 * organisatie role may do this for its own organisation only (the route and assertMaySee).
 */
export async function recordIncidentFigures(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
  input: IncidentFiguresInput,
  options: { keep?: boolean } = {},
): Promise<{ figures: IncidentFigures; created: boolean }> {
  assertMaySee(ctx, organisationId);
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const org = await requireOrganisation(tx, organisationId);
    const current = quarterOfDate(ctx.now());
    if (quarter > current) {
      const message = `${formatQuarter(quarter)} ligt in de toekomst; cijfers kunnen tot en met ${formatQuarter(current)} worden vastgelegd`;
      throw new RuleError(message, 'future_quarter', fieldProblem('future_quarter', 'quarter', message));
    }
    const timeline = await requireTimeline(trx, organisationId);
    const clearing =
      INCIDENT_FIELDS.every((f) => input[f] === undefined || input[f] === null) && !options.keep;
    // Emptying is allowed outside the membership too: figures left behind by a changed period can go.
    if (!clearing && !isMemberIn(timeline, quarter)) {
      const periods = timeline.memberships.map(describePeriod).join(', ') || 'geen';
      throw new RuleError(
        `'${org.name}' was in ${formatQuarter(quarter)} geen lid van het netwerk (lid: ${periods}); cijfers horen bij een kwartaal van het lidmaatschap`,
        'not_a_member',
      );
    }
    await assertOpen(tx, [quarter], 'de incidentcijfers van dat kwartaal');
    const existing = await findIncidentFigures(trx, organisationId, quarter);
    const before = figuresOf(existing);
    const after = Object.fromEntries(
      INCIDENT_FIELDS.map((f) => [f, input[f] !== undefined ? input[f] : options.keep ? before[f] : null]),
    ) as Figures;
    const label = { text: `De incidentcijfers van '${org.name}' in ${formatQuarter(quarter)}`, plural: true };
    checkVersion(label, existing?.version, options.keep ? (existing?.version ?? 0) : input.expectedVersion);
    const unchanged = INCIDENT_FIELDS.every((f) => after[f] === before[f]);
    if (unchanged) return { figures: toFigures(organisationId, quarter, existing), created: false };
    const values = Object.fromEntries(INCIDENT_FIELDS.map((f) => [COLUMN_OF[f], after[f]])) as FigureValues;
    const at = ctx.now().toISOString();
    // Emptied figures keep their row (all null) and its version goes on counting: a save made from
    // an older read is then refused, also after the quarter was emptied and filled in again.
    const row = existing
      ? await updateIncidentFigures(trx, existing.id, existing.version, { ...values, at, by: ctx.actor })
      : await insertIncidentFigures(trx, { organisationId, quarter, ...values, at, by: ctx.actor });
    if (!row) throw changedMeanwhile(label);
    const had = INCIDENT_FIELDS.some((f) => before[f] !== null);
    const has = INCIDENT_FIELDS.some((f) => after[f] !== null);
    await insertRevision(trx, {
      entity: 'incident_figures',
      entityId: row.id,
      organisationId,
      quarter,
      action: !had ? 'create' : has ? 'update' : 'delete',
      before: had ? before : null,
      after: has ? after : null,
      actor: ctx.actor,
      at,
    });
    return { figures: toFigures(organisationId, quarter, row), created: !existing };
  });
}

/**
 * Records an organisation's employees with a public task in a year (the rates' denominator).
 * Refused while a quarter of that year is closed (it would change that quarter's rates).
 */
export async function recordEmployees(
  ctx: ServiceContext,
  organisationId: number,
  year: number,
  input: EmployeesInput,
  options: { keep?: boolean } = {},
): Promise<{ employees: Employees; created: boolean }> {
  assertMaySee(ctx, organisationId);
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const org = await requireOrganisation(tx, organisationId);
    const currentYear = Number(quarterOfDate(ctx.now()).slice(0, 4));
    if (year > currentYear) {
      const message = `${year} ligt in de toekomst; vul het aantal medewerkers in tot en met ${currentYear}`;
      throw new RuleError(message, 'future_quarter', fieldProblem('future_quarter', 'year', message));
    }
    await assertOpen(
      tx,
      ([1, 2, 3, 4] as const).map((n) => `${year}-Q${n}` as Quarter),
      `de incidentcijfers van ${year} en het aantal medewerkers waarmee ze worden gewogen`,
    );
    const existing = await findEmployees(trx, organisationId, year);
    const label = { text: `Het aantal medewerkers van '${org.name}' in ${year}`, plural: false };
    checkVersion(label, existing?.version, options.keep ? (existing?.version ?? 0) : input.expectedVersion);
    if (existing && existing.employees === input.employees)
      return { employees: toEmployees(existing), created: false };
    await assertBorrowersOpen(tx, organisationId, year, input.employees);
    const at = ctx.now().toISOString();
    const row = existing
      ? await updateEmployees(trx, existing.id, existing.version, {
          employees: input.employees,
          at,
          by: ctx.actor,
        })
      : await insertEmployees(trx, { organisationId, year, employees: input.employees, at, by: ctx.actor });
    if (!row) throw changedMeanwhile(label);
    await insertRevision(trx, {
      entity: 'employees',
      entityId: row.id,
      organisationId,
      quarter: null,
      action: existing ? 'update' : 'create',
      before: existing ? { year, employees: existing.employees } : null,
      after: { year, employees: row.employees },
      actor: ctx.actor,
      at,
    });
    return { employees: toEmployees(row), created: !existing };
  });
}
