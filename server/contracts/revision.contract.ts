import { z } from 'zod';
import { idSchema, pageQuery } from './common.contract.ts';

export const REVISION_ENTITIES = [
  'sector',
  'organisation',
  'quickscan',
  'user',
  'share_link',
  'incident_figures',
  'employees',
  'baseline',
  'target',
  'action',
  'activity',
  'resource',
  'invitation',
] as const;
export type RevisionEntity = (typeof REVISION_ENTITIES)[number];

export const REVISION_ACTIONS = [
  'create',
  'update',
  'delete',
  'archive',
  'restore',
  'disable',
  'enable',
  'revoke',
  'password_reset',
] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

export const revisionSchema = z.object({
  id: z.number().int(),
  entity: z.enum(REVISION_ENTITIES),
  entityId: z.number().int(),
  organisationId: z.number().int().nullable(),
  quarter: z.string().nullable(),
  action: z.enum(REVISION_ACTIONS),
  before: z.unknown(),
  after: z.unknown(),
  actor: z.string(),
  at: z.string(),
  reason: z.string().nullable().meta({
    description: 'Waarom een vastgesteld kwartaal is gewijzigd (een herziening); null bij gewone wijzigingen',
  }),
});
export type Revision = z.infer<typeof revisionSchema>;

const dateOrTime = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), {
    error: 'gebruik een datum als JJJJ-MM-DD of een ISO-tijdstip',
  });

export const auditQuery = pageQuery.extend({
  organisationId: idSchema.optional(),
  entity: z.enum(REVISION_ENTITIES).optional(),
  from: dateOrTime.optional().meta({ description: 'vanaf (inclusief), datum of tijdstip' }),
  to: dateOrTime.optional().meta({ description: 'tot en met deze datum, of tot dit tijdstip' }),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditSchema = z.object({ items: z.array(revisionSchema) });
export type AuditPage = z.infer<typeof auditSchema>;
