import { z } from 'zod';

export const shareLinkSchema = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int(),
    label: z.string().nullable(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    active: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'ShareLink' });
export type ShareLink = z.infer<typeof shareLinkSchema>;

export const createShareLinkBody = z
  .object({
    expiresInDays: z.number().int().min(1).max(366).default(30),
    label: z.string().max(200).nullable().optional(),
  })
  .strict();
export type NewShareLinkInput = z.infer<typeof createShareLinkBody>;

export const createdShareLinkSchema = shareLinkSchema.extend({
  token: z.string(),
  url: z.string().meta({ description: 'De link om te delen; wordt maar één keer getoond' }),
});
export type CreatedShareLink = z.infer<typeof createdShareLinkSchema>;
