import { z } from 'zod';
import { TARGET_KINDS, TARGET_STATUS_NAMES, type TargetStatus } from '../domain/targets.ts';
import { idSchema, quarterSchema, versionField } from './common.contract.ts';

export { TARGET_KINDS };

const PERCENT_MESSAGE = 'geef de beoogde verandering als percentage tussen -100 en 0, bijvoorbeeld -25';

/**
 * The target change of the incidents per 100 employees, in percent. A reduction is meant: a
 * positive number is read as the same reduction (25 and −25 both mean 25% fewer).
 */
export const targetPercentField = z
  .number({ error: PERCENT_MESSAGE })
  .min(-100, PERCENT_MESSAGE)
  .max(100, PERCENT_MESSAGE)
  .transform((v) => -Math.abs(v))
  .meta({ description: 'Beoogde verandering in procent (−25: een kwart minder); 25 wordt gelezen als −25' });

/** A baseline as it is to be: its period of quarters and the target change. */
export const baselineBody = z
  .object({
    from: quarterSchema.meta({ description: 'Eerste kwartaal van de 0-meting' }),
    to: quarterSchema.meta({ description: 'Laatste kwartaal van de 0-meting' }),
    targetPercent: targetPercentField,
    expectedVersion: versionField,
  })
  .strict()
  .meta({ id: 'SetBaseline' });
export type BaselineInput = z.infer<typeof baselineBody>;

export const baselineSchema = z
  .object({
    id: z.number().int(),
    sectorId: z.number().int().nullable().meta({ description: 'null: de 0-meting van de regio' }),
    sector: z.string().nullable(),
    from: quarterSchema,
    to: quarterSchema,
    targetPercent: z.number(),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Baseline' });
export type Baseline = z.infer<typeof baselineSchema>;

export const baselineListSchema = z.object({
  region: baselineSchema.nullable(),
  sectors: z.array(baselineSchema),
});
export type BaselineList = z.infer<typeof baselineListSchema>;

export const sectorIdParams = z.object({ sectorId: idSchema });

const totals = z.object({
  incidents: z
    .number()
    .int()
    .meta({ description: 'Geregistreerde incidenten van de vergeleken organisaties' }),
  employees: z.number().int().meta({ description: 'Hun medewerkers met een publieke taak' }),
  employeeYears: z.number().meta({ description: 'Medewerkerjaren achter het cijfer' }),
  quarters: z.number().int().meta({ description: 'Geregistreerde organisatiekwartalen' }),
  per100: z.number().nullable().meta({ description: 'Incidenten per 100 medewerkers per jaar, onafgerond' }),
});

const comparison = {
  baseline: totals,
  period: totals,
  changePercent: z.number().nullable().meta({ description: 'Verandering van per100 t.o.v. de 0-meting' }),
  targetPercent: z.number().nullable(),
  onTrack: z
    .boolean()
    .nullable()
    .meta({ description: 'changePercent ≤ targetPercent; null zonder verandering' }),
  organisations: z.object({
    both: z.number().int().meta({ description: 'Met cijfers in de 0-meting en in de periode: vergeleken' }),
    onlyBaseline: z.number().int(),
    onlyPeriod: z.number().int(),
    withoutEmployees: z.number().int().meta({ description: 'Met incidenten maar zonder aantal medewerkers' }),
  }),
};

export const incidentReportSchema = z
  .object({
    baseline: z.object({ from: quarterSchema, to: quarterSchema }),
    period: z.object({ from: quarterSchema, to: quarterSchema }),
    region: z.object(comparison),
    sectors: z.array(
      z.object({
        name: z.string(),
        sectorId: z.number().int(),
        ...comparison,
        baselinePeriod: z.object({ from: quarterSchema, to: quarterSchema }).meta({
          description: 'De 0-meting van deze sector (die van de regio als de sector er geen heeft)',
        }),
      }),
    ),
  })
  .meta({ id: 'IncidentReport' });
export type IncidentReport = z.infer<typeof incidentReportSchema>;

export const incidentTrendSchema = z
  .object({
    organisationId: z.number().int(),
    sector: z.string().nullable(),
    quarters: z.array(
      z.object({
        quarter: quarterSchema,
        incidents: z.number().int().nullable(),
        per100: z.number().nullable().meta({ description: 'Eigen incidenten per 100 medewerkers per jaar' }),
        sectorPer100: z.number().nullable().meta({
          description: 'Dat van de sector (anoniem); null bij minder dan 3 organisaties met cijfers',
        }),
        sectorN: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'Organisaties achter het sectorcijfer; null als het is weggelaten' }),
      }),
    ),
  })
  .meta({ id: 'IncidentTrend' });
export type IncidentTrend = z.infer<typeof incidentTrendSchema>;

const STATUSES = Object.keys(TARGET_STATUS_NAMES) as [TargetStatus, ...TargetStatus[]];

export const targetBody = z
  .object({
    kind: z.enum(TARGET_KINDS, { error: `kies een soort doel: ${TARGET_KINDS.join(', ')}` }),
    value: z.number({ error: 'geef een streefwaarde (een getal)' }),
    quarter: quarterSchema.meta({ description: 'Het kwartaal waarin het doel gehaald moet zijn' }),
    sectorId: z
      .number({ error: 'kies een sector' })
      .int('kies een sector')
      .positive('kies een sector')
      .nullable()
      .optional()
      .meta({ description: 'Alleen voor deze sector; leeg: de regio' }),
  })
  .strict()
  .meta({ id: 'AddTarget' });
export type TargetInput = z.infer<typeof targetBody>;

export const targetSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(TARGET_KINDS),
    value: z.number(),
    quarter: quarterSchema,
    sectorId: z.number().int().nullable(),
    sector: z.string().nullable(),
    description: z.string().meta({ description: 'Het doel in één Nederlandse zin' }),
    current: z
      .number()
      .nullable()
      .meta({ description: 'De waarde nu (of in het doelkwartaal als dat voorbij is)' }),
    currentQuarter: quarterSchema,
    about: z.string().nullable().meta({ description: 'Waar de waarde over gaat (de laagste sector)' }),
    met: z.boolean().nullable(),
    projected: z.number().nullable().meta({ description: 'Doorgetrokken lijn tot het doelkwartaal' }),
    onTrack: z.boolean().nullable(),
    status: z.enum(STATUSES),
    statusText: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Target' });
export type Target = z.infer<typeof targetSchema>;

export const targetListSchema = z.array(targetSchema);
