import { z } from 'zod';
import { INCIDENT_FIELD_NAMES, INCIDENT_FIELDS, type IncidentField } from '../domain/incidents.ts';
import { idSchema, quarterSchema, versionField } from './common.contract.ts';

export {
  INCIDENT_FIELD_NAMES,
  INCIDENT_FIELDS,
  INCIDENT_KINDS,
  type IncidentField,
} from '../domain/incidents.ts';

export const MAX_INCIDENT_COUNT = 1_000_000;
const COUNT_MESSAGE = `geef een geheel getal van 0 tot en met ${MAX_INCIDENT_COUNT.toLocaleString('nl-NL')}, of laat leeg als het niet is geregistreerd`;

/** A count, or null: not registered (which is not 0). */
const count = z
  .number({ error: COUNT_MESSAGE })
  .int(COUNT_MESSAGE)
  .min(0, COUNT_MESSAGE)
  .max(MAX_INCIDENT_COUNT, COUNT_MESSAGE)
  .nullable();

const figureFields = Object.fromEntries(
  INCIDENT_FIELDS.map((f) => [
    f,
    count.optional().meta({ description: `${INCIDENT_FIELD_NAMES[f]}; leeg of afwezig: niet geregistreerd` }),
  ]),
) as Record<IncidentField, z.ZodOptional<typeof count>>;

/** The figures of a quarter as they are to be: a figure left out or null is "not registered". */
export const incidentFiguresBody = z
  .object({ ...figureFields, expectedVersion: versionField })
  .strict()
  .meta({ id: 'RecordIncidentFigures' });
export type IncidentFiguresInput = z.infer<typeof incidentFiguresBody>;

export const incidentQuarterParams = z.object({ id: idSchema, quarter: quarterSchema });

const figureOutputs = Object.fromEntries(
  INCIDENT_FIELDS.map((f) => [f, z.number().int().nullable()]),
) as Record<IncidentField, z.ZodNullable<z.ZodNumber>>;

export const incidentFiguresSchema = z
  .object({
    organisationId: z.number().int(),
    quarter: quarterSchema,
    ...figureOutputs,
    incidents: z.number().int().nullable().meta({
      description: 'Geregistreerde incidenten: de som van de soorten; null als geen soort is geregistreerd',
    }),
    version: z
      .number()
      .int()
      .meta({ description: '0 wanneer er nooit iets is vastgelegd; leeggemaakte cijfers houden hun versie' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'IncidentFigures' });
export type IncidentFigures = z.infer<typeof incidentFiguresSchema>;

export const MAX_EMPLOYEES = 10_000_000;
const EMPLOYEES_MESSAGE = `geef het aantal medewerkers met een publieke taak: een geheel getal van 1 tot en met ${MAX_EMPLOYEES.toLocaleString('nl-NL')}`;

export const employeesBody = z
  .object({
    employees: z
      .number({ error: EMPLOYEES_MESSAGE })
      .int(EMPLOYEES_MESSAGE)
      .min(1, EMPLOYEES_MESSAGE)
      .max(MAX_EMPLOYEES, EMPLOYEES_MESSAGE),
    expectedVersion: versionField,
  })
  .strict();
export type EmployeesInput = z.infer<typeof employeesBody>;

const YEAR_MESSAGE = 'geef een jaar als 2016 (1990 tot en met 2100)';
export const employeesYearParams = z.object({
  id: idSchema,
  year: z
    .string()
    .regex(/^\d{4}$/, YEAR_MESSAGE)
    .transform(Number)
    .pipe(z.number().int().min(1990, YEAR_MESSAGE).max(2100, YEAR_MESSAGE)),
});

export const employeesSchema = z
  .object({
    organisationId: z.number().int(),
    year: z.number().int(),
    employees: z.number().int(),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Employees' });
export type Employees = z.infer<typeof employeesSchema>;

/** An organisation's figures: every quarter with something registered, and its employees per year. */
export const organisationIncidentsSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  quarters: z.array(incidentFiguresSchema),
  employees: z.array(employeesSchema),
});
export type OrganisationIncidents = z.infer<typeof organisationIncidentsSchema>;
