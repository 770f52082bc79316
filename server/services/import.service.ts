import type { ImportReport } from '../contracts/import.contract.ts';
import type { OrganisationPatch } from '../contracts/organisation.contract.ts';
import { findOrganisationByKey } from '../db/repositories/organisations.repository.ts';
import { listQuickscans } from '../db/repositories/quickscans.repository.ts';
import { findSectorByKey } from '../db/repositories/sectors.repository.ts';
import type { OrganisationRow, QuickscanSource } from '../db/schema.ts';
import { nameKey } from '../domain/names.ts';
import { formatQuarter, isWithin, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import { AppError, RuleError, ValidationError } from '../errors.ts';
import { HEADER } from '../excel/prestatielijst-format.ts';
import {
  type ImportRow,
  MAX_LISTED_ERRORS,
  type ParsedPrestatielijst,
  ProblemList,
} from '../excel/prestatielijst-reader.ts';
import type { ServiceContext } from './context.ts';
import { createOrganisation, updateOrganisation } from './organisations.service.ts';
import { recordGear } from './quickscans.service.ts';
import { createSector } from './sectors.service.ts';

function emptyReport(parsed: ParsedPrestatielijst, dryRun: boolean): ImportReport {
  return {
    dryRun,
    file: {
      name: parsed.fileName,
      format: parsed.format,
      sheet: parsed.sheet,
      organisations: parsed.rows.length,
    },
    quarters: { from: parsed.quarters[0] ?? null, to: parsed.quarters.at(-1) ?? null },
    sectors: { created: [] },
    organisations: { created: [], updated: [], unchanged: 0 },
    gears: { created: 0, changed: 0, unchanged: 0 },
    errors: [],
  };
}

const earliest = (a: Quarter, b: Quarter | null) => (b !== null && b < a ? b : a);
const latest = (a: Quarter, b: Quarter | null) => (b !== null && b > a ? b : a);

function period(from: Quarter, until: Quarter | null): string {
  return `${formatQuarter(from)} tot ${until ? `en met ${formatQuarter(until)}` : 'nu'}`;
}

interface RowContext {
  tx: ServiceContext;
  row: ImportRow;
  report: ImportReport;
  problems: ProblemList;
  current: Quarter;
  firstColumn: Quarter | null;
  sectorIds: Map<string, number>;
}

async function sectorOf({ tx, row, report, problems, sectorIds }: RowContext): Promise<number | null> {
  const key = nameKey(row.sector);
  const known = sectorIds.get(key) ?? (await findSectorByKey(tx.db, key))?.id;
  if (known !== undefined) {
    sectorIds.set(key, known);
    return known;
  }
  try {
    const created = await createSector(tx, row.sector);
    sectorIds.set(key, created.id);
    report.sectors.created.push(created.name);
    return created.id;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problems.add(row.row, HEADER.sector, err.message);
    return null;
  }
}

/** Creates or updates the organisation of a row; its id, or null when that was refused. */
async function organisationOf(
  rc: RowContext,
  sectorId: number,
  existing: OrganisationRow | undefined,
  memberFrom: Quarter,
  memberUntil: Quarter | null,
): Promise<number | null> {
  const { tx, row, report, problems } = rc;
  if (!existing) {
    try {
      const created = await createOrganisation(tx, { name: row.name, sectorId, memberFrom, memberUntil });
      report.organisations.created.push(created.name);
      return created.id;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.add(row.row, err.code === 'invalid_name' ? HEADER.organisation : null, err.message);
      return null;
    }
  }
  const patch: OrganisationPatch = {};
  if (existing.sector_id !== sectorId) patch.sectorId = sectorId;
  if (existing.member_from !== memberFrom) patch.memberFrom = memberFrom;
  if (existing.member_until !== memberUntil) patch.memberUntil = memberUntil;
  if (Object.keys(patch).length === 0) {
    report.organisations.unchanged++;
    return existing.id;
  }
  try {
    await updateOrganisation(tx, existing.id, patch);
    report.organisations.updated.push(existing.name);
    return existing.id;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const fromFile =
      row.memberUntil !== null ? HEADER.memberUntil : row.memberFrom !== null ? HEADER.memberFrom : null;
    const widened = fromFile === null && ('memberFrom' in patch || 'memberUntil' in patch);
    problems.add(
      row.row,
      fromFile,
      widened
        ? // The file has no membership of its own: the change is the widening to cover its gears.
          `om de versnellingen in de lijst te dekken moet het lidmaatschap van '${existing.name}' ${period(memberFrom, memberUntil)} worden, maar: ${err.message}`
        : err.message,
    );
    return null;
  }
}

interface Entry {
  gear: number;
  source: QuickscanSource;
}

/** The gear in force just before `quarter`: the latest entry before it (carry-forward). */
function gearBefore(entries: Map<Quarter, Entry>, quarter: Quarter): number | null {
  let best: Quarter | null = null;
  for (const q of entries.keys()) if (q < quarter && (best === null || q > best)) best = q;
  return best === null ? null : entries.get(best)!.gear;
}

async function importGears(rc: RowContext, organisationId: number, gears: ImportRow['gears']): Promise<void> {
  const { tx, row, report, problems } = rc;
  const entries = new Map<Quarter, Entry>(
    (await listQuickscans(tx.db, organisationId)).map((e) => [e.quarter, { gear: e.gear, source: e.source }]),
  );
  for (const { quarter, gear, carried } of gears) {
    const column = formatQuarter(quarter);
    const entry = entries.get(quarter);
    if (entry?.gear === gear || (!entry && carried && gearBefore(entries, quarter) === gear)) {
      // The same gear is already there, or the cell only shows the gear carried forward into it.
      report.gears.unchanged++;
      continue;
    }
    if (entry?.source === 'quickscan') {
      problems.add(
        row.row,
        column,
        `'${row.name}' heeft in ${column} een quickscan met antwoorden die versnelling ${entry.gear} geeft; de lijst zegt ${gear}. ` +
          'Pas de quickscan aan in de app, of zet in deze cel dezelfde versnelling of niets',
      );
      continue;
    }
    try {
      const { created } = await recordGear(tx, organisationId, quarter, { gear, source: 'import' }, 'record');
      if (created) report.gears.created++;
      else report.gears.changed++;
      entries.set(quarter, { gear, source: 'import' });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.add(row.row, column, err.message);
    }
  }
}

async function importRow(rc: RowContext): Promise<void> {
  const { tx, row, problems, current } = rc;
  const sectorId = await sectorOf(rc);
  if (sectorId === null) return;

  const gears = row.gears.filter(({ quarter }) => {
    if (quarter <= current) return true;
    problems.add(
      row.row,
      formatQuarter(quarter),
      `${formatQuarter(quarter)} ligt in de toekomst; een versnelling kan tot en met ${formatQuarter(current)} worden ingelezen`,
    );
    return false;
  });
  const first = gears[0]?.quarter ?? null;
  const last = gears.at(-1)?.quarter ?? null;

  // Membership: the file's own when given; otherwise wide enough for the gears in the file.
  const existing = await findOrganisationByKey(tx.db, nameKey(row.name));
  const memberFrom =
    row.memberFrom ??
    (existing ? earliest(existing.member_from, first) : (first ?? rc.firstColumn ?? current));
  const memberUntil =
    row.memberUntil ?? (existing?.member_until ? latest(existing.member_until, last) : null);
  if (memberUntil !== null && memberUntil < memberFrom) {
    problems.add(
      row.row,
      row.memberUntil !== null ? HEADER.memberUntil : HEADER.memberFrom,
      `'lid tot' (${formatQuarter(memberUntil)}) ligt vóór 'lid sinds' (${formatQuarter(memberFrom)})`,
    );
    return;
  }
  const inside = gears.filter(({ quarter }) => {
    if (isWithin(quarter, memberFrom, memberUntil)) return true;
    const before = quarter < memberFrom;
    problems.add(
      row.row,
      formatQuarter(quarter),
      before
        ? `${formatQuarter(quarter)} ligt vóór '${HEADER.memberFrom}' (${formatQuarter(memberFrom)}); pas ${HEADER.memberFrom} aan of maak de cel leeg`
        : `${formatQuarter(quarter)} ligt na '${HEADER.memberUntil}' (${formatQuarter(memberUntil!)}); pas ${HEADER.memberUntil} aan of maak de cel leeg`,
    );
    return false;
  });

  const organisationId = await organisationOf(rc, sectorId, existing, memberFrom, memberUntil);
  if (organisationId === null) return;
  await importGears(rc, organisationId, inside);
}

function refusal(problems: ProblemList, parseErrors: number): AppError {
  const listed = [...problems.items].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const n = problems.count;
  const summary =
    n === 1
      ? listed[0]!.message
      : `${n} fouten gevonden${n > MAX_LISTED_ERRORS ? `; de eerste ${MAX_LISTED_ERRORS} staan in de lijst` : ''}`;
  const message = `de lijst is niet ingelezen en er is niets opgeslagen: ${summary}`;
  const details = { problems: listed, problemCount: n };
  // A file that cannot be read right is bad input (400); a readable file the rules refuse is 422.
  return parseErrors > 0
    ? new ValidationError(message, details, 'import_invalid')
    : new RuleError(message, 'import_invalid', details);
}

/**
 * Imports a read prestatielijst: sectors and organisations matched by name (created when new),
 * memberships widened or set from the file, gears recorded directly with source `import`. All
 * or nothing: one transaction, and any error anywhere leaves the database as it was and lists
 * every error (`import_invalid`). A dry run does the same work and rolls it back, so its report
 * says exactly what an import would do.
 */
export async function importPrestatielijst(
  ctx: ServiceContext,
  parsed: ParsedPrestatielijst,
  options: { dryRun: boolean },
): Promise<ImportReport> {
  const problems = new ProblemList(parsed.errors, parsed.errorCount);
  const report = emptyReport(parsed, options.dryRun);
  const trx = await ctx.db.startTransaction().execute();
  try {
    // The services write inside this one transaction (inTransaction joins it): the import is
    // all or nothing. A refused write is reported as an error and rolls the whole file back.
    const tx: ServiceContext = { ...ctx, db: trx };
    const rc = {
      tx,
      report,
      problems,
      current: quarterOfDate(ctx.now()),
      firstColumn: parsed.quarters[0] ?? null,
      sectorIds: new Map<string, number>(),
    };
    for (const row of parsed.rows) await importRow({ ...rc, row });
    if (problems.count > 0) throw refusal(problems, parsed.errorCount);
    if (options.dryRun) await trx.rollback().execute();
    else await trx.commit().execute();
    return report;
  } finally {
    if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
  }
}
