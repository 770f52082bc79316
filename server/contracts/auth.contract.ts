import { z } from 'zod';
import { emailInput, passwordInput, roleSchema } from './user.contract.ts';

export const loginBody = z.object({ email: z.string().max(254), password: passwordInput }).strict();
export type LoginInput = z.infer<typeof loginBody>;

export const sessionUserSchema = z.object({
  email: z.string().nullable(),
  role: roleSchema,
  organisationId: z.number().int().nullable(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const sessionSchema = z
  .object({ user: sessionUserSchema, csrfToken: z.string(), via: z.enum(['account', 'deellink']) })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const currentSessionSchema = z.object({ session: sessionSchema.nullable() });
export type CurrentSession = z.infer<typeof currentSessionSchema>;

export const setupStatusSchema = z.object({ needed: z.boolean() });
export type SetupStatus = z.infer<typeof setupStatusSchema>;

export const setupBody = z
  .object({ token: z.string().min(1).max(200), email: emailInput, password: passwordInput })
  .strict();
export type SetupInput = z.infer<typeof setupBody>;

export const shareOpenBody = z.object({ token: z.string().min(1).max(200) }).strict();
