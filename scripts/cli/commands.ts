import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../../server/config.ts';
import { idSchema, reasonField } from '../../server/contracts/common.contract.ts';
import type { ImportReport } from '../../server/contracts/import.contract.ts';
import {
  employeesBody,
  employeesYearParams,
  INCIDENT_FIELD_NAMES,
  INCIDENT_FIELDS,
  type IncidentField,
  incidentFiguresBody,
} from '../../server/contracts/incident.contract.ts';
import {
  ACTIVITY_KINDS,
  type Action,
  type Activity,
  createActionBody,
  createActivityBody,
  updateActionBody,
} from '../../server/contracts/network.contract.ts';
import {
  createOrganisationBody,
  type Organisation,
  updateOrganisationBody,
} from '../../server/contracts/organisation.contract.ts';
import {
  type Baseline,
  baselineBody,
  type IncidentReport,
  TARGET_KINDS,
  type Target,
  targetBody,
} from '../../server/contracts/outcome.contract.ts';
import { gearBody, putQuickscanBody } from '../../server/contracts/quickscan.contract.ts';
import { sectorBody } from '../../server/contracts/sector.contract.ts';
import { createUserBody, passwordBody, updateUserBody } from '../../server/contracts/user.contract.ts';
import { backupDatabase, restoreDatabase } from '../../server/db/backup.ts';
import { type ClosedNote, closedFigureText } from '../../server/domain/closed-text.ts';
import { formatDate, formatDateTime } from '../../server/domain/date-format.ts';
import { formatAverage, formatPercent, formatRate } from '../../server/domain/format.ts';
import { describeChangeParts, describeLikeForLike, modelMixText } from '../../server/domain/like-for-like.ts';
import { ACTIVITY_KIND_NAMES } from '../../server/domain/network-work.ts';
import {
  formatQuarter,
  invalidQuarterMessage,
  isQuarter,
  type Quarter,
} from '../../server/domain/quarter.ts';
import { joinNames, weakest } from '../../server/domain/report.ts';
import { formatTargetValue } from '../../server/domain/targets.ts';
import { AppError, ValidationError } from '../../server/errors.ts';
import { assertImportSize, readPrestatielijst } from '../../server/excel/prestatielijst-reader.ts';
import * as actions from '../../server/services/actions.service.ts';
import * as activities from '../../server/services/activities.service.ts';
import * as closing from '../../server/services/closing.service.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { gearDiff } from '../../server/services/gear-diff.service.ts';
import { importPrestatielijst } from '../../server/services/import.service.ts';
import * as incidents from '../../server/services/incidents.service.ts';
import { reportMeasures } from '../../server/services/measures.service.ts';
import * as orgs from '../../server/services/organisations.service.ts';
import * as outcomes from '../../server/services/outcomes.service.ts';
import { prepareExport } from '../../server/services/prestatielijst.service.ts';
import * as quickscans from '../../server/services/quickscans.service.ts';
import * as reports from '../../server/services/reports.service.ts';
import * as sectors from '../../server/services/sectors.service.ts';
import { gearHistory, statusAt } from '../../server/services/status.service.ts';
import { organisationPeriods } from '../../server/services/timeline.service.ts';
import * as users from '../../server/services/users.service.ts';
import { fillDemo } from '../demo.ts';
import { incidentsImportCommand } from './incidents-import.command.ts';
import { userInviteCommand, userResetLinkCommand } from './invitations.command.ts';
import { type CliIo, UsageError } from './io.ts';
import { resourceAddCommand, resourceListCommand, resourceRemoveCommand } from './resources.command.ts';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** The options as `parseArgs` gives them for a spec: strings and booleans, each possibly absent. */
type ValuesOf<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

type Values = ValuesOf<OptionSpec>;

export interface CommandRun {
  ctx: ServiceContext;
  io: CliIo;
  args: string[];
}

interface Command<O extends OptionSpec = OptionSpec> {
  usage: string;
  summary: string;
  options: O;
  /** Number of positional arguments it takes. */
  positionals?: number;
  run?: (run: CommandRun, values: ValuesOf<O>, positionals: string[]) => Promise<void>;
  /**
   * Instead of `run`, for a command that must not open the database first (a restore replaces
   * it, and must work when it is damaged or empty).
   */
  offline?: (run: OfflineRun, values: ValuesOf<O>, positionals: string[]) => Promise<void>;
}

export interface OfflineRun {
  io: CliIo;
  now: () => Date;
}

/**
 * A command whose `run` sees exactly its own options, typed: `values.json` is a boolean,
 * `required(values, 'name')` only takes an option the command declares.
 */
function command<const O extends OptionSpec>(definition: Command<O>): Command {
  return definition as unknown as Command;
}

const json = { type: 'boolean' } as const;
const str = { type: 'string' } as const;

