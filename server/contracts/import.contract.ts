import { z } from 'zod';
import { booleanQuery, quarterSchema, reasonField } from './common.contract.ts';
import { problemSchema } from './errors.contract.ts';

export const IMPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why a row under the header is not read as an organisation. */
export const SKIP_REASONS = ['average', 'heading'] as const;

export const importReportSchema = z
  .object({
    dryRun: z.boolean(),
    file: z.object({
      name: z.string(),
      format: z.enum(IMPORT_FORMATS).nullable(),
      sheet: z.string().nullable(),
      organisations: z.number().int().meta({ description: 'Organisatierijen gelezen' }),
    }),
    quarters: z.object({ from: quarterSchema.nullable(), to: quarterSchema.nullable() }),
    sectors: z.object({ created: z.array(z.string()) }),
    organisations: z.object({
      created: z.array(z.string()),
      updated: z.array(z.string()),
      unchanged: z.number().int(),
    }),
    gears: z.object({ created: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
    sectorMoves: z
      .array(
        z.object({
          organisation: z.string(),
          from: z.string().meta({ description: 'De sector ervoor' }),
          to: z.string().meta({ description: 'De nieuwe sector' }),
          fromQuarter: quarterSchema.meta({ description: 'Vanaf dit kwartaal' }),
        }),
      )
      .meta({ description: 'Elke sectorwissel die de import vastlegt' }),
    newSectors: z.array(z.string()).meta({ description: 'Sectoren die de import aanmaakt' }),
    skippedRows: z
      .array(
        z.object({
          row: z
            .number()
            .int()
            .meta({ description: 'Rijnummer zoals het rekenblad het toont (CSV: het recordnummer)' }),
          name: z.string().meta({ description: 'De tekst in de kolom Organisatie' }),
          reason: z.enum(SKIP_REASONS).meta({
            description:
              'average: een gemiddelde-rij zoals de export die schrijft; heading: een sectorkop (een naam alleen op de rij)',
          }),
          message: z.string().meta({ description: 'Waarom de rij is overgeslagen, in het Nederlands' }),
        }),
      )
      .meta({ description: 'Elke rij onder de kopregel die bewust niet als organisatie is gelezen' }),
    errors: z.array(problemSchema).meta({
      description: 'Altijd leeg: een import met fouten wordt geweigerd (import_invalid, details.problems)',
    }),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReportSchema>;

export const importQuery = z.object({
  dryRun: booleanQuery,
  newSector: z
    .union([z.string().max(200), z.array(z.string().max(200)).max(100)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .meta({
      description:
        'Een nieuwe sectornaam die op een bestaande lijkt en toch nieuw moet worden (herhaalbaar: ?newSector=A&newSector=B)',
    }),
  reason: reasonField.optional(),
});
export type ImportOptions = z.infer<typeof importQuery>;

/** A new sector name in a list that looks like an existing sector (refused unless confirmed). */
export interface SimilarSector {
  name: string;
  existing: string;
}
