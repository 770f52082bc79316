import type { ImportReport, SimilarSector } from '../contracts/import.contract.ts';
import { findOrganisationByKey } from '../db/repositories/organisations.repository.ts';
import {
  insertQuickscans,
  listQuickscans,
  updateQuickscan,
} from '../db/repositories/quickscans.repository.ts';
import { insertRevisions, type NewRevision } from '../db/repositories/revisions.repository.ts';
import { listSectorNames } from '../db/repositories/sectors.repository.ts';
import { findTimeline } from '../db/repositories/timelines.repository.ts';
import type { QuickscanRow, QuickscanSource } from '../db/schema.ts';
import { nameKey } from '../domain/names.ts';
import { formatQuarter, MIN_YEAR, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import {
  carriesInto,
  checkMemberships,
  describePeriod,
  isMemberIn,
  type MembershipPeriod,
  type OrganisationTimeline,
  type SectorPeriod,
} from '../domain/timeline.ts';
import { AppError, RuleError, ValidationError } from '../errors.ts';
import { HEADER } from '../excel/prestatielijst-format.ts';
import {
  type ImportGear,
  type ImportRow,
  MAX_LISTED_ERRORS,
  type ParsedPrestatielijst,
  ProblemList,
} from '../excel/prestatielijst-reader.ts';
import { guardClosedQuarters } from './closing.service.ts';
import type { ServiceContext } from './context.ts';
import {
  initialHistory,
  type ListWindow,
  listWindow,
  overlayMemberships,
  planSectorHistory,
  resolvePeriods,
  type SectorClaim,
  samePeriods,
  sectorMoves,
  similarSector,
  widenMemberships,
} from './import-rules.ts';
import { createOrganisation, replaceTimeline } from './organisations.service.ts';
import { quickscanDto } from './quickscans.service.ts';
import { createSector } from './sectors.service.ts';

/** How to import: `dryRun` writes nothing; `newSectors` are new sector names confirmed as new. */
export interface ImportRunOptions {
  dryRun: boolean;
  /** New sector names that look like an existing sector and are to be created all the same. */
  newSectors?: readonly string[];
  /** Why the import changes closed quarters' figures (a restatement); required when it does. */
  reason?: string | undefined;
  /** Ends the import (rolled back) when aborted, e.g. when the server stops. */
  signal?: AbortSignal | undefined;
}

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
    sectorMoves: [],
    newSectors: [],
    skippedRows: parsed.skipped.map(({ row, name, reason, message }) => ({ row, name, reason, message })),
    errors: [],
  };
}

interface ImportContext {
  tx: ServiceContext;
  report: ImportReport;
  problems: ProblemList;
  current: Quarter;
  window: ListWindow;
  /** Sector ids by name key; null for a new sector that could not be created (already reported). */
  sectorIds: Map<string, number | null>;
  sectorNames: Map<number, string>;
  /** The gears to write once the whole list has been checked, in one go. */
  pending: PendingGear[];
  /** Lets other requests in now and then, and stops when the import is aborted. */
  pace: () => Promise<void>;
}

/** A gear the import will write: a new entry, or an existing directly recorded one changed. */
interface PendingGear {
  organisationId: number;
  quarter: Quarter;
  gear: number;
  existing: QuickscanRow | undefined;
}

/** The longest the import keeps the event loop before letting other requests in. */
const SLICE_MS = 20;

/**
 * A pacer for a long write: every `SLICE_MS` it yields to the event loop (so the health check and
 * reads on the read connection keep answering) and throws when `signal` is aborted.
 */
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

/** A gear of the list with the row it is on. */
type RowGear = ImportGear & { row: number };

// ---------------------------------------------------------------------------------------------
// Sectors

/**
 * Matches every row's sector by name and creates the new ones, in the order the list names
 * them. A new name that looks like an existing sector is a `similar_sector` problem on each row
 * that has it, unless it is confirmed in `confirmed` (name keys).
 */
