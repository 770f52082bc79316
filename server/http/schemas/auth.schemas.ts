import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../security/passwords.ts';

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'geen geldig e-mailadres' }));
const password = z.string().max(MAX_PASSWORD_LENGTH * 4);
export const roleSchema = z.enum(['projectleider', 'bestuur', 'organisatie']);

export const loginBody = z.object({ email: z.string().max(254), password }).strict();

export const sessionUserSchema = z.object({
  email: z.string().nullable(),
  role: roleSchema,
  organisationId: z.number().int().nullable(),
});

export const sessionSchema = z
  .object({ user: sessionUserSchema, csrfToken: z.string(), via: z.enum(['account', 'deellink']) })
  .meta({ id: 'Session' });

export const setupStatusSchema = z.object({ needed: z.boolean() });

export const setupBody = z.object({ token: z.string().min(1).max(200), email, password }).strict();

export const shareOpenBody = z.object({ token: z.string().min(1).max(200) }).strict();

export const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: roleSchema,
    organisationId: z.number().int().nullable(),
    disabled: z.boolean(),
    disabledAt: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

export const createUserBody = z
  .object({
    email,
    role: roleSchema,
    organisationId: z.number().int().positive().nullable().optional(),
    password,
  })
  .strict();

export const updateUserBody = z
  .object({
    role: roleSchema.optional(),
    organisationId: z.number().int().positive().nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const passwordBody = z.object({ password }).strict();

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

export const createShareLinkBody = z
  .object({
    expiresInDays: z.number().int().min(1).max(366).default(30),
    label: z.string().max(200).nullable().optional(),
  })
  .strict();

export const createdShareLinkSchema = shareLinkSchema.extend({
  token: z.string(),
  url: z.string().meta({ description: 'De link om te delen; wordt maar één keer getoond' }),
});