function print(io: CliIo, values: { json?: boolean }, data: unknown, human: () => string): void {
  io.stdout(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** A whole number as typed on the command line; anything else goes to the schema as text, so its message names it. */
function wholeNumber(raw: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
}

function required<V extends Values>(values: V, name: keyof V & string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is verplicht`);
  return v;
}

function optional<V extends Values>(values: V, name: keyof V & string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The same rule as the API: a canonical quarter, nothing trimmed or guessed. */
function checkQuarter(value: string): Quarter {
  if (!isQuarter(value))
    throw new ValidationError(invalidQuarterMessage(value), undefined, 'invalid_quarter');
  return value;
}

function quarter<V extends Values>(values: V, name: keyof V & string): Quarter {
  return checkQuarter(required(values, name));
}

function optionalQuarter<V extends Values>(values: V, name: keyof V & string): Quarter | undefined {
  const v = optional(values, name);
  return v === undefined ? undefined : checkQuarter(v);
}

/** `--reason`, checked as the API checks `reason` (a restatement of closed figures needs one). */
function reasonOf<V extends Values>(values: V): string | undefined {
  const v = optional(values, 'reason' as keyof V & string);
  return v === undefined ? undefined : reasonField.parse(v);
}

function id(raw: string | undefined, what: string): number {
  if (raw === undefined) throw new UsageError(`${what} ontbreekt`);
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success)
    throw new ValidationError(`${what} '${raw}' is geen geldig id: gebruik een positief geheel getal`);
  return parsed.data;
}

async function readAnswers(io: CliIo, source: string): Promise<unknown> {
  let text: string;
  try {
    text = source === '-' ? await io.readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    throw new ValidationError(`kan antwoordenbestand '${source}' niet lezen: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(
      `antwoordenbestand '${source}' is geen geldige JSON: ${(err as Error).message}`,
    );
  }
}

/** The password from stdin: one line, without its line ending (nothing is echoed or logged). */
async function readPassword(io: CliIo): Promise<string> {
  const text = (await io.readStdin()).replace(/\r?\n$/, '');
  if (text === '')
    throw new UsageError('geef het wachtwoord via stdin, bijvoorbeeld: echo "…" | npm run cli -- user add …');
  return text;
}

/** "  [vastgesteld op …]" after a figure of a closed quarter; nothing for an open one. */
function closedSuffix(
  r: { restatements?: Array<{ quarter: Quarter; sectorId: number | null; reason: string }> },
  q: Quarter,
  figure: { average: number | null; closed?: ClosedNote | null },
): string {
  const reason = (r.restatements ?? []).filter((x) => x.quarter === q && x.sectorId === null).at(-1)?.reason;
  const text = closedFigureText(figure.average, figure.closed, reason);
  return text ? `  [${text}]` : '';
}

/** "1 kwartaal geleden", "11 kwartalen geleden". */
function ageText(quarters: number): string {
  return `${quarters} ${quarters === 1 ? 'kwartaal' : 'kwartalen'} geleden`;
}

function periodsText(o: Organisation): string {
  return o.memberships
    .map((p) => `${formatQuarter(p.from)} – ${p.until ? formatQuarter(p.until) : 'nu'}`)
    .join(', ');
}

function gearText(gear: number | null): string {
  return gear === null ? 'geen versnelling' : `versnelling ${gear}`;
}

/** The import's report for a person: the sector moves and new sectors first, then the counts. */
function importSummary(r: ImportReport): string {
  const names = (list: string[]) => (list.length > 0 ? ` (${list.join(', ')})` : '');
  const period =
    r.quarters.from && r.quarters.to
      ? `, ${formatQuarter(r.quarters.from)} – ${formatQuarter(r.quarters.to)}`
      : '';
  return [
    r.dryRun
      ? 'proefimport (--dry-run): er is niets opgeslagen; zo zou de import uitpakken:'
      : 'prestatielijst ingelezen:',
    `  bestand: ${r.file.name}${r.file.sheet ? `, werkblad ${r.file.sheet}` : ''}, ${r.file.organisations} organisaties${period}`,
    `  sectorwissels: ${r.sectorMoves.length}`,
    ...r.sectorMoves.map(
      (m) => `    - ${m.organisation}: ${m.from} → ${m.to} vanaf ${formatQuarter(m.fromQuarter)}`,
    ),
    `  sectoren nieuw: ${r.newSectors.length}${names(r.newSectors)}`,
    `  organisaties nieuw: ${r.organisations.created.length}${names(r.organisations.created)}`,
    `  organisaties bijgewerkt: ${r.organisations.updated.length}${names(r.organisations.updated)}`,
    `  organisaties ongewijzigd: ${r.organisations.unchanged}`,
    `  versnellingen nieuw: ${r.gears.created}, gewijzigd: ${r.gears.changed}, ongewijzigd: ${r.gears.unchanged}`,
    ...((r.skippedRows ?? []).length > 0
      ? [
          `  overgeslagen rijen (kopjes en gemiddelden van de export): ${(r.skippedRows ?? []).length}`,
          ...(r.skippedRows ?? []).map((row) => `    - ${row.message}`),
        ]
      : []),
  ].join('\n');
}

/** "2b Protocol bespreken (eigenaar: Jan, uiterlijk Q1 2027): open, over de termijn". */
function actionLine(a: Action): string {
  const due = a.due.quarter ? formatQuarter(a.due.quarter) : a.due.date ? formatDate(a.due.date) : null;
  const details = [a.owner ? `eigenaar: ${a.owner}` : null, due ? `uiterlijk ${due}` : null]
    .filter(Boolean)
    .join(', ');
  const flags = [
    a.overdue ? 'over de termijn' : null,
    a.criterionMet ? `criterium voldaan in ${formatQuarter(a.criterionMet.quarter)}: kan dicht` : null,
  ].filter(Boolean);
  return `${a.criterion} ${a.title}${details ? ` (${details})` : ''}: ${a.status}${flags.length > 0 ? `, ${flags.join(', ')}` : ''}`;
}

/** "3 december 2026, huisbezoek: Kennismaking (Gemeente Dijkwaard)". */
function activityLine(a: Activity): string {
  const orgs = a.organisations.map((o) => o.name).join(', ');
  return `${formatDate(a.date)}, ${ACTIVITY_KIND_NAMES[a.kind]}: ${a.title}${orgs ? ` (${orgs})` : ''}`;
}

/** "nu 72,00% (Q4 2016): op koers" for a target. */
function targetLine(t: Target): string {
  const value = formatTargetValue(t.kind, t.current);
  const about = t.about ? `, ${t.about}` : '';
  const projected =
    t.projected === null
      ? ''
      : `; doorgetrokken in ${formatQuarter(t.quarter)}: ${formatTargetValue(t.kind, t.projected)}`;
  return `nu ${value} (${formatQuarter(t.currentQuarter)}${about}): ${t.statusText}${projected}`;
}

export const commands: Record<string, Command> = {
  model: command({
    usage: 'model [--json]',
    summary: 'het actieve schakelmodel met zijn versnellingen en criteria',
    options: { json },
    run: async ({ ctx, io }, values) => {
      const m = ctx.models.active;
      const data = {
        id: m.id,
        version: m.version,
        gears: m.gears.map((g) => ({
          gear: g.gear,
          name: g.name,
          criteria: g.criteria.map((c) => ({ key: c.key, text: c.text, measure: c.measure })),
        })),
      };
      print(io, values, data, () =>
        [
          `${m.name} (${m.id}, versie ${m.version})`,
          ...m.gears.flatMap((g) => [
            `${g.gear}. ${g.name}`,
            ...g.criteria.map((c) => `   ${c.key}  ${c.text}  [maatregel ${c.measure}]`),
          ]),
        ].join('\n'),
      );
    },
  }),

  'sector list': command({
    usage: 'sector list [--json]',
    summary: 'alle sectoren',
    options: { json },
    run: async ({ ctx, io }, values) => {
      const list = await sectors.listSectors(ctx);
      print(io, values, list, () =>
        list.map((s) => `${s.id}\t${s.name}\t(${s.organisationCount} organisaties)`).join('\n'),
      );
    },
  }),

  'sector add': command({
    usage: 'sector add --name NAAM [--json]',
    summary: 'sector toevoegen',
    options: { name: str, json },
    run: async ({ ctx, io }, values) => {
      const body = sectorBody.parse({ name: required(values, 'name') });
      const s = await sectors.createSector(ctx, body.name);
      print(io, values, s, () => `sector ${s.id} '${s.name}' toegevoegd`);
    },
  }),

  'sector rename': command({
    usage: 'sector rename ID --name NAAM [--json]',
    summary: 'sector hernoemen',
    options: { name: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const body = sectorBody.parse({ name: required(values, 'name') });
      const s = await sectors.renameSector(ctx, id(raw, 'sector'), body.name);
      print(io, values, s, () => `sector ${s.id} heet nu '${s.name}'`);
    },
  }),

  'sector remove': command({
    usage: 'sector remove ID',
    summary: 'lege sector verwijderen',
    options: { json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const sectorId = id(raw, 'sector');
      await sectors.deleteSector(ctx, sectorId);
      print(io, values, { removed: sectorId }, () => `sector ${sectorId} verwijderd`);
    },
  }),

  'org add': command({
    usage:
      'org add --name NAAM --sector SECTOR [--member-from Q] [--member-until Q] [--contact-name N] [--contact-email E] [--contact-phone T] [--reason TEKST] [--json]',
    summary: 'organisatie toevoegen (SECTOR: naam of id)',
    options: {
      name: str,
      sector: str,
      'member-from': str,
      'member-until': str,
      'contact-name': str,
      'contact-email': str,
      'contact-phone': str,
      notes: str,
      reason: str,
      json,
    },
    run: async ({ ctx, io }, values) => {
      const sector = await sectors.resolveSector(ctx, required(values, 'sector'));
      const body = createOrganisationBody.parse({
        name: required(values, 'name'),
        sectorId: sector.id,
        memberFrom: optionalQuarter(values, 'member-from'),
        memberUntil: optionalQuarter(values, 'member-until'),
        contactName: optional(values, 'contact-name'),
        contactEmail: optional(values, 'contact-email'),
        contactPhone: optional(values, 'contact-phone'),
        notes: optional(values, 'notes'),
        reason: optional(values, 'reason'),
      });
      const o = await orgs.createOrganisation(ctx, body);
      print(
        io,
        values,
        o,
        () =>
          `organisatie ${o.id} '${o.name}' (${o.sector}) toegevoegd, lid sinds ${formatQuarter(o.memberFrom)}`,
      );
    },
  }),

  'org update': command({
    usage:
      'org update ID [--name NAAM] [--sector SECTOR] [--member-from Q] [--member-until Q|none] [--contact-name N] [--contact-email E] [--contact-phone T] [--reason TEKST] [--employees N --year JJJJ] [--json]',
    summary:
      'organisatie wijzigen; met --employees en --year het aantal medewerkers met een publieke taak in dat jaar',
    options: {
      name: str,
      sector: str,
      'member-from': str,
      'member-until': str,
      'contact-name': str,
      'contact-email': str,
      'contact-phone': str,
      notes: str,
      reason: str,
      employees: str,
      year: str,
      json,
    },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const orgId = id(raw, 'organisatie');
      const employees = optional(values, 'employees');
      const year = optional(values, 'year');
      if ((employees === undefined) !== (year === undefined)) {
        throw new UsageError('geef --employees en --year samen: het aantal medewerkers geldt per jaar');
      }
      const orgFields = [
        'name',
        'sector',
        'member-from',
        'member-until',
        'contact-name',
        'contact-email',
        'contact-phone',
        'notes',
      ] as const;
      if (
        employees !== undefined &&
        year !== undefined &&
        orgFields.every((f) => optional(values, f) === undefined)
      ) {
        const params = employeesYearParams.parse({ id: String(orgId), year: year.trim() });
        const body = employeesBody.parse({ employees: wholeNumber(employees) });
        const result = await incidents.recordEmployees(ctx, orgId, params.year, body, { keep: true });
        print(
          io,
          values,
          result.employees,
          () =>
            `${result.created ? 'vastgelegd' : 'gewijzigd'}: organisatie ${orgId} had in ${params.year} ${result.employees.employees} medewerkers met een publieke taak`,
        );
        return;
      }
      if (employees !== undefined) {
        throw new UsageError('wijzig het aantal medewerkers (--employees, --year) in een aparte opdracht');
      }
      const sectorName = optional(values, 'sector');
      const until = optional(values, 'member-until');
      const body = updateOrganisationBody.parse({
        name: optional(values, 'name'),
        sectorId: sectorName === undefined ? undefined : (await sectors.resolveSector(ctx, sectorName)).id,
        memberFrom: optionalQuarter(values, 'member-from'),
        memberUntil: until === undefined ? undefined : until === 'none' ? null : checkQuarter(until),
        contactName: optional(values, 'contact-name'),
        contactEmail: optional(values, 'contact-email'),
        contactPhone: optional(values, 'contact-phone'),
        notes: optional(values, 'notes'),
        reason: optional(values, 'reason'),
      });
      const o = await orgs.updateOrganisation(ctx, orgId, body);
      print(io, values, o, () => `organisatie ${o.id} '${o.name}' gewijzigd`);
    },
  }),

  'org list': command({
    usage: 'org list [--sector SECTOR] [--quarter Q] [--search TEKST] [--archived] [--json]',
    summary: 'organisaties met hun versnelling in een kwartaal',
    options: { sector: str, quarter: str, search: str, archived: { type: 'boolean' }, json },
    run: async ({ ctx, io }, values) => {
      const sectorName = optional(values, 'sector');
      const result = await orgs.listOrganisations(ctx, {
        sectorId: sectorName === undefined ? undefined : (await sectors.resolveSector(ctx, sectorName)).id,
        quarter: optionalQuarter(values, 'quarter'),
        q: optional(values, 'search'),
        includeArchived: values.archived === true,
      });
      print(io, values, result, () =>
        [
          `Organisaties in ${formatQuarter(result.quarter)}:`,
          ...result.items.map(
            (o) =>
              `${o.id}\t${o.name}\t${o.sector}\t${o.gear ?? '–'}${o.gearRecordedIn && o.gearRecordedIn !== result.quarter ? ` (uit ${formatQuarter(o.gearRecordedIn)})` : ''}${o.archived ? '\t[gearchiveerd]' : ''}`,
          ),
        ].join('\n'),
      );
    },
  }),

  'org show': command({
    usage: 'org show ID [--quarter Q] [--json]',
    summary: 'versnelling, wat er staat en de volgende stappen in een kwartaal (standaard het huidige)',
    options: { quarter: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const s = await statusAt(ctx, id(raw, 'organisatie'), optionalQuarter(values, 'quarter'));
      const data = {
        id: s.id,
        name: s.name,
        sector: s.sector,
        quarter: s.quarter,
        member: s.member,
        gear: s.gear,
        carriedFrom: s.carriedFrom,
        ageQuarters: s.ageQuarters,
        met: s.met,
        nextSteps: s.nextSteps.map((c) => c.key),
        progress: s.progress,
      };
      print(io, values, data, () =>
        [
          `${s.name} (${s.sector}), ${formatQuarter(s.quarter)}: ${gearText(s.gear)}${s.gearName ? ` – ${s.gearName}` : ''}`,
          ...(s.carriedFrom
            ? [`  doorgeschoven uit ${formatQuarter(s.carriedFrom)}, ${ageText(s.ageQuarters ?? 0)}`]
            : []),
          ...(!s.member ? ['  geen lid in dit kwartaal'] : []),
          ...(s.progress
            ? [`  voortgang naar versnelling ${(s.gear ?? 0) + 1}: ${s.progress.met} van ${s.progress.total}`]
            : []),
          ...(s.nextSteps.length
            ? [
                '  volgende stappen:',
                ...s.nextSteps.map((c) => `   ${c.key}  ${c.text}\n       ${c.guidance}`),
              ]
            : []),
        ].join('\n'),
      );
    },
  }),

  'org history': command({
    usage: 'org history ID [--from Q] [--to Q] [--json]',
    summary: 'versnelling per kwartaal',
    options: { from: str, to: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const h = await gearHistory(ctx, id(raw, 'organisatie'), {
        from: optionalQuarter(values, 'from'),
        to: optionalQuarter(values, 'to'),
      });
      print(io, values, h, () =>
        [
          h.name,
          ...h.quarters.map(
            (q) =>
              `  ${formatQuarter(q.quarter)}  ${q.gear ?? '–'}${q.carriedFrom ? `  (doorgeschoven uit ${formatQuarter(q.carriedFrom)})` : ''}${q.member ? '' : '  (geen lid)'}`,
          ),
        ].join('\n'),
      );
    },
  }),

  'org diff': command({
    usage: 'org diff ID --from Q --to Q [--json]',
    summary: 'waarom veranderde de versnelling: de criteria met een ander antwoord tussen twee kwartalen',
    options: { from: str, to: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const d = await gearDiff(ctx, id(raw, 'organisatie'), quarter(values, 'from'), quarter(values, 'to'));
      const side = (q: Quarter, gear: number | null, recordedIn: Quarter | null) =>
        `${gearText(gear)} in ${formatQuarter(q)}${recordedIn && recordedIn !== q ? ` (uit ${formatQuarter(recordedIn)})` : ''}`;
      const answer = (a: string | null) => (a === null ? 'geen antwoord' : a === 'nvt' ? 'n.v.t.' : a);
      const met = (c: { fromMet: boolean; toMet: boolean }) =>
        c.fromMet === c.toMet
          ? c.toMet
            ? 'nog steeds voldaan'
            : 'nog steeds niet voldaan'
          : c.toMet
            ? 'nu voldaan'
            : 'niet meer voldaan';
      print(io, values, d, () =>
        [
          `${d.name}: ${side(d.from, d.fromGear, d.fromRecordedIn)} → ${side(d.to, d.toGear, d.toRecordedIn)}`,
          d.explanation,
          ...d.changes.map((c) => `  ${c.criterion}  ${answer(c.from)} → ${answer(c.to)}  (${met(c)})`),
        ].join('\n'),
      );
    },
  }),

  'org periods': command({
    usage: 'org periods ID [--json]',
    summary: 'lidmaatschapsperiodes en sectorgeschiedenis van een organisatie',
    options: { json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const p = await organisationPeriods(ctx, id(raw, 'organisatie'));
      const data = {
        memberships: p.memberships,
        sectors: p.sectors.map((s) => ({ sector: s.sector, sectorId: s.sectorId, from: s.from })),
      };
      print(io, values, data, () =>
        [
          'Lidmaatschap:',
          ...p.memberships.map(
            (m) => `  ${formatQuarter(m.from)} tot ${m.until ? `en met ${formatQuarter(m.until)}` : 'nu'}`,
          ),
          'Sector:',
          ...p.sectors.map((s) => `  ${s.sector} vanaf ${formatQuarter(s.from)}`),
        ].join('\n'),
      );
    },
  }),

  'org join': command({
    usage: 'org join ID --from Q [--reason TEKST] [--json]',
    summary: 'opnieuw lid: een nieuwe lidmaatschapsperiode vanaf Q (er mag er geen lopen)',
    options: { from: str, reason: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const o = await orgs.joinNetwork(ctx, id(raw, 'organisatie'), {
        from: quarter(values, 'from'),
        reason: reasonOf(values),
      });
      print(io, values, o, () => `organisatie ${o.id} '${o.name}' is lid: ${periodsText(o)}`);
    },
  }),

  'org leave': command({
    usage: 'org leave ID --until Q [--reason TEKST] [--json]',
    summary: 'lidmaatschap beëindigen: de lopende periode eindigt in Q',
    options: { until: str, reason: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const o = await orgs.leaveNetwork(ctx, id(raw, 'organisatie'), {
        until: quarter(values, 'until'),
        reason: reasonOf(values),
      });
      print(io, values, o, () => `organisatie ${o.id} '${o.name}' is lid geweest: ${periodsText(o)}`);
    },
  }),

  'org move': command({
    usage: 'org move ID --sector SECTOR --from Q [--reason TEKST] [--json]',
    summary: 'naar een andere sector vanaf Q; eerdere kwartalen houden hun sector',
    options: { sector: str, from: str, reason: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const sector = await sectors.resolveSector(ctx, required(values, 'sector'));
      const from = quarter(values, 'from');
      const o = await orgs.moveOrganisation(ctx, id(raw, 'organisatie'), {
        sectorId: sector.id,
        from,
        reason: reasonOf(values),
      });
      print(
        io,
        values,
        o,
        () => `organisatie ${o.id} '${o.name}' hoort vanaf ${formatQuarter(from)} bij ${sector.name}`,
      );
    },
  }),

  'org archive': command({
    usage: 'org archive ID [--member-until Q] [--reason TEKST] [--json]',
    summary: 'organisatie archiveren (lidmaatschap eindigt; standaard in het huidige kwartaal)',
    options: { 'member-until': str, reason: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const o = await orgs.archiveOrganisation(ctx, id(raw, 'organisatie'), {
        memberUntil: optionalQuarter(values, 'member-until'),
        reason: reasonOf(values),
      });
      print(
        io,
        values,
        o,
        () => `organisatie ${o.id} '${o.name}' gearchiveerd, lid tot en met ${formatQuarter(o.memberUntil!)}`,
      );
    },
  }),

  'org restore': command({
    usage: 'org restore ID [--reason TEKST] [--json]',
    summary: 'gearchiveerde organisatie terugzetten',
    options: { reason: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const o = await orgs.restoreOrganisation(ctx, id(raw, 'organisatie'), { reason: reasonOf(values) });
      print(io, values, o, () => `organisatie ${o.id} '${o.name}' teruggezet`);
    },
  }),

  'incidents record': command({
    usage:
      'incidents record --org ID --quarter Q [--verbal N] [--threat N] [--physical N] [--other N] [--reports N] [--reactions48h N] [--damage-recovered N] [--json]',
    summary:
      'incidentcijfers van een kwartaal vastleggen of corrigeren (alleen de gegeven cijfers; "none": niet geregistreerd)',
    options: {
      org: str,
      quarter: str,
      verbal: str,
      threat: str,
      physical: str,
      other: str,
      reports: str,
      reactions48h: str,
      'damage-recovered': str,
      json,
    },
    run: async ({ ctx, io }, values) => {
      const orgId = id(required(values, 'org'), '--org');
      const q = quarter(values, 'quarter');
      const flagOf: Record<IncidentField, string> = {
        verbal: 'verbal',
        threat: 'threat',
        physical: 'physical',
        other: 'other',
        reports: 'reports',
        reactions48h: 'reactions48h',
        damageRecovered: 'damage-recovered',
      };
      const given = Object.fromEntries(
        INCIDENT_FIELDS.flatMap((f) => {
          const raw = optional(values, flagOf[f] as keyof typeof values & string);
          if (raw === undefined) return [];
          return [[f, raw.trim().toLowerCase() === 'none' ? null : wholeNumber(raw)]];
        }),
      );
      if (Object.keys(given).length === 0) {
        throw new UsageError(
          'geef ten minste één cijfer, bijvoorbeeld --verbal 3 (of --verbal none: niet geregistreerd)',
        );
      }
      const body = incidentFiguresBody.parse(given);
      const { figures, created } = await incidents.recordIncidentFigures(ctx, orgId, q, body, { keep: true });
      print(io, values, figures, () =>
        [
          `incidentcijfers ${created ? 'vastgelegd' : 'bijgewerkt'} voor organisatie ${orgId} in ${formatQuarter(q)}:`,
          ...INCIDENT_FIELDS.map(
            (f) => `  ${INCIDENT_FIELD_NAMES[f]}: ${figures[f] === null ? 'niet geregistreerd' : figures[f]}`,
          ),
          `  incidenten in totaal: ${figures.incidents ?? 'niet geregistreerd'}`,
        ].join('\n'),
      );
    },
  }),

  'gear set': command({
    usage:
      'gear set --org ID --quarter Q --gear G [--source import|manual] [--remark TEKST] [--reason TEKST] [--json]',
    summary: 'versnelling rechtstreeks vastleggen (zonder antwoorden); opnieuw vastleggen wijzigt',
    options: { org: str, quarter: str, gear: str, source: str, remark: str, reason: str, json },
    run: async ({ ctx, io }, values) => {
      const orgId = id(required(values, 'org'), '--org');
      const q = quarter(values, 'quarter');
      const raw = required(values, 'gear');
      const body = gearBody.parse({
        gear: /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw,
        source: optional(values, 'source'),
        remark: optional(values, 'remark'),
        reason: optional(values, 'reason'),
      });
      const { quickscan, created } = await quickscans.recordGear(ctx, orgId, q, body, 'record');
      print(
        io,
        values,
        quickscan,
        () =>
          `versnelling ${quickscan.gear} ${created ? 'vastgelegd' : 'gewijzigd'} voor organisatie ${orgId} in ${formatQuarter(q)} (bron: ${quickscan.source})`,
      );
    },
  }),

  'quickscan record': command({
    usage:
      'quickscan record --org ID --quarter Q --answers BESTAND|- [--conducted-on JJJJ-MM-DD] [--conducted-by NAAM] [--remark TEKST] [--reason TEKST] [--json]',
    summary:
      'quickscan vastleggen; de versnelling volgt uit de antwoorden; opnieuw vastleggen wijzigt (met geschiedenis)',
    options: {
      org: str,
      quarter: str,
      answers: str,
      'conducted-on': str,
      'conducted-by': str,
      remark: str,
      reason: str,
      json,
    },
    run: async ({ ctx, io }, values) => {
      const orgId = id(required(values, 'org'), '--org');
      const q = quarter(values, 'quarter');
      const body = putQuickscanBody.parse({
        answers: await readAnswers(io, required(values, 'answers')),
        conductedOn: optional(values, 'conducted-on'),
        conductedBy: optional(values, 'conducted-by'),
        remark: optional(values, 'remark'),
        reason: optional(values, 'reason'),
      });
      const { quickscan, created } = await quickscans.recordQuickscan(ctx, orgId, q, body, 'record');
      print(
        io,
        values,
        quickscan,
        () =>
          `quickscan ${created ? 'vastgelegd' : 'gewijzigd'} voor organisatie ${orgId} in ${formatQuarter(q)}: versnelling ${quickscan.gear}`,
      );
    },
  }),

  'quickscan show': command({
    usage: 'quickscan show --org ID --quarter Q [--json]',
    summary: 'de quickscan van één kwartaal met de antwoorden',
    options: { org: str, quarter: str, json },
    run: async ({ ctx, io }, values) => {
      const qs = await quickscans.getQuickscan(
        ctx,
        id(required(values, 'org'), '--org'),
        quarter(values, 'quarter'),
      );
      print(io, values, qs, () =>
        [
          `${formatQuarter(qs.quarter)}: versnelling ${qs.gear} (bron: ${qs.source}, versie ${qs.version}, laatst door ${qs.updatedBy})`,
          ...Object.entries(qs.answers ?? {}).map(
            ([k, a]) => `  ${k}  ${a.answer}${a.note ? `  – ${a.note}` : ''}`,
          ),
        ].join('\n'),
      );
    },
  }),

  'quickscan remove': command({
    usage: 'quickscan remove --org ID --quarter Q [--reason TEKST] [--json]',
    summary: 'quickscan of vastgelegde versnelling verwijderen (blijft in de geschiedenis)',
    options: { org: str, quarter: str, reason: str, json },
    run: async ({ ctx, io }, values) => {
      const orgId = id(required(values, 'org'), '--org');
      const q = quarter(values, 'quarter');
      await quickscans.removeQuickscan(ctx, orgId, q, undefined, reasonOf(values));
      print(
        io,
        values,
        { removed: { organisationId: orgId, quarter: q } },
        () => `quickscan van organisatie ${orgId} in ${formatQuarter(q)} verwijderd`,
      );
    },
  }),

  'quarter list': command({
    usage: 'quarter list [--json]',
    summary: 'vastgestelde kwartalen (JSON: [{ quarter, closedAt, closedBy }])',
    options: { json },
    run: async ({ ctx, io }, values) => {
      const list = await closing.closedQuarters(ctx);
      print(io, values, list, () =>
        list.length === 0
          ? 'Nog geen kwartaal vastgesteld'
          : list
              .map(
                (c) =>
                  `${formatQuarter(c.quarter)}\tvastgesteld op ${formatDateTime(c.closedAt)} door ${c.closedBy}${c.restatementCount > 0 ? `\t${c.restatementCount} herziening(en)` : ''}`,
              )
              .join('\n'),
      );
    },
  }),

  'quarter close': command({
    usage: 'quarter close Q [--with-earlier] [--json]',
    summary:
      'kwartaal vaststellen: de cijfers worden bewaard zoals ze nu zijn (op volgorde; --with-earlier stelt ook de open kwartalen ervóór vast)',
    options: { 'with-earlier': { type: 'boolean' }, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const q = checkQuarter(raw ?? '');
      const closed = await closing.closeQuarter(ctx, q, { includeEarlier: values['with-earlier'] === true });
      const data = closed.length === 1 ? closed[0] : closed;
      print(io, values, data, () =>
        closed.map((c) => `${formatQuarter(c.quarter)} vastgesteld door ${c.closedBy}`).join('\n'),
      );
    },
  }),

  'quarter reopen': command({
    usage: 'quarter reopen Q --reason TEKST [--json]',
    summary: 'het laatst vastgestelde kwartaal heropenen, met een reden (blijft in de geschiedenis)',
    options: { reason: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const q = checkQuarter(raw ?? '');
      const reason = reasonField.parse(required(values, 'reason'));
      await closing.reopenQuarter(ctx, q, reason);
      print(io, values, { reopened: q, reason }, () => `${formatQuarter(q)} heropend: ${reason}`);
    },
  }),

  report: command({
    usage: 'report --from Q --to Q [--json]',
    summary: 'kwantitatieve analyse van de prestatielijst (JSON: onafgeronde getallen)',
    options: { from: str, to: str, json },
    run: async ({ ctx, io }, values) => {
      const r = await reports.reportSummary(ctx, quarter(values, 'from'), quarter(values, 'to'));
      print(io, values, r, () =>
        [
          `Aantal aangesloten organisaties\t${r.organisationCount}`,
          `Aantal sectoren\t${r.sectorCount}`,
          `Gemiddelde versnelling ${formatQuarter(r.from)}\t${formatAverage(r.overall.from.average)} (n=${r.overall.from.n})${closedSuffix(r, r.from, r.overall.from)}`,
          `Gemiddelde versnelling ${formatQuarter(r.to)}\t${formatAverage(r.overall.to.average)} (n=${r.overall.to.n}, ${formatPercent(r.overall.changePercent)} t.o.v. ${formatQuarter(r.from)})${closedSuffix(r, r.to, r.overall.to)}`,
          `Procentuele vordering per sector\t${r.sectors.map((s) => `${s.name} ${formatPercent(s.changePercent)}`).join(', ')}`,
          `Kwalitatief sterkste sector\t${joinNames(r.strongest) || '–'}`,
          `Zwakste sector\t${joinNames(weakest(r.sectors.map((x) => ({ name: x.name, average: x.to.average })))) || '–'}`,
          ...(r.overall.likeForLike
            ? [`Vergelijkbare vordering\t${describeLikeForLike(r.overall.likeForLike, r.from, r.to)}`]
            : []),
          ...(r.overall.changeParts !== undefined
            ? [`Waar de vordering vandaan komt\t${describeChangeParts(r.overall.changeParts, r.from, r.to)}`]
            : []),
          ...((r.modelVersions ?? []).length > 1 ? [`Let op\t${modelMixText(r.modelVersions ?? [])}`] : []),
          ...(r.restatements ?? []).map(
            (x) =>
              `Herziening ${formatQuarter(x.quarter)} ${x.scope}\tvastgesteld ${formatAverage(x.closed)} · herzien ${formatAverage(x.restated)} (reden: ${x.reason}; ${x.by}, ${formatDateTime(x.at)})`,
          ),
        ].join('\n'),
      );
    },
  }),

  'report measures': command({
    usage: 'report measures --quarter Q [--from Q] [--json]',
    summary:
      'per VPT-maatregel het aandeel leden dat aan de criteria voldoet, per sector en voor de regio (met --from: de verandering)',
    options: { quarter: str, from: str, json },
    run: async ({ ctx, io }, values) => {
      const q = quarter(values, 'quarter');
      const from = optionalQuarter(values, 'from');
      const rows = await reportMeasures(ctx, q, from);
      const share = (r: { met: number; unknown: number; total: number; share: number | null }) =>
        r.share === null
          ? 'geen leden'
          : `${formatPercent(r.share * 100).replace(/^\+/, '')} (${r.met} van ${r.total}${r.unknown > 0 ? `; ${r.unknown} onbekend` : ''})`;
      const change = (r: object) =>
        'changePoints' in r && from !== undefined
          ? `\t${r.changePoints === null ? '–' : `${(r.changePoints as number) >= 0 ? '+' : ''}${formatAverage(r.changePoints as number)} procentpunt t.o.v. ${formatQuarter(from)}`}`
          : '';
      print(io, values, rows, () =>
        [
          `Maatregelen in ${formatQuarter(q)}: aandeel leden dat aan de criteria voldoet (onbekend: versnelling zonder antwoorden)`,
          ...rows.map((r) => `${r.name}\t${share(r)}${change(r)}`),
        ].join('\n'),
      );
    },
  }),

  'baseline set': command({
    usage: 'baseline set --from Q --to Q --target-percent P [--sector S] [--json]',
    summary:
      'de 0-meting vastleggen of wijzigen: de periode en de beoogde verandering van de incidenten per 100 medewerkers (-25: een kwart minder), voor de regio of met --sector voor één sector',
    options: { from: str, to: str, 'target-percent': str, sector: str, json },
    run: async ({ ctx, io }, values) => {
      const sector = optional(values, 'sector');
      const sectorId = sector === undefined ? null : (await sectors.resolveSector(ctx, sector)).id;
      const body = baselineBody.parse({
        from: quarter(values, 'from'),
        to: quarter(values, 'to'),
        targetPercent: wholeNumber(required(values, 'target-percent').replace(',', '.')),
      });
      const { baseline, created } = await outcomes.setBaseline(ctx, sectorId, body, { keep: true });
      print(
        io,
        values,
        baseline,
        () =>
          `0-meting ${created ? 'vastgelegd' : 'bijgewerkt'} voor ${baseline.sector ?? 'de regio'}: ${formatQuarter(baseline.from)} – ${formatQuarter(baseline.to)}, doel ${formatPercent(baseline.targetPercent)} incidenten per 100 medewerkers`,
      );
    },
  }),

  'baseline list': command({
    usage: 'baseline list [--json]',
    summary: 'de 0-meting van de regio en van sectoren met een eigen',
    options: { json },
    run: async ({ ctx, io }, values) => {
      const list = await outcomes.baselines(ctx);
      const line = (b: Baseline) =>
        `${b.sector ?? 'Regio'}\t${formatQuarter(b.from)} – ${formatQuarter(b.to)}\tdoel ${formatPercent(b.targetPercent)}`;
      print(io, values, list, () =>
        list.region === null && list.sectors.length === 0
          ? 'nog geen 0-meting vastgelegd (baseline set --from Q --to Q --target-percent P)'
          : [
              ...(list.region ? [line(list.region)] : ['Regio\tnog geen 0-meting']),
              ...list.sectors.map(line),
            ].join('\n'),
      );
    },
  }),

  'report incidents': command({
    usage: 'report incidents --from Q --to Q [--json]',
    summary:
      'incidenten per 100 medewerkers per jaar in de 0-meting en in een periode, per sector en voor de regio (alleen organisaties met cijfers in beide)',
    options: { from: str, to: str, json },
    run: async ({ ctx, io }, values) => {
      const r = await outcomes.reportIncidents(ctx, quarter(values, 'from'), quarter(values, 'to'));
      const line = (name: string, c: IncidentReport['region']) =>
        [
          name,
          formatRate(c.baseline.per100),
          formatRate(c.period.per100),
          formatPercent(c.changePercent),
          formatPercent(c.targetPercent),
          c.onTrack === null ? '–' : c.onTrack ? 'ja' : 'nee',
          `${c.organisations.both} (alleen 0-meting ${c.organisations.onlyBaseline}, alleen periode ${c.organisations.onlyPeriod}${c.organisations.withoutEmployees > 0 ? `, zonder medewerkers ${c.organisations.withoutEmployees}` : ''})`,
        ].join('\t');
      print(io, values, r, () =>
        [
          `Incidenten per 100 medewerkers per jaar: 0-meting ${formatQuarter(r.baseline.from)} – ${formatQuarter(r.baseline.to)} tegen ${formatQuarter(r.period.from)} – ${formatQuarter(r.period.to)}`,
          ['', '0-meting', 'periode', 'verandering', 'doel', 'op koers', 'organisaties vergeleken'].join(
            '\t',
          ),
          line('Regio', r.region),
          ...r.sectors.map((s) => line(s.name, s)),
        ].join('\n'),
      );
    },
  }),

  'target add': command({
    usage: `target add --kind ${TARGET_KINDS.join('|')} --value V --quarter Q [--sector S] [--json]`,
    summary:
      'een doel van de regio (of met --sector van één sector) toevoegen, met het kwartaal waarin het gehaald moet zijn; bijvoorbeeld --kind gear-share-3 --value 80 --quarter 2017-Q4',
    options: { kind: str, value: str, quarter: str, sector: str, json },
    run: async ({ ctx, io }, values) => {
      const sector = optional(values, 'sector');
      const sectorId = sector === undefined ? null : (await sectors.resolveSector(ctx, sector)).id;
      const body = targetBody.parse({
        kind: required(values, 'kind'),
        value: wholeNumber(required(values, 'value').replace(',', '.')),
        quarter: quarter(values, 'quarter'),
        sectorId,
      });
      const target = await outcomes.addTarget(ctx, body);
      print(
        io,
        values,
        target,
        () => `doel ${target.id} toegevoegd: ${target.description}\n${targetLine(target)}`,
      );
    },
  }),

  'target list': command({
    usage: 'target list [--json]',
    summary: 'de doelen met hun huidige waarde en of ze op koers liggen',
    options: { json },
    run: async ({ ctx, io }, values) => {
      const list = await outcomes.listTargets(ctx);
      print(io, values, list, () =>
        list.length === 0
          ? 'nog geen doelen (target add --kind … --value … --quarter …)'
          : list.map((t) => `${t.id}\t${t.description}\n\t${targetLine(t)}`).join('\n'),
      );
    },
  }),

  'target remove': command({
    usage: 'target remove ID [--json]',
    summary: 'een doel laten vervallen (het blijft in de geschiedenis)',
    options: { json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const targetId = id(raw, 'het doel');
      await outcomes.deleteTarget(ctx, targetId);
      print(io, values, { id: targetId, removed: true }, () => `doel ${targetId} vervallen`);
    },
  }),

  'action add': command({
    usage:
      'action add --org ID --criterion KEY --title T [--owner NAAM] [--due Q|JJJJ-MM-DD] [--note T] [--json]',
    summary: 'een actie afspreken met een organisatie, op een criterium van het schakelmodel',
    options: { org: str, criterion: str, title: str, owner: str, due: str, note: str, json },
    run: async ({ ctx, io }, values) => {
      const orgId = id(required(values, 'org'), '--org');
      const body = createActionBody.parse({
        criterion: required(values, 'criterion'),
        title: required(values, 'title'),
        owner: optional(values, 'owner'),
        due: optional(values, 'due'),
        note: optional(values, 'note'),
      });
      const a = await actions.addAction(ctx, orgId, body);
      print(io, values, a, () => `actie ${a.id} afgesproken met ${a.organisation}: ${actionLine(a)}`);
    },
  }),

  'action set': command({
    usage: 'action set ID --status open|bezig|klaar|vervallen [--note T] [--json]',
    summary: 'de status (en eventueel de notitie) van een actie wijzigen',
    options: { status: str, note: str, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [raw]) => {
      const actionId = id(raw, 'de actie');
      const body = updateActionBody.parse({
        status: required(values, 'status'),
        note: optional(values, 'note'),
      });
      const a = await actions.changeAction(ctx, actionId, body, { keep: true });
      print(io, values, a, () => `actie ${a.id} (${a.organisation}): ${actionLine(a)}`);
    },
  }),

  'action list': command({
    usage: 'action list [--org ID] [--overdue] [--json]',
    summary: 'de afgesproken acties (van één organisatie; met --overdue alleen die over hun termijn)',
    options: { org: str, overdue: { type: 'boolean' }, json },
    run: async ({ ctx, io }, values) => {
      const org = optional(values, 'org');
      const list = await actions.listActions(ctx, {
        organisationId: org === undefined ? undefined : id(org, '--org'),
        overdue: values.overdue === true,
      });
      print(io, values, list, () =>
        list.length === 0
          ? values.overdue
            ? 'geen acties over hun termijn'
            : 'nog geen acties'
          : list.map((a) => `${a.id}\t${a.organisation}\t${actionLine(a)}`).join('\n'),
      );
    },
  }),

  'activity add': command({
    usage: `activity add --date JJJJ-MM-DD --kind ${ACTIVITY_KINDS.join('|')} --title T [--org ID]... [--measure M]... [--notes T] [--json]`,
    summary: 'een activiteit van het netwerk vastleggen (--org en --measure herhaalbaar)',
    options: {
      date: str,
      kind: str,
      title: str,
      org: { type: 'string', multiple: true },
      measure: { type: 'string', multiple: true },
      notes: str,
      json,
    },
    run: async ({ ctx, io }, values) => {
      const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [String(v)]);
      const body = createActivityBody.parse({
        date: required(values, 'date'),
        kind: required(values, 'kind'),
        title: required(values, 'title'),
        organisationIds: list(values.org).map((o) => id(o, '--org')),
        measures: list(values.measure),
        notes: optional(values, 'notes'),
      });
      const a = await activities.addActivity(ctx, body);
      print(io, values, a, () => `activiteit ${a.id} vastgelegd: ${activityLine(a)}`);
    },
  }),

  'activity list': command({
    usage: 'activity list [--org ID] [--from Q] [--to Q] [--json]',
    summary: 'de activiteiten van het netwerk, nieuwste eerst',
    options: { org: str, from: str, to: str, json },
    run: async ({ ctx, io }, values) => {
      const org = optional(values, 'org');
      const from = optionalQuarter(values, 'from');
      const to = optionalQuarter(values, 'to');
      activities.checkActivityPeriod(from, to);
      const list = await activities.listActivities(ctx, {
        organisationId: org === undefined ? undefined : id(org, '--org'),
        from,
        to,
      });
      print(io, values, list, () =>
        list.length === 0 ? 'geen activiteiten' : list.map((a) => `${a.id}\t${activityLine(a)}`).join('\n'),
      );
    },
  }),

  matrix: command({
    usage: 'matrix --from Q --to Q [--json]',
    summary: 'gemiddelde versnelling en n per sector en kwartaal',
    options: { from: str, to: str, json },
    run: async ({ ctx, io }, values) => {
      const m = await reports.reportMatrix(ctx, quarter(values, 'from'), quarter(values, 'to'));
      const row = (name: string, cells: typeof m.region.cells, change: number | null) =>
        [name, ...cells.map((c) => `${formatAverage(c.average)} (${c.n})`), formatPercent(change)].join('\t');
      print(io, values, m, () =>
        [
          ['Sector', ...m.quarters.map(formatQuarter), 'Verandering'].join('\t'),
          ...m.sectors.map((s) => row(s.name, s.cells, s.changePercent)),
          row('Regio', m.region.cells, m.region.changePercent),
        ].join('\n'),
      );
    },
  }),

  worklist: command({
    usage: 'worklist [--quarter Q] [--json]',
    summary: 'leden zonder quickscan in een kwartaal (standaard het huidige)',
    options: { quarter: str, json },
    run: async ({ ctx, io }, values) => {
      const w = await reports.worklist(ctx, optionalQuarter(values, 'quarter'));
      print(io, values, w, () =>
        [
          `Nog geen quickscan in ${formatQuarter(w.quarter)}: ${w.items.length} organisaties`,
          ...w.items.map(
            (i) =>
              `${i.id}\t${i.name}\t${i.sector}\t${i.gear === null ? 'nog geen versnelling' : `versnelling ${i.gear} uit ${formatQuarter(i.lastRecordedIn!)}`}`,
          ),
        ].join('\n'),
      );
    },
  }),

  'user add': command({
    usage:
      'user add --email E --role projectleider|bestuur|organisatie [--organisation ID] [--json]   (wachtwoord via stdin)',
    summary: 'account toevoegen; het wachtwoord (minstens 12 tekens) komt van stdin',
    options: { email: str, role: str, organisation: str, json },
    run: async ({ ctx, io }, values) => {
      const org = optional(values, 'organisation');
      const body = createUserBody.parse({
        email: required(values, 'email'),
        role: required(values, 'role'),
        organisationId: org === undefined ? undefined : id(org, '--organisation'),
        password: await readPassword(io),
      });
      const u = await users.createUser(ctx, body);
      print(io, values, u, () => `account ${u.id} ${u.email} (${u.role}) toegevoegd`);
    },
  }),

  'resource add': command(resourceAddCommand),

  'resource list': command(resourceListCommand),

  'resource remove': command(resourceRemoveCommand),

  'user invite': command(userInviteCommand),

  'user reset-link': command(userResetLinkCommand),

  'user list': command({
    usage: 'user list [--json]',
    summary: 'alle accounts',
    options: { json },
    run: async ({ ctx, io }, values) => {
      const list = await users.listUsers(ctx);
      print(io, values, list, () =>
        list
          .map(
            (u) =>
              `${u.id}\t${u.email}\t${u.role}${u.organisationId ? ` (organisatie ${u.organisationId})` : ''}${u.disabled ? '\t[uitgeschakeld]' : ''}`,
          )
          .join('\n'),
      );
    },
  }),

  'user disable': command({
    usage: 'user disable --email E [--json]',
    summary: 'account uitschakelen; de sessies eindigen direct',
    options: { email: str, json },
    run: async ({ ctx, io }, values) => {
      const u = await users.findUserByEmail(ctx, required(values, 'email'));
      const after = await users.updateUser(ctx, u.id, { disabled: true });
      print(io, values, after, () => `account ${after.email} uitgeschakeld`);
    },
  }),

  'user enable': command({
    usage: 'user enable --email E [--json]',
    summary: 'uitgeschakeld account weer inschakelen',
    options: { email: str, json },
    run: async ({ ctx, io }, values) => {
      const u = await users.findUserByEmail(ctx, required(values, 'email'));
      const after = await users.updateUser(ctx, u.id, { disabled: false });
      print(io, values, after, () => `account ${after.email} ingeschakeld`);
    },
  }),

  'user set-role': command({
    usage: 'user set-role --email E --role R [--organisation ID] [--json]',
    summary: 'rol (en bij organisatie: de organisatie) van een account wijzigen',
    options: { email: str, role: str, organisation: str, json },
    run: async ({ ctx, io }, values) => {
      const u = await users.findUserByEmail(ctx, required(values, 'email'));
      const org = optional(values, 'organisation');
      const body = updateUserBody.parse({
        role: required(values, 'role'),
        organisationId: org === undefined ? null : id(org, '--organisation'),
      });
      const after = await users.updateUser(ctx, u.id, body);
      print(io, values, after, () => `account ${after.email} heeft nu de rol ${after.role}`);
    },
  }),

  'user reset-password': command({
    usage: 'user reset-password --email E [--json]   (nieuw wachtwoord via stdin)',
    summary: 'nieuw wachtwoord instellen; de sessies van het account eindigen',
    options: { email: str, json },
    run: async ({ ctx, io }, values) => {
      const u = await users.findUserByEmail(ctx, required(values, 'email'));
      const password = passwordBody.parse({ password: await readPassword(io) }).password;
      const after = await users.resetPassword(ctx, u.id, password);
      print(io, values, after, () => `nieuw wachtwoord ingesteld voor ${after.email}`);
    },
  }),

  'user reset-2fa': command({
    usage: 'user reset-2fa --email E [--json]',
    summary:
      'twee-staps-inloggen van een account herstellen (verloren telefoon): geheim en herstelcodes vervallen, de sessies eindigen',
    options: { email: str, json },
    run: async ({ ctx, io }, values) => {
      const u = await users.findUserByEmail(ctx, required(values, 'email'));
      const after = await users.resetTwoFactor(ctx, u.id);
      print(
        io,
        values,
        after,
        () =>
          `twee-staps-inloggen van ${after.email} is uitgezet; bij de volgende keer inloggen is alleen het wachtwoord nodig (of wordt het opnieuw ingesteld als REQUIRE_2FA dat eist)`,
      );
    },
  }),

  'export prestatielijst': command({
    usage: 'export prestatielijst --from Q --to Q --out BESTAND.xlsx [--json]',
    summary:
      'de prestatielijst als Excel-werkmap voor het bestuur (Prestatielijst, Analyse, Sectoren, Schakelmodel)',
    options: { from: str, to: str, out: str, json },
    run: async ({ ctx, io }, values) => {
      const from = quarter(values, 'from');
      const to = quarter(values, 'to');
      const file = required(values, 'out');
      const config = loadConfig(io.env);
      const workbook = await prepareExport(ctx, config.regionName, from, to);
      const out = createWriteStream(file);
      try {
        await Promise.all([workbook.write(out), finished(out)]);
      } catch (err) {
        throw new ValidationError(
          `kan '${file}' niet schrijven: ${(err as Error).message}`,
          undefined,
          'write_failed',
        );
      }
      const { organisations, quarters } = workbook;
      print(
        io,
        values,
        { file, from, to, organisations, quarters },
        () =>
          `prestatielijst ${formatQuarter(from)} – ${formatQuarter(to)} geschreven naar ${file} (${organisations} organisaties)`,
      );
    },
  }),

  'incidents import': command(incidentsImportCommand),

  'import prestatielijst': command({
    usage: 'import prestatielijst BESTAND [--dry-run] [--new-sector NAAM]... [--reason TEKST] [--json]',
    summary:
      'bestaande prestatielijst (.xlsx of .csv) inlezen: alles of niets; met --dry-run alleen laten zien wat er zou gebeuren; ' +
      '--new-sector bevestigt een nieuwe sector die op een bestaande lijkt (herhaalbaar)',
    // `multiple`: parseArgs gives every --new-sector, as an array (the typed helpers see a string).
    options: {
      'dry-run': { type: 'boolean' },
      'new-sector': { type: 'string', multiple: true },
      reason: str,
      json,
    },
    positionals: 1,
    run: async ({ ctx, io }, values, [path]) => {
      const given = values['new-sector'] as unknown as string[] | string | undefined;
      const newSectors = given === undefined ? [] : Array.isArray(given) ? given : [given];
      const file = path!;
      let buffer: Buffer;
      try {
        assertImportSize((await stat(file)).size);
        buffer = await readFile(file);
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new ValidationError(
          `kan '${file}' niet lezen: ${(err as Error).message}`,
          undefined,
          'read_failed',
        );
      }
      const parsed = await readPrestatielijst(buffer, file.split(/[\\/]/).pop() ?? file);
      let report: ImportReport;
      try {
        report = await importPrestatielijst(ctx, parsed, {
          dryRun: values['dry-run'] === true,
          newSectors,
          reason: reasonOf(values),
        });
      } catch (err) {
        // Say how to confirm a look-alike sector name that is new after all.
        const similar = err instanceof AppError ? err.details?.similarSectors : undefined;
        if (!(err instanceof AppError) || !Array.isArray(similar) || similar.length === 0) throw err;
        const flags = (similar as Array<{ name: string }>)
          .map((s) => `--new-sector "${s.name.replaceAll('"', '\\"')}"`)
          .join(' ');
        throw new AppError(
          err.code,
          err.statusCode,
          `${err.message} (is het toch een nieuwe sector, bevestig dat dan met ${flags})`,
          err.details,
        );
      }
      print(io, values, report, () => importSummary(report));
    },
  }),

  backup: command({
    usage: 'backup BESTAND [--overwrite] [--json]',
    summary: 'schrijft een consistente kopie van de database, ook terwijl de server draait',
    options: { overwrite: { type: 'boolean' }, json },
    positionals: 1,
    run: async ({ ctx, io }, values, [file]) => {
      const result = await backupDatabase(ctx.db, file!, { overwrite: values.overwrite === true });
      print(
        io,
        values,
        result,
        () => `back-up geschreven: ${result.file} (${result.bytes} bytes, integrity_check ok)`,
      );
    },
  }),

  restore: command({
    usage: 'restore BESTAND [--json]',
    summary: 'zet een back-up terug als de database (alleen als de server gestopt is)',
    options: { json },
    positionals: 1,
    offline: async ({ io, now }, values, [file]) => {
      const result = await restoreDatabase(file!, loadConfig(io.env).databasePath, now());
      print(io, values, result, () =>
        [
          `hersteld: ${result.database} is nu de back-up ${result.file}`,
          ...(result.previous ? [`de vorige database is bewaard als ${result.previous}`] : []),
          ...(result.migrated.length > 0 ? [`bijgewerkt met ${result.migrated.length} migratie(s)`] : []),
        ].join('\n'),
      );
    },
  }),

  demo: command({
    usage: 'demo [--seed N] [--json]',
    summary: 'vult een lege database met een fictieve regio (ca. 75 organisaties, 2015-Q4 tot nu)',
    options: { seed: str, json },
    run: async ({ ctx, io }, values) => {
      const seedText = optional(values, 'seed');
      const seed = seedText === undefined ? undefined : z.coerce.number().int().parse(seedText);
      const result = await fillDemo(ctx, seed === undefined ? {} : { seed });
      print(
        io,
        values,
        result,
        () =>
          `demoregio aangemaakt: ${result.organisations} organisaties, ${result.quickscans} quickscans van ${formatQuarter(result.from)} tot ${formatQuarter(result.to)}, incidentcijfers van ${result.incidentQuarters} organisatiekwartalen, een 0-meting en drie doelen`,
      );
    },
  }),
};

