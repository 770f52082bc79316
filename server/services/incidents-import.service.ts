import { INCIDENT_FIELDS, type IncidentField } from '../contracts/incident.contract.ts';
import type { IncidentsImportReport } from '../contracts/incidents-import.contract.ts';
import { listOpenClosings } from '../db/repositories/closings.repository.ts';
import {
  FIGURE_COLUMNS,
  findEmployees,
  findIncidentFigures,
} from '../db/repositories/incidents.repository.ts';
import { findOrganisation, findOrganisationByKey } from '../db/repositories/organisations.repository.ts';
import { nameKey } from '../domain/names.ts';
import { formatQuarter, type Quarter } from '../domain/quarter.ts';
import { AppError, RuleError, ValidationError } from '../errors.ts';
import type { IncidentsImportRow, ParsedIncidents } from '../excel/incidents-reader.ts';
import { MAX_LISTED_ERRORS, ProblemList } from '../excel/prestatielijst-reader.ts';
import type { ServiceContext } from './context.ts';
import { recordEmployees, recordIncidentFigures } from './incidents.service.ts';

/** How to import: `dryRun` does all the work and rolls it back. */
export interface IncidentsImportOptions {
  dryRun: boolean;
  /** Ends the import (rolled back) when aborted, e.g. when the server stops. */
  signal?: AbortSignal | undefined;
}

/** The longest the import keeps the event loop before letting other requests in. */
const SLICE_MS = 20;

