import { z } from 'zod';
import { emailInput, passwordInput, roleSchema } from './user.contract.ts';

/** What a one-time link is for: a new account, or a new password for an existing one. */
export const INVITATION_PURPOSES = ['invite', 'reset'] as const;
export type InvitationPurpose = (typeof INVITATION_PURPOSES)[number];

/** How long a one-time link works. */
export const INVITATION_VALID_DAYS = 7;

export const createInvitationBody = z
  .object({
    email: emailInput,
    role: roleSchema,
    organisationId: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type NewInvitationInput = z.infer<typeof createInvitationBody>;

/** An open one-time link, as the projectleider sees it: never the token. */
export const invitationSchema = z
  .object({
    id: z.number().int(),
    purpose: z.enum(INVITATION_PURPOSES),
    email: z.string(),
    role: roleSchema,
    organisationId: z.number().int().nullable(),
    userId: z.number().int().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof invitationSchema>;

const linkField = z.string().meta({
  description:
    'De eenmalige link (PUBLIC_URL/uitnodiging#token): alleen nu te zien, de database bewaart alleen een hash van de token',
});
const mailedField = z.boolean().meta({
  description: 'Of de link per mail is verstuurd (alleen als SMTP_URL is ingesteld en het versturen lukte)',
});

/** A new invitation: the link is in this reply only. */
export const createdInvitationSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: roleSchema,
    organisationId: z.number().int().nullable(),
    link: linkField,
    expiresAt: z.string(),
    mailed: mailedField,
  })
  .meta({ id: 'CreatedInvitation' });
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

/** A new reset link for an existing account: the link is in this reply only. */
export const resetLinkSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    link: linkField,
    expiresAt: z.string(),
    mailed: mailedField,
  })
  .meta({ id: 'ResetLink' });
export type ResetLink = z.infer<typeof resetLinkSchema>;

/** The token of a link, in the body: a token in an address would end up in logs and histories. */
export const invitationTokenBody = z.object({ token: z.string().min(1).max(200) }).strict();
export type InvitationTokenInput = z.infer<typeof invitationTokenBody>;

/** What the page of a link shows before the password is chosen. */
export const invitationInfoSchema = z
  .object({
    purpose: z.enum(INVITATION_PURPOSES),
    email: z.string(),
    role: roleSchema,
    organisationName: z.string().nullable(),
    expiresAt: z.string(),
  })
  .meta({ id: 'InvitationInfo' });
export type InvitationInfo = z.infer<typeof invitationInfoSchema>;

export const acceptInvitationBody = z
  .object({ token: z.string().min(1).max(200), password: passwordInput })
  .strict();
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBody>;
