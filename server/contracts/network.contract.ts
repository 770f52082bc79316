import { z } from 'zod';
import { ACTION_STATUSES, ACTIVITY_KINDS, isIsoDate, parseDue } from '../domain/network-work.ts';
import { booleanQuery, idSchema, quarterSchema, versionField } from './common.contract.ts';

export { ACTION_STATUSES, ACTIVITY_KINDS };

const DUE_MESSAGE = 'geef een kwartaal (bijvoorbeeld 2027-Q1) of een datum (bijvoorbeeld 2027-03-31)';

/** A due moment as typed: a quarter or a date; empty or null: none. */
const dueField = z
  .string({ error: DUE_MESSAGE })
  .max(20, DUE_MESSAGE)
  .nullable()
  .optional()
  .refine((v) => v === undefined || v === null || v.trim() === '' || parseDue(v) !== null, {
    error: DUE_MESSAGE,
  })
  .meta({ description: 'Kwartaal (2027-Q1) of datum (2027-03-31); leeg: geen' });

const titleField = z
  .string({ error: 'geef een omschrijving' })
  .trim()
  .min(1, 'geef een omschrijving')
  .max(300, 'hoogstens 300 tekens');
const noteField = z.string().trim().max(2000, 'hoogstens 2000 tekens').nullable().optional();
const statusField = z.enum(ACTION_STATUSES, { error: 'kies open, bezig, klaar of vervallen' });

export const createActionBody = z
  .object({
    criterion: z.string({ error: 'kies een criterium' }).trim().min(1, 'kies een criterium').max(20),
    title: titleField,
    owner: z.string().trim().max(200, 'hoogstens 200 tekens').nullable().optional(),
    due: dueField,
    note: noteField,
  })
  .strict()
  .meta({ id: 'CreateAction' });
export type CreateActionInput = z.infer<typeof createActionBody>;

/** A change; the organisation itself may only send `status` and `note`. */
export const updateActionBody = z
  .object({
    criterion: z.string().trim().min(1, 'kies een criterium').max(20).optional(),
    title: titleField.optional(),
    owner: z.string().trim().max(200, 'hoogstens 200 tekens').nullable().optional(),
    due: dueField,
    status: statusField.optional(),
    note: noteField,
    expectedVersion: versionField,
  })
  .strict()
  .meta({ id: 'UpdateAction' });
export type UpdateActionInput = z.infer<typeof updateActionBody>;

export const actionParams = z.object({ id: idSchema, actionId: idSchema });

export const actionSchema = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int(),
    organisation: z.string(),
    criterion: z.string(),
    criterionText: z
      .string()
      .nullable()
      .meta({ description: 'De tekst van het criterium in het actieve model' }),
    title: z.string(),
    owner: z.string().nullable(),
    due: z.object({ quarter: quarterSchema.nullable(), date: z.string().nullable() }),
    status: statusField,
    note: z.string().nullable(),
    overdue: z.boolean(),
    criterionMet: z.object({ quarter: quarterSchema }).nullable().meta({
      description: 'Het criterium is voldaan in een quickscan van na de afspraak: de actie kan dicht',
    }),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Action' });
export type Action = z.infer<typeof actionSchema>;

export const actionListQuery = z.object({
  organisationId: idSchema.optional(),
  overdue: booleanQuery,
});

const dateField = z
  .string({ error: 'geef een datum als JJJJ-MM-DD' })
  .refine(isIsoDate, { error: 'geef een bestaande datum als JJJJ-MM-DD, bijvoorbeeld 2026-11-30' });

const activityFields = {
  date: dateField,
  kind: z.enum(ACTIVITY_KINDS, { error: 'kies een soort activiteit' }),
  title: titleField,
  organisationIds: z
    .array(z.number({ error: 'geef organisaties als nummers' }).int().positive(), {
      error: (issue) => (issue.code === 'invalid_type' ? 'geef een lijst van organisaties' : undefined),
    })
    .max(500, 'hoogstens 500 organisaties per activiteit'),
  measures: z
    .array(z.string().max(40, 'een maatregel heeft een korte naam, bijvoorbeeld melden'), {
      error: (issue) => (issue.code === 'invalid_type' ? 'geef een lijst van maatregelen' : undefined),
    })
    .max(12, 'hoogstens de twaalf maatregelen'),
  notes: z.string().trim().max(5000, 'hoogstens 5000 tekens').nullable().optional(),
};

export const createActivityBody = z
  .object({
    ...activityFields,
    organisationIds: activityFields.organisationIds.default([]),
    measures: activityFields.measures.default([]),
  })
  .strict()
  .meta({ id: 'CreateActivity' });
export type CreateActivityInput = z.infer<typeof createActivityBody>;

/** A change: what is left out stays as it is (no defaults here: a left-out list is not an empty one). */
export const updateActivityBody = z
  .object(activityFields)
  .partial()
  .extend({ expectedVersion: versionField })
  .strict()
  .meta({ id: 'UpdateActivity' });
export type UpdateActivityInput = z.infer<typeof updateActivityBody>;

export const activitySchema = z
  .object({
    id: z.number().int(),
    date: z.string(),
    kind: z.enum(ACTIVITY_KINDS),
    title: z.string(),
    organisations: z.array(z.object({ id: z.number().int(), name: z.string() })),
    measures: z.array(z.object({ key: z.string(), name: z.string() })),
    notes: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Activity' });
export type Activity = z.infer<typeof activitySchema>;

export const activityListQuery = z.object({
  organisationId: idSchema.optional(),
  from: quarterSchema.optional(),
  to: quarterSchema.optional(),
  kind: z.enum(ACTIVITY_KINDS).optional(),
});

export const activityReportSchema = z
  .object({
    from: quarterSchema,
    to: quarterSchema,
    quarters: z.array(
      z.object({
        quarter: quarterSchema,
        counts: z.record(z.enum(ACTIVITY_KINDS), z.number().int()),
        total: z.number().int(),
      }),
    ),
    visited: z
      .object({
        asOf: z.string(),
        visited: z.number().int(),
        members: z.number().int(),
        share: z.number().nullable(),
      })
      .meta({ description: 'Leden met een huisbezoek in de twaalf maanden tot en met het einde van `to`' }),
  })
  .meta({ id: 'ActivityReport' });
export type ActivityReport = z.infer<typeof activityReportSchema>;