/** Every `SLICE_MS` yields to the event loop, and throws when `signal` is aborted. */
function pacer(signal: AbortSignal | undefined): () => Promise<void> {
  let since = performance.now();
  return async () => {
    signal?.throwIfAborted();
    if (performance.now() - since < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    since = performance.now();
  };
}

/** An organisation as the file names it, resolved. */
interface Resolved {
  id: number;
  name: string;
}

/** The column names of the file, for the problems. */
interface Columns {
  organisation: string;
  id: string;
  quarter: string;
  employees: string;
  figures: Record<IncidentField, string>;
}

/**
 * The organisation a row names: by name (as stored, compared as the prestatielijst import
 * compares names) or by id, and when both, the two must be the same. Null (with a problem) when
 * it cannot be found.
 */
async function resolveOrganisation(
  ctx: ServiceContext,
  row: IncidentsImportRow,
  columns: Columns,
  problems: ProblemList,
  cache: Map<string, Resolved | null>,
): Promise<Resolved | null> {
  const lookup = async (key: string, find: () => Promise<{ id: number; name: string } | undefined>) => {
    if (!cache.has(key)) {
      const found = await find();
      cache.set(key, found ? { id: found.id, name: found.name } : null);
    }
    return cache.get(key)!;
  };
  const byName =
    row.name === null
      ? null
      : await lookup(`name:${nameKey(row.name)}`, () => findOrganisationByKey(ctx.db, nameKey(row.name!)));
  const byId = row.id === null ? null : await lookup(`id:${row.id}`, () => findOrganisation(ctx.db, row.id!));
  let failed = false;
  if (row.name !== null && byName === null) {
    problems.add(
      row.row,
      columns.organisation,
      `'${row.name}' is geen bekende organisatie; schrijf de naam zoals hij in de applicatie staat, of voeg de organisatie eerst toe`,
    );
    failed = true;
  }
  if (row.id !== null && byId === null) {
    problems.add(row.row, columns.id, `er is geen organisatie met id ${row.id}`);
    failed = true;
  }
  if (failed) return null;
  if (byName && byId && byName.id !== byId.id) {
    problems.add(
      row.row,
      columns.id,
      `id ${row.id} is '${byId.name}', niet '${row.name}' uit de kolom ${columns.organisation}; maak ze gelijk of laat een van beide leeg`,
    );
    return null;
  }
  return byName ?? byId;
}

/** The column a refusal of the incidents service is about. */
function columnOf(err: AppError, columns: Columns, employees: boolean): string | null {
  if (employees) return columns.employees;
  return ['future_quarter', 'not_a_member', 'quarter_closed'].includes(err.code) ? columns.quarter : null;
}

function refusal(problems: ProblemList, parseErrors: number): AppError {
  const listed = [...problems.items].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const n = problems.count;
  const summary =
    n === 1
      ? listed[0]!.message
      : `${n} fouten gevonden${n > MAX_LISTED_ERRORS ? `; de eerste ${MAX_LISTED_ERRORS} staan in de lijst` : ''}`;
  const message = `het bestand is niet ingelezen en er is niets opgeslagen: ${summary}`;
  const details = { problems: listed, problemCount: n };
  // A file that cannot be read right is bad input (400); a readable file the rules refuse is 422.
  return parseErrors > 0
    ? new ValidationError(message, details, 'import_invalid')
    : new RuleError(message, 'import_invalid', details);
}

const sameFigures = (a: Record<IncidentField, number | null>, b: Record<IncidentField, number | null>) =>
  INCIDENT_FIELDS.every((f) => a[f] === b[f]);

/**
 * Imports a read file of incident figures: each row's figures replace that quarter's figures (an
 * empty cell: not registered), and the employees of a row are recorded for the quarter's year,
 * all through the incidents service (its rules, its history). All or nothing: one transaction;
 * any problem anywhere leaves the database as it was and lists every problem (`import_invalid`,
 * `details.problems`). A dry run does the same work and rolls it back. Figures already stored as
 * the file gives them are counted unchanged, also in a closed quarter: re-importing a file that
 * covers closed quarters is refused only where it would change them.
 */
export async function importIncidentFigures(
  ctx: ServiceContext,
  parsed: ParsedIncidents,
  options: IncidentsImportOptions,
): Promise<IncidentsImportReport> {
  const problems = new ProblemList(parsed.errors, parsed.errorCount);
  const figures = { created: 0, updated: 0, unchanged: 0 };
  const employees = { created: 0, updated: 0, unchanged: 0 };
  const organisations = new Set<number>();
  const pace = pacer(options.signal);
  const given = parsed.columns;
  const columns: Columns = {
    organisation: given?.organisation ?? 'Organisatie',
    id: given?.id ?? 'Id',
    quarter: given?.quarter ?? 'Kwartaal',
    employees: given?.employees ?? 'Medewerkers',
    figures: given?.figures ?? (Object.fromEntries(INCIDENT_FIELDS.map((f) => [f, f])) as Columns['figures']),
  };
  const trx = await ctx.db.startTransaction().execute();
  try {
    // The service writes inside this one transaction (inTransaction joins it): all or nothing.
    const tx: ServiceContext = { ...ctx, db: trx };
    const closed = new Set((await listOpenClosings(trx)).map((c) => c.quarter));
    const cache = new Map<string, Resolved | null>();
    const seen = new Map<string, number>();
    /** Per organisation and year: the rows with employees, the first one's number and count. */
    const years = new Map<string, { org: Resolved; year: number; row: number; employees: number }>();
    const written: Array<{ row: IncidentsImportRow; org: Resolved }> = [];

    for (const row of parsed.rows) {
      const org = await resolveOrganisation(tx, row, columns, problems, cache);
      if (!org) continue;
      organisations.add(org.id);
      const key = `${org.id}/${row.quarter}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.add(
          row.row,
          columns.quarter,
          `'${org.name}' staat voor ${formatQuarter(row.quarter)} al in rij ${earlier}; geef elke organisatie één rij per kwartaal`,
        );
        continue;
      }
      seen.set(key, row.row);
      if (row.employees !== null) {
        const year = Number(row.quarter.slice(0, 4));
        const first = years.get(`${org.id}/${year}`);
        if (!first) years.set(`${org.id}/${year}`, { org, year, row: row.row, employees: row.employees });
        else if (first.employees !== row.employees) {
          problems.add(
            row.row,
            columns.employees,
            `${row.employees} medewerkers, maar rij ${first.row} geeft '${org.name}' in ${year} ${first.employees}; het aantal medewerkers geldt voor een heel jaar, geef elke rij van dat jaar hetzelfde aantal (of laat de cel leeg)`,
          );
        }
      }
      written.push({ row, org });
    }

    const refusedRows = new Set<number>();
    for (const { row, org } of written) {
      await pace();
      const stored = await findIncidentFigures(trx, org.id, row.quarter);
      const before = Object.fromEntries(
        INCIDENT_FIELDS.map((f, i) => [f, stored ? stored[FIGURE_COLUMNS[i]!] : null]),
      ) as Record<IncidentField, number | null>;
      if (closed.has(row.quarter) && sameFigures(before, row.figures)) {
        figures.unchanged++;
        continue;
      }
      try {
        const result = await recordIncidentFigures(tx, org.id, row.quarter, {
          ...row.figures,
          expectedVersion: stored?.version,
        });
        if (result.created) figures.created++;
        else if (result.figures.version === (stored?.version ?? 0)) figures.unchanged++;
        else figures.updated++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problems.add(row.row, columnOf(err, columns, false), err.message);
        refusedRows.add(row.row);
      }
    }

    for (const { org, year, row, employees: count } of years.values()) {
      await pace();
      if (refusedRows.has(row)) continue;
      const stored = await findEmployees(trx, org.id, year);
      // Unchanged needs no write, and so no open year: a closed quarter only refuses a change.
      if (stored?.employees === count) {
        employees.unchanged++;
        continue;
      }
      try {
        const result = await recordEmployees(tx, org.id, year, {
          employees: count,
          expectedVersion: stored?.version,
        });
        if (result.created) employees.created++;
        else employees.updated++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problems.add(row, columnOf(err, columns, true), err.message);
      }
    }

    if (problems.count > 0 || parsed.format === null) throw refusal(problems, parsed.errorCount);
    const quarters = parsed.rows.map((r) => r.quarter).sort();
    const report: IncidentsImportReport = {
      dryRun: options.dryRun,
      file: { name: parsed.fileName, format: parsed.format, sheet: parsed.sheet, rows: parsed.rows.length },
      figures,
      employees,
      organisations: organisations.size,
      quarters: { from: (quarters[0] as Quarter | undefined) ?? null, to: quarters.at(-1) ?? null },
      errors: [],
    };
    if (options.dryRun) await trx.rollback().execute();
    else await trx.commit().execute();
    return report;
  } finally {
    if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
  }
}
