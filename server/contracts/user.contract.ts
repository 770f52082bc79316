import { z } from 'zod';

export const ROLES = ['projectleider', 'bestuur', 'organisatie'] as const;
export type Role = (typeof ROLES)[number];

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

export const roleSchema = z.enum(ROLES);

export const emailInput = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl' }));

/** Longer than the policy allows, so that the policy (not the schema) says what is wrong. */
export const passwordInput = z.string().max(MAX_PASSWORD_LENGTH * 4);

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
export type User = z.infer<typeof userSchema>;

/** An account in the list of accounts: also whether it signs in with a second step (TOTP). */
export const userListItemSchema = userSchema
  .extend({ twoFactor: z.boolean().meta({ description: 'Twee-staps-inloggen staat aan' }) })
  .meta({ id: 'UserListItem' });
export type UserListItem = z.infer<typeof userListItemSchema>;

export const createUserBody = z
  .object({
    email: emailInput,
    role: roleSchema,
    organisationId: z.number().int().positive().nullable().optional(),
    password: passwordInput,
  })
  .strict();
export type NewUserInput = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .object({
    role: roleSchema.optional(),
    organisationId: z.number().int().positive().nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UserPatch = z.infer<typeof updateUserBody>;

export const passwordBody = z.object({ password: passwordInput }).strict();
export type PasswordInput = z.infer<typeof passwordBody>;
