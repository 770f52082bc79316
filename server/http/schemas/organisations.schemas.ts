import { z } from 'zod';
import { booleanQuery, idSchema, optionalText, quarterSchema, versionField } from './common.schemas.ts';

const organisationFields = {
  id: z.number().int(),
  name: z.string(),
  sectorId: z.number().int(),
  sector: z.string(),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  notes: z.string().nullable(),
  memberFrom: z.string(),
  memberUntil: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const organisationSchema = z.object(organisationFields).meta({ id: 'Organisation' });

export const organisationListSchema = z.object({
  quarter: z.string(),
  items: z.array(
    z.object({
      ...organisationFields,
      member: z.boolean(),
      gear: z.number().int().nullable(),
      gearRecordedIn: z.string().nullable(),
    }),
  ),
});

export const organisationListQuery = z.object({
  sectorId: idSchema.optional(),
  q: z.string().max(200).optional(),
  includeArchived: booleanQuery,
  quarter: quarterSchema.optional(),
});

const email = z.email({ error: 'geen geldig e-mailadres' }).max(200);

export const createOrganisationBody = z
  .object({
    name: z.string().max(300),
    sectorId: z.number().int().positive(),
    contactName: optionalText(200),
    contactEmail: z.union([email, z.literal(''), z.null()]).optional(),
    contactPhone: optionalText(50),
    notes: optionalText(5000),
    memberFrom: quarterSchema.optional(),
    memberUntil: quarterSchema.nullable().optional(),
  })
  .strict();

export const updateOrganisationBody = createOrganisationBody
  .partial()
  .extend({ expectedVersion: versionField })
  .strict();

// Archiving is often a bare POST from a button: Fastify hands a missing body over as null.
export const archiveBody = z.object({ memberUntil: quarterSchema.optional() }).strict().nullish();

const criterionSchema = z.object({
  key: z.string(),
  text: z.string(),
  measure: z.string(),
  guidance: z.string(),
  gear: z.number().int(),
});

export const statusSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sector: z.string(),
    sectorId: z.number().int(),
    quarter: z.string(),
    member: z.boolean(),
    gear: z.number().int().nullable(),
    gearName: z.string().nullable(),
    carriedFrom: z.string().nullable(),
    source: z.enum(['quickscan', 'import', 'manual']).nullable(),
    model: z.object({ id: z.string(), version: z.number().int() }).nullable(),
    met: z.array(z.string()),
    partial: z.array(z.string()),
    nextSteps: z.array(criterionSchema),
    progress: z.object({ met: z.number().int(), total: z.number().int() }).meta({
      description:
        'Voldane criteria van de volgende versnelling; 0 van 0 bij versnelling 5 of zonder versnelling',
    }),
  })
  .meta({ id: 'OrganisationStatus' });

export const quarterQuery = z.object({ quarter: quarterSchema.optional() });

export const periodQuery = z.object({ from: quarterSchema.optional(), to: quarterSchema.optional() });

export const historySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  quarters: z.array(
    z.object({
      quarter: z.string(),
      member: z.boolean(),
      gear: z.number().int().nullable(),
      carriedFrom: z.string().nullable(),
      source: z.enum(['quickscan', 'import', 'manual']).nullable(),
    }),
  ),
});

export const revisionSchema = z.object({
  id: z.number().int(),
  entity: z.enum(['sector', 'organisation', 'quickscan', 'user', 'share_link']),
  entityId: z.number().int(),
  organisationId: z.number().int().nullable(),
  quarter: z.string().nullable(),
  action: z.enum([
    'create',
    'update',
    'delete',
    'archive',
    'restore',
    'disable',
    'enable',
    'revoke',
    'password_reset',
  ]),
  before: z.unknown(),
  after: z.unknown(),
  actor: z.string(),
  at: z.string(),
});
