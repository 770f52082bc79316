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

// ---------------------------------------------------------------------------------------------
// Two-factor sign-in (TOTP)

/** Who must sign in with a second step: nobody (each account chooses), projectleiders, or everyone. */
export const REQUIRE_TWO_FACTOR = ['off', 'projectleider', 'all'] as const;
export type RequireTwoFactor = (typeof REQUIRE_TWO_FACTOR)[number];

const challengeField = z.string().meta({
  description:
    'Bewijs dat het wachtwoord klopte: 5 minuten geldig, één keer te gebruiken met POST /api/auth/login/code',
});

/** The password was right; the account signs in with a code from its authenticator app (or a recovery code). */
export const twoFactorRequiredSchema = z
  .object({ twoFactor: z.literal('required'), challenge: challengeField, expiresAt: z.string() })
  .meta({ id: 'TwoFactorRequired' });
export type TwoFactorRequired = z.infer<typeof twoFactorRequiredSchema>;

/** The password was right, but the account must first set up two-factor sign-in (REQUIRE_2FA). */
export const twoFactorEnrolSchema = z
  .object({
    twoFactor: z.literal('enrol'),
    challenge: challengeField,
    expiresAt: z.string(),
    secret: z.string().meta({ description: 'Het geheim (base32) om in de authenticator-app in te typen' }),
    uri: z.string().meta({ description: 'Het otpauth://-adres met hetzelfde geheim' }),
  })
  .meta({ id: 'TwoFactorEnrol' });
export type TwoFactorEnrol = z.infer<typeof twoFactorEnrolSchema>;

/**
 * The reply of the password step: a session (accounts without two-factor sign-in: unchanged), or
 * a challenge to complete with a code, without any session yet.
 */
export const loginReplySchema = z.union([sessionSchema, twoFactorRequiredSchema, twoFactorEnrolSchema]);
export type LoginReply = z.infer<typeof loginReplySchema>;

export const loginCodeBody = z
  .object({
    challenge: z.string().min(1).max(200),
    code: z
      .string()
      .max(100)
      .meta({ description: 'De code van zes cijfers uit de authenticator-app, of een herstelcode' }),
  })
  .strict();
export type LoginCodeInput = z.infer<typeof loginCodeBody>;

/** The session, and after an enrolment at sign-in the recovery codes (shown this once). */
export const loginCodeReplySchema = sessionSchema.extend({
  recoveryCodes: z.array(z.string()).optional(),
});
export type LoginCodeReply = z.infer<typeof loginCodeReplySchema>;

export const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
  required: z
    .boolean()
    .meta({ description: 'Of deze installatie twee-staps-inloggen voor dit account eist' }),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

export const twoFactorSetupSchema = z.object({ secret: z.string(), uri: z.string() });
export type TwoFactorSetup = z.infer<typeof twoFactorSetupSchema>;

export const twoFactorCodeBody = z.object({ code: z.string().max(100) }).strict();
export type TwoFactorCodeInput = z.infer<typeof twoFactorCodeBody>;

export const disableTwoFactorBody = z.object({ password: passwordInput, code: z.string().max(100) }).strict();
export type DisableTwoFactorInput = z.infer<typeof disableTwoFactorBody>;

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;
