import { z } from 'zod';
import { booleanQuery, quarterSchema } from './common.contract.ts';
import { problemSchema } from './errors.contract.ts';
import { IMPORT_FORMATS } from './import.contract.ts';

const counts = (what: string) =>
  z.object({
    created: z
      .number()
      .int()
      .meta({ description: `${what} die nieuw zijn vastgelegd` }),
    updated: z
      .number()
      .int()
      .meta({ description: `${what} die zijn gewijzigd` }),
    unchanged: z
      .number()
      .int()
      .meta({ description: `${what} die al zo waren vastgelegd (geen revisie)` }),
  });

/** What an import of incident figures did (or, with dryRun, would do). */
export const incidentsImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    file: z.object({
      name: z.string(),
      format: z.enum(IMPORT_FORMATS),
      sheet: z.string().nullable(),
      rows: z.number().int().meta({ description: 'Rijen gelezen: één per organisatie en kwartaal' }),
    }),
    figures: counts('Kwartalen met incidentcijfers'),
    employees: counts('Aantallen medewerkers per organisatie en jaar'),
    organisations: z.number().int().meta({ description: 'Verschillende organisaties in het bestand' }),
    quarters: z.object({ from: quarterSchema.nullable(), to: quarterSchema.nullable() }),
    errors: z.array(problemSchema).meta({
      description: 'Altijd leeg: een bestand met fouten wordt geweigerd (import_invalid, details.problems)',
    }),
  })
  .meta({ id: 'IncidentsImportReport' });
export type IncidentsImportReport = z.infer<typeof incidentsImportReportSchema>;

export const incidentsImportQuery = z.object({ dryRun: booleanQuery });
