import { readFile, stat } from 'node:fs/promises';
import type { IncidentsImportReport } from '../../server/contracts/incidents-import.contract.ts';
import { formatQuarter } from '../../server/domain/quarter.ts';
import { AppError, ValidationError } from '../../server/errors.ts';
import { assertIncidentsImportSize, readIncidentsFile } from '../../server/excel/incidents-reader.ts';
import { importIncidentFigures } from '../../server/services/incidents-import.service.ts';
import type { CommandRun } from './commands.ts';

/** The report in a few Dutch lines. */
export function incidentsImportSummary(r: IncidentsImportReport): string {
  const { figures: f, employees: e } = r;
  const period =
    r.quarters.from && r.quarters.to
      ? r.quarters.from === r.quarters.to
        ? formatQuarter(r.quarters.from)
        : `${formatQuarter(r.quarters.from)} – ${formatQuarter(r.quarters.to)}`
      : 'geen kwartalen';
  return [
    `incidentcijfers ${r.dryRun ? 'gecontroleerd' : 'ingelezen'} uit ${r.file.name}: ${f.created} kwartalen nieuw, ${f.updated} gewijzigd, ${f.unchanged} ongewijzigd`,
    `medewerkers per jaar: ${e.created} nieuw, ${e.updated} gewijzigd, ${e.unchanged} ongewijzigd`,
    `bestand: ${r.file.rows} rijen${r.file.sheet ? `, werkblad ${r.file.sheet}` : ''}, ${r.organisations} organisaties, ${period}`,
    ...(r.dryRun ? ['proefrun (--dry-run): er is niets opgeslagen'] : []),
  ].join('\n');
}

/** Reads and imports a file of incident figures; the report as it is, for --json or the summary. */
export async function runIncidentsImport(
  ctx: CommandRun['ctx'],
  path: string,
  options: { dryRun: boolean },
): Promise<IncidentsImportReport> {
  let buffer: Buffer;
  try {
    assertIncidentsImportSize((await stat(path)).size);
    buffer = await readFile(path);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new ValidationError(
      `kan '${path}' niet lezen: ${(err as Error).message}`,
      undefined,
      'read_failed',
    );
  }
  const parsed = await readIncidentsFile(buffer, path.split(/[\\/]/).pop() ?? path);
  return importIncidentFigures(ctx, parsed, { dryRun: options.dryRun });
}

/**
 * `incidents import BESTAND [--dry-run] [--json]`, for the command table in commands.ts:
 * `'incidents import': command(incidentsImportCommand)`.
 */
export const incidentsImportCommand = {
  usage: 'incidents import BESTAND [--dry-run] [--json]',
  summary:
    'incidentcijfers en medewerkers inlezen uit een .xlsx of .csv (een rij per organisatie en kwartaal): alles of niets; ' +
    'met --dry-run alleen laten zien wat er zou gebeuren',
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: 1,
  run: async (
    { ctx, io }: CommandRun,
    values: { 'dry-run'?: boolean; json?: boolean },
    [path]: string[],
  ): Promise<void> => {
    const report = await runIncidentsImport(ctx, path!, { dryRun: values['dry-run'] === true });
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${incidentsImportSummary(report)}\n`);
  },
} as const;