/** Finds the command for the words at the start of argv: `org show 3 …` → 'org show'. */
export function findCommand(
  argv: readonly string[],
): { name: string; command: Command; rest: string[] } | null {
  const two = argv.slice(0, 2).join(' ');
  if (commands[two]) return { name: two, command: commands[two], rest: argv.slice(2) };
  const one = argv[0] ?? '';
  if (commands[one]) return { name: one, command: commands[one], rest: argv.slice(1) };
  return null;
}

/**
 * `--target-percent -25` as `--target-percent=-25`: parseArgs reads a value that starts with a dash
 * as a forgotten value, while a negative number is what a reduction is written as.
 */
function negativeValuesJoined(command: Command, args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name && command.options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

export function parseCommandArgs(
  command: Command,
  rest: string[],
): { values: Values; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: negativeValuesJoined(command, rest),
    options: command.options,
    allowPositionals: true,
    strict: true,
  });
  const expected = command.positionals ?? 0;
  if (positionals.length !== expected) {
    throw new UsageError(
      expected === 0
        ? `onverwacht argument '${positionals[0]}'; gebruik: ${command.usage}`
        : `verwacht ${expected} argument${expected === 1 ? '' : 'en'}; gebruik: ${command.usage}`,
    );
  }
  return { values: values as Values, positionals };
}

export function helpText(): string {
  return [
    'VPT-schakelmodel – opdrachtregel',
    '',
    'Gebruik: npm run cli -- <opdracht> [opties]',
    '',
    ...Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    'Met --json komt alleen JSON op stdout; fouten gaan naar stderr met een exitcode ongelijk aan 0.',
    'De database is DATABASE_PATH (standaard data/vpt.sqlite).',
  ].join('\n');
}