async function importSectors(
  ic: ImportContext,
  rows: readonly ImportRow[],
  confirmed: ReadonlySet<string>,
  similar: SimilarSector[],
): Promise<void> {
  const existing = await listSectorNames(ic.tx.db);
  const existingKeys = new Set<string>();
  for (const s of existing) {
    existingKeys.add(nameKey(s.name));
    ic.sectorIds.set(nameKey(s.name), s.id);
    ic.sectorNames.set(s.id, s.name);
  }
  const existingNames = existing.map((s) => s.name);
  const looksLike = new Map<string, string | null>();
  const refused = new Map<string, string>();
  for (const row of rows) {
    const key = nameKey(row.sector);
    if (existingKeys.has(key)) continue;
    if (!looksLike.has(key)) {
      const like = confirmed.has(key) ? null : similarSector(row.sector, existingNames);
      looksLike.set(key, like);
      if (like) similar.push({ name: row.sector, existing: like });
    }
    const like = looksLike.get(key);
    if (like) {
      ic.problems.add(
        row.row,
        HEADER.sector,
        `'${row.sector}' lijkt op de bestaande sector '${like}'; schrijf '${like}' als dat dezelfde sector is, of bevestig dat '${row.sector}' een nieuwe sector is`,
        'similar_sector',
      );
    }
    if (!ic.sectorIds.has(key)) {
      // Created even when it looks like another, so the rest of the list is checked too: a
      // problem anywhere rolls the whole import back.
      try {
        const created = await createSector(ic.tx, row.sector);
        ic.sectorIds.set(key, created.id);
        ic.sectorNames.set(created.id, created.name);
        ic.report.sectors.created.push(created.name);
        ic.report.newSectors.push(created.name);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        ic.sectorIds.set(key, null);
        refused.set(key, err.message);
      }
    }
    const refusal = refused.get(key);
    if (refusal !== undefined) ic.problems.add(row.row, HEADER.sector, refusal);
  }
}

// ---------------------------------------------------------------------------------------------
// Membership periods

/** Where a gear lies outside the periods, said the way the list's columns name them. */
function outsideMessage(quarter: Quarter, periods: readonly MembershipPeriod[]): string {
  const q = formatQuarter(quarter);
  const only = periods.length === 1 ? periods[0]! : null;
  if (only && quarter < only.from) {
    return `${q} ligt vóór '${HEADER.memberFrom}' (${formatQuarter(only.from)}); pas ${HEADER.memberFrom} aan of maak de cel leeg`;
  }
  if (only?.until) {
    return `${q} ligt na '${HEADER.memberUntil}' (${formatQuarter(only.until)}); pas ${HEADER.memberUntil} aan of maak de cel leeg`;
  }
  return `${q} valt buiten de lidmaatschapsperiodes (${periods.map(describePeriod).join(', ')}); pas ${HEADER.memberFrom} en ${HEADER.memberUntil} aan of maak de cel leeg`;
}

/**
 * The membership periods an organisation gets from the list, before they are laid over the
 * database's (for an existing organisation): the list's own periods when a row gives them, else
 * wide enough for its gears. Null (with a problem) when they cannot be.
 */
