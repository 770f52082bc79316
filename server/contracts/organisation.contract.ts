import { z } from 'zod';
import {
  booleanQuery,
  idSchema,
  optionalText,
  quarterSchema,
  reasonField,
  versionField,
} from './common.contract.ts';
import { QUICKSCAN_SOURCES } from './quickscan.contract.ts';

export const membershipPeriodSchema = z.object({
  from: quarterSchema,
  until: quarterSchema.nullable().meta({ description: 'null zolang het lidmaatschap loopt' }),
});
export type MembershipPeriodDto = z.infer<typeof membershipPeriodSchema>;

export const sectorPeriodSchema = z.object({
  sectorId: z.number().int(),
  sector: z.string(),
  from: quarterSchema.meta({ description: 'De sector geldt vanaf dit kwartaal tot de volgende' }),
});
export type SectorPeriodDto = z.infer<typeof sectorPeriodSchema>;

/** An organisation's membership periods and sector history (`org periods --json`). */
export const periodsSchema = z
  .object({ memberships: z.array(membershipPeriodSchema), sectors: z.array(sectorPeriodSchema) })
  .meta({ id: 'OrganisationPeriods' });
export type OrganisationPeriods = z.infer<typeof periodsSchema>;

const organisationFields = {
  id: z.number().int(),
  name: z.string(),
  sectorId: z.number().int().meta({ description: 'De sector nu (in een lijst: in het gevraagde kwartaal)' }),
  sector: z.string(),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  notes: z.string().nullable().meta({ description: 'Interne notities; een organisatie ziet ze niet' }),
  memberFrom: quarterSchema.meta({ description: 'Begin van de laatste lidmaatschapsperiode' }),
  memberUntil: quarterSchema
    .nullable()
    .meta({ description: 'Einde van de laatste periode; null als die loopt' }),
  memberships: z.array(membershipPeriodSchema),
  sectorHistory: z.array(sectorPeriodSchema),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const organisationSchema = z.object(organisationFields).meta({ id: 'Organisation' });
export type Organisation = z.infer<typeof organisationSchema>;

export const organisationListItemSchema = z.object({
  ...organisationFields,
  member: z.boolean(),
  gear: z.number().int().nullable().meta({ description: 'Versnelling in het kwartaal, ook doorgeschoven' }),
  gearRecordedIn: quarterSchema.nullable(),
  ageQuarters: z.number().int().nullable(),
});
export type OrganisationListItem = z.infer<typeof organisationListItemSchema>;

export const organisationListSchema = z.object({
  quarter: quarterSchema,
  items: z.array(organisationListItemSchema),
  total: z.number().int().meta({
    description:
      'Aantal organisaties dat aan de filters voldoet; met limit/offset de lengte van de hele lijst',
  }),
});
export type OrganisationList = z.infer<typeof organisationListSchema>;

export const organisationListQuery = z.object({
  sectorId: idSchema.optional(),
  q: z.string().max(200).optional(),
  includeArchived: booleanQuery,
  quarter: quarterSchema.optional(),
  limit: z.coerce
    .number({ error: 'geef een aantal van 1 tot en met 1000' })
    .int('geef een aantal van 1 tot en met 1000')
    .min(1, 'geef een aantal van 1 tot en met 1000')
    .max(1000, 'geef een aantal van 1 tot en met 1000')
    .optional()
    .meta({ description: 'Hoogstens zoveel organisaties (1–1000); zonder limit de hele lijst' }),
  offset: z.coerce
    .number({ error: 'geef een aantal van 0 of meer' })
    .int('geef een aantal van 0 of meer')
    .min(0, 'geef een aantal van 0 of meer')
    .optional()
    .meta({ description: 'Sla zoveel organisaties over (met limit: de volgende bladzijde)' }),
});
export type OrganisationListQuery = z.infer<typeof organisationListQuery>;

const email = z.email({ error: 'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl' }).max(200);

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
    reason: reasonField.optional(),
  })
  .strict();
export type OrganisationInput = z.infer<typeof createOrganisationBody>;

export const updateOrganisationBody = createOrganisationBody
  .partial()
  .extend({ expectedVersion: versionField })
  .strict();
export type OrganisationPatch = z.infer<typeof updateOrganisationBody>;

export const joinBody = z.object({ from: quarterSchema, reason: reasonField.optional() }).strict();
export type JoinInput = z.infer<typeof joinBody>;

export const leaveBody = z.object({ until: quarterSchema, reason: reasonField.optional() }).strict();
export type LeaveInput = z.infer<typeof leaveBody>;

export const moveBody = z
  .object({
    sectorId: z.number().int().positive(),
    from: quarterSchema.optional().meta({ description: 'Vanaf dit kwartaal (standaard het huidige)' }),
    reason: reasonField.optional(),
  })
  .strict();
export type MoveInput = z.infer<typeof moveBody>;

// Archiving is often a bare POST from a button: Fastify hands a missing body over as null.
export const archiveBody = z
  .object({ memberUntil: quarterSchema.optional(), reason: reasonField.optional() })
  .strict()
  .nullish();
export type ArchiveInput = NonNullable<z.infer<typeof archiveBody>>;

export const restoreBody = z.object({ reason: reasonField.optional() }).strict().nullish();
export type RestoreInput = NonNullable<z.infer<typeof restoreBody>>;

export const placedCriterionSchema = z.object({
  key: z.string(),
  text: z.string(),
  measure: z.string(),
  guidance: z.string(),
  gear: z.number().int(),
});

const sourceSchema = z.enum(QUICKSCAN_SOURCES);

export const statusSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sector: z.string(),
    sectorId: z.number().int(),
    quarter: quarterSchema,
    member: z.boolean(),
    gear: z.number().int().nullable(),
    gearName: z.string().nullable(),
    carriedFrom: quarterSchema.nullable().meta({
      description: 'Het kwartaal waarin de versnelling is vastgelegd als ze is doorgeschoven; anders null',
    }),
    ageQuarters: z.number().int().nullable().meta({
      description: 'Hoeveel kwartalen oud de versnelling is (0 als ze in dit kwartaal is vastgelegd)',
    }),
    source: sourceSchema.nullable(),
    model: z.object({ id: z.string(), version: z.number().int() }).nullable(),
    met: z.array(z.string()),
    partial: z.array(z.string()),
    nextSteps: z.array(placedCriterionSchema),
    progress: z.object({ met: z.number().int(), total: z.number().int() }).meta({
      description:
        'Voldane criteria van de volgende versnelling; 0 van 0 bij versnelling 5 of zonder versnelling',
    }),
  })
  .meta({ id: 'OrganisationStatus' });
export type OrganisationStatus = z.infer<typeof statusSchema>;

export const historySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  from: quarterSchema,
  to: quarterSchema,
  quarters: z.array(
    z.object({
      quarter: quarterSchema,
      member: z.boolean(),
      sectorId: z.number().int(),
      sector: z.string(),
      gear: z.number().int().nullable(),
      carriedFrom: quarterSchema.nullable(),
      ageQuarters: z.number().int().nullable(),
      source: sourceSchema.nullable(),
    }),
  ),
});
export type GearHistory = z.infer<typeof historySchema>;