function listMemberships(
  ic: ImportContext,
  membershipRow: ImportRow | undefined,
  old: OrganisationTimeline | undefined,
  gears: readonly RowGear[],
): MembershipPeriod[] | null {
  const gearQuarters = gears.map((g) => g.quarter);
  if (!membershipRow) {
    if (old) return widenMemberships(old.memberships, gearQuarters);
    return [{ from: gearQuarters[0] ?? ic.window.first, until: null }];
  }
  const given = membershipRow.memberships;
  const resolved = resolvePeriods(given, old?.memberships ?? null, gearQuarters, ic.window.first);
  for (const [i, p] of resolved.entries()) {
    if (p.until !== null && p.until < p.from) {
      ic.problems.add(
        membershipRow.row,
        given[i]!.until !== null ? HEADER.memberUntil : HEADER.memberFrom,
        `'lid tot' (${formatQuarter(p.until)}) ligt vóór 'lid sinds' (${formatQuarter(p.from)})`,
      );
      return null;
    }
  }
  try {
    return checkMemberships(resolved, HEADER.memberFrom);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    ic.problems.add(membershipRow.row, HEADER.memberFrom, err.message);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Organisations

function claimOf(row: ImportRow, sectorId: number, existing: boolean): SectorClaim {
  if (row.stretch) return { sectorId, from: row.stretch.from, until: row.stretch.until };
  // A plain row of an existing organisation moves it from its first gear in the list on.
  return { sectorId, from: existing ? (row.gears[0]?.quarter ?? null) : null, until: null };
}

/** The column a refused change of an organisation is shown at: the membership cells it came from. */
function membershipColumn(row: ImportRow | undefined): string | null {
  const p = row?.memberships[row.memberships.length - 1];
  if (!p) return null;
  return p.until !== null ? HEADER.memberUntil : HEADER.memberFrom;
}

/**
 * Imports one organisation from its rows (one, or one per sector it belonged to): its membership
 * periods and sector history within the list's quarters, then its gears.
 */
async function importOrganisation(ic: ImportContext, rows: readonly ImportRow[]): Promise<void> {
  const { tx, report, problems } = ic;
  const first = rows[0]!;
  const sectorIds = rows.map((r) => ic.sectorIds.get(nameKey(r.sector)));
  if (sectorIds.some((id) => id === null || id === undefined)) return;

  const gears: RowGear[] = rows
    .flatMap((row) => row.gears.map((g) => ({ ...g, row: row.row })))
    .sort((a, b) => (a.quarter < b.quarter ? -1 : a.quarter > b.quarter ? 1 : 0))
    .filter((g) => {
      if (g.quarter <= ic.current) return true;
      problems.add(
        g.row,
        formatQuarter(g.quarter),
        `${formatQuarter(g.quarter)} ligt in de toekomst; een versnelling kan tot en met ${formatQuarter(ic.current)} worden ingelezen`,
      );
      return false;
    });

  const existing = await findOrganisationByKey(tx.db, nameKey(first.name));
  const old = existing ? await findTimeline(tx.db, existing.id) : undefined;
  const membershipRow = rows.find((r) => r.memberships.length > 0);
  const fromList = listMemberships(ic, membershipRow, old, gears);
  if (!fromList) return;
  const inside = gears.filter((g) => {
    if (isMemberIn({ memberships: fromList }, g.quarter)) return true;
    problems.add(g.row, formatQuarter(g.quarter), outsideMessage(g.quarter, fromList));
    return false;
  });
  const memberships = old ? overlayMemberships(old.memberships, fromList, ic.window) : fromList;

  const claims = rows.map((row, i) => claimOf(row, sectorIds[i]!, old !== undefined));
  const before: readonly SectorPeriod[] = old?.sectors ?? initialHistory(claims, memberships, ic.window);
  const sectors = planSectorHistory(before, claims, memberships, ic.window);

  let organisationId: number;
  let name: string;
  try {
    if (!existing || !old) {
      const created = await createOrganisation(tx, {
        name: first.name,
        sectorId: sectors[0]!.sectorId,
        memberFrom: memberships[0]!.from,
        memberUntil: memberships[0]!.until,
      });
      ({ id: organisationId, name } = created);
      report.organisations.created.push(name);
      if (memberships.length > 1 || sectors.length > 1) {
        await replaceTimeline(tx, organisationId, { memberships, sectors });
      }
    } else {
      ({ id: organisationId, name } = existing);
      if (samePeriods(old.memberships, memberships) && sectors === old.sectors) {
        report.organisations.unchanged++;
      } else {
        await replaceTimeline(tx, organisationId, { memberships, sectors });
        report.organisations.updated.push(name);
      }
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const widened = !membershipRow && old !== undefined && !samePeriods(old.memberships, memberships);
    problems.add(
      membershipRow?.row ?? first.row,
      err.code === 'invalid_name' ? HEADER.organisation : membershipColumn(membershipRow),
      widened
        ? // The list has no membership of its own: the change is the widening to cover its gears.
          `om de versnellingen in de lijst te dekken moet het lidmaatschap van '${existing?.name ?? first.name}' ${memberships.map(describePeriod).join(', ')} worden, maar: ${err.message}`
        : err.message,
    );
    return;
  }
  if (sectors !== before) {
    for (const move of sectorMoves(before, sectors, ic.window)) {
      report.sectorMoves.push({
        organisation: name,
        from: ic.sectorNames.get(move.from)!,
        to: ic.sectorNames.get(move.to)!,
        fromQuarter: move.fromQuarter,
      });
    }
  }
  await importGears(ic, { id: organisationId, name, isNew: !old }, inside, memberships);
}

interface Entry {
  gear: number;
  source: QuickscanSource;
  /** The entry in the database, when there is one. */
  row?: QuickscanRow | undefined;
  /** The write this import will make to it. */
  pending?: PendingGear;
}

/** The latest entry before `quarter` that still counts in it (carried forward within its period). */
function carriedInto(
  entries: ReadonlyMap<Quarter, Entry>,
  quarter: Quarter,
  memberships: readonly MembershipPeriod[],
): { quarter: Quarter; gear: number } | null {
  let best: Quarter | null = null;
  for (const q of entries.keys()) {
    if (q < quarter && (best === null || q > best) && carriesInto({ memberships }, q, quarter)) best = q;
  }
  return best === null ? null : { quarter: best, gear: entries.get(best)!.gear };
}

/**
 * Records the list's gears. A cell that only shows a gear carried forward adds nothing when that
 * gear is there already; otherwise it is recorded in the quarter its note names, when that lies
 * in the list's quarters or the organisation is new (so its age in later quarters is the same),
 * else in the cell's own quarter.
 */
async function importGears(
  ic: ImportContext,
  organisation: { id: number; name: string; isNew: boolean },
  gears: readonly RowGear[],
  memberships: readonly MembershipPeriod[],
): Promise<void> {
  const { tx, report, problems } = ic;
  const { id: organisationId, isNew } = organisation;
  const entries = new Map<Quarter, Entry>(
    isNew
      ? []
      : (await listQuickscans(tx.db, organisationId)).map((e) => [
          e.quarter,
          { gear: e.gear, source: e.source, row: e },
        ]),
  );
  for (const { quarter, gear, carried, carriedFrom, row } of gears) {
    const column = formatQuarter(quarter);
    const entry = entries.get(quarter);
    if (entry?.gear === gear) {
      report.gears.unchanged++;
      continue;
    }
    let target = quarter;
    if (!entry && carried) {
      const carrying = carriedInto(entries, quarter, memberships);
      if (carrying?.gear === gear) {
        report.gears.unchanged++;
        continue;
      }
      if (
        carriedFrom !== null &&
        carriedFrom < quarter &&
        (isNew || carriedFrom >= ic.window.first) &&
        carriesInto({ memberships }, carriedFrom, quarter) &&
        (carrying === null || carrying.quarter < carriedFrom)
      ) {
        target = carriedFrom;
      }
    }
    const written = target === quarter ? entry : entries.get(target);
    if (written?.source === 'quickscan') {
      const at = formatQuarter(target);
      problems.add(
        row,
        column,
        `'${organisation.name}' heeft in ${at} een quickscan met antwoorden die versnelling ${written.gear} geeft; de lijst zegt ${gear}. ` +
          'Pas de quickscan aan in de app, of zet in deze cel dezelfde versnelling of niets',
      );
      continue;
    }
    // Checked here as the services would (a member in that quarter, not in the future, no
    // answers to overrule), written in bulk once the whole list holds.
    if (written) report.gears.changed++;
    else report.gears.created++;
    if (written?.pending) {
      written.pending.gear = gear;
      written.gear = gear;
      continue;
    }
    const pending: PendingGear = { organisationId, quarter: target, gear, existing: written?.row };
    ic.pending.push(pending);
    entries.set(target, { gear, source: 'import', row: written?.row, pending });
  }
}

/**
 * Writes the checked gears: new entries in a few multi-row statements, changed ones one by one
 * (with their version check), and a revision for each, as a single write through the services
 * would leave them.
 */
async function writePendingGears(ic: ImportContext): Promise<void> {
  const { tx } = ic;
  const now = tx.now().toISOString();
  const meta = {
    source: 'import' as const,
    conducted_on: null,
    conducted_by: null,
    model_id: null,
    model_version: null,
    updated_at: now,
    updated_by: tx.actor,
  };
  const revisions: NewRevision[] = [];
  const revision = (row: QuickscanRow, before: QuickscanRow | undefined): NewRevision => ({
    entity: 'quickscan',
    entityId: row.id,
    organisationId: row.organisation_id,
    quarter: row.quarter,
    action: before ? 'update' : 'create',
    before: before ? quickscanDto(before, null) : null,
    after: quickscanDto(row, null),
    actor: tx.actor,
    at: now,
  });
  const fresh = ic.pending.filter((p) => !p.existing);
  for (let i = 0; i < fresh.length; i += 1000) {
    const values = fresh.slice(i, i + 1000).map((p) => ({
      ...meta,
      organisation_id: p.organisationId,
      quarter: p.quarter,
      gear: p.gear,
      remark: null,
      created_at: now,
      created_by: tx.actor,
    }));
    const byKey = new Map(values.map((v) => [`${v.organisation_id}/${v.quarter}`, v]));
    for (const { id, organisation_id, quarter, version } of await insertQuickscans(tx.db, values)) {
      const row: QuickscanRow = { ...byKey.get(`${organisation_id}/${quarter}`)!, id, version };
      revisions.push(revision(row, undefined));
    }
    await ic.pace();
  }
  for (const p of ic.pending) {
    if (!p.existing) continue;
    const row = await updateQuickscan(tx.db, p.existing.id, p.existing.version, {
      ...meta,
      gear: p.gear,
      remark: p.existing.remark,
    });
    // The import holds the only write transaction: the version cannot have moved meanwhile.
    if (!row) throw new Error(`quickscan ${p.existing.id} changed during the import`);
    revisions.push(revision(row, p.existing));
    await ic.pace();
  }
  for (let i = 0; i < revisions.length; i += 1000) {
    await insertRevisions(tx.db, revisions.slice(i, i + 1000));
    await ic.pace();
  }
}

/** The rows of each organisation (one, or one per sector it belonged to), in list order. */
function byOrganisation(rows: readonly ImportRow[]): ImportRow[][] {
  const groups = new Map<string, ImportRow[]>();
  for (const row of rows) {
    const key = nameKey(row.name);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

function refusal(problems: ProblemList, parseErrors: number, similarSectors: SimilarSector[]): AppError {
  const listed = [...problems.items].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const n = problems.count;
  const summary =
    n === 1
      ? listed[0]!.message
      : `${n} fouten gevonden${n > MAX_LISTED_ERRORS ? `; de eerste ${MAX_LISTED_ERRORS} staan in de lijst` : ''}`;
  const message = `de lijst is niet ingelezen en er is niets opgeslagen: ${summary}`;
  const details = {
    problems: listed,
    problemCount: n,
    ...(similarSectors.length > 0 ? { similarSectors } : {}),
  };
  // A file that cannot be read right is bad input (400); a readable file the rules refuse is 422.
  return parseErrors > 0
    ? new ValidationError(message, details, 'import_invalid')
    : new RuleError(message, 'import_invalid', details);
}

/**
 * Imports a read prestatielijst: sectors and organisations matched by name (created when new; a
 * new sector name that looks like an existing one only when confirmed in `newSectors`),
 * membership periods and sector history set as the list says within its quarters (and left as
 * they are outside them), gears recorded directly with source `import`. All or nothing: one
 * transaction, and any error anywhere leaves the database as it was and lists every error
 * (`import_invalid`, with `details.similarSectors` for the look-alike sector names). A dry run
 * does the same work and rolls it back, so its report says exactly what an import would do.
 */
export async function importPrestatielijst(
  ctx: ServiceContext,
  parsed: ParsedPrestatielijst,
  options: ImportRunOptions,
): Promise<ImportReport> {
  const problems = new ProblemList(parsed.errors, parsed.errorCount);
  const report = emptyReport(parsed, options.dryRun);
  const similar: SimilarSector[] = [];
  const current = quarterOfDate(ctx.now());
  const trx = await ctx.db.startTransaction().execute();
  try {
    // The services write inside this one transaction (inTransaction joins it): the import is
    // all or nothing. A refused write is reported as an error and rolls the whole file back.
    const ic: ImportContext = {
      tx: { ...ctx, db: trx },
      report,
      problems,
      current,
      window: listWindow(parsed.quarters, current),
      sectorIds: new Map(),
      sectorNames: new Map(),
      pending: [],
      pace: pacer(options.signal),
    };
    const confirmed = new Set((options.newSectors ?? []).map(nameKey));
    // The whole file is one change: when it changes closed quarters' figures it needs a reason,
    // and each changed average becomes one restatement, not one per row.
    await guardClosedQuarters(ic.tx, { from: `${MIN_YEAR}-Q1` }, options.reason, async () => {
      await importSectors(ic, parsed.rows, confirmed, similar);
      for (const rows of byOrganisation(parsed.rows)) {
        await importOrganisation(ic, rows);
        await ic.pace();
      }
      if (problems.count > 0) throw refusal(problems, parsed.errorCount, similar);
      await writePendingGears(ic);
    });
    if (options.dryRun) await trx.rollback().execute();
    else await trx.commit().execute();
    return report;
  } finally {
    if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
  }
}
