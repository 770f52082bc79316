import type {
  RecoveryCodes,
  RequireTwoFactor,
  TwoFactorSetup,
  TwoFactorStatus,
} from '../contracts/auth.contract.ts';
import type { NewUserInput, Role, User, UserListItem, UserPatch } from '../contracts/user.contract.ts';
import { revokeResetLinksOf } from '../db/repositories/invitations.repository.ts';
import { findOrganisation } from '../db/repositories/organisations.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { deleteSessionsOfUser } from '../db/repositories/sessions.repository.ts';
import type { UserRecord } from '../db/repositories/users.repository.ts';
import * as repo from '../db/repositories/users.repository.ts';
import type { RevisionAction } from '../db/schema.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  fieldProblem,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../errors.ts';
import {
  checkPasswordPolicy,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from '../security/passwords.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import {
  hashRecoveryCode,
  looksLikeTotpCode,
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  totpUri,
} from '../security/totp.ts';
import type { ServiceContext } from './context.ts';
import { type NewSession, startSession } from './sessions.service.ts';
import { inTransaction } from './transaction.ts';

export function toUser(row: UserRecord): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    organisationId: row.organisation_id,
    disabled: row.disabled_at !== null,
    disabledAt: row.disabled_at,
    lastLoginAt: row.last_login_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the history keeps of an account: never the password hash. */
function snapshot(row: UserRecord) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    organisationId: row.organisation_id,
    disabled: row.disabled_at !== null,
    twoFactor: row.totp_enabled_at !== null,
  };
}

/** One change of an account in the history: what it was and what it became, never the hash. */
function recordUserChange(
  db: ServiceContext['db'],
  change: {
    action: RevisionAction;
    before: UserRecord | null;
    after: UserRecord | null;
    actor: string;
    at: string;
  },
): Promise<void> {
  const { action, before, after, actor, at } = change;
  const user = (after ?? before)!;
  return insertRevision(db, {
    entity: 'user',
    entityId: user.id,
    organisationId: user.organisation_id,
    quarter: null,
    action,
    before: before && snapshot(before),
    after: after && snapshot(after),
    actor,
    at,
  });
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

async function checkRoleAndOrganisation(
  ctx: ServiceContext,
  role: Role,
  organisationId: number | null | undefined,
) {
  if (role === 'organisatie') {
    if (organisationId === null || organisationId === undefined) {
      const message = 'een account met de rol organisatie hoort bij één organisatie: geef organisationId op';
      throw new ValidationError(
        message,
        fieldProblem('organisation_required', 'organisationId', message),
        'organisation_required',
      );
    }
    if (!(await findOrganisation(ctx.db, organisationId))) {
      throw new NotFoundError(`organisatie ${organisationId} bestaat niet`, 'organisation_not_found');
    }
    return organisationId;
  }
  if (organisationId !== null && organisationId !== undefined) {
    const message = `alleen een account met de rol organisatie hoort bij een organisatie, niet de rol ${role}`;
    throw new ValidationError(
      message,
      fieldProblem('organisation_not_allowed', 'organisationId', message),
      'organisation_not_allowed',
    );
  }
  return null;
}

async function requireUser(ctx: ServiceContext, id: number): Promise<UserRecord> {
  const row = await repo.findUser(ctx.db, id);
  if (!row) throw new NotFoundError(`account ${id} bestaat niet`, 'user_not_found');
  return row;
}

export async function listUsers(ctx: ServiceContext): Promise<UserListItem[]> {
  return (await repo.listUsers(ctx.db)).map((row) => ({
    ...toUser(row),
    twoFactor: row.totp_enabled_at !== null,
  }));
}

export async function findUserByEmail(ctx: ServiceContext, email: string): Promise<User> {
  const row = await repo.findUserByEmailKey(ctx.db, emailKey(email));
  if (!row) throw new NotFoundError(`er is geen account met e-mailadres '${email}'`, 'user_not_found');
  return toUser(row);
}

export async function countUsers(ctx: ServiceContext): Promise<number> {
  return repo.countUsers(ctx.db);
}

/**
 * Creates an account. With `onlyIfFirst` it succeeds only while there are no accounts at all
 * (the first-run setup), checked inside the same transaction.
 */
export async function createUser(
  ctx: ServiceContext,
  input: NewUserInput,
  options: { onlyIfFirst?: boolean } = {},
): Promise<User> {
  checkPasswordPolicy(input.password, { email: input.email });
  const hash = await hashPassword(input.password);
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    if (options.onlyIfFirst && (await repo.countUsers(trx)) > 0) {
      throw new ConflictError(
        'er bestaat al een account; de eenmalige installatielink werkt niet meer',
        'setup_done',
      );
    }
    const organisationId = await checkRoleAndOrganisation(tx, input.role, input.organisationId);
    const key = emailKey(input.email);
    if (await repo.findUserByEmailKey(trx, key)) {
      const message = `er bestaat al een account met e-mailadres '${input.email.trim()}'`;
      throw new ConflictError(message, 'duplicate_email', fieldProblem('duplicate_email', 'email', message));
    }
    const now = ctx.now().toISOString();
    const row = await repo.insertUser(trx, {
      email: input.email.trim(),
      email_key: key,
      password_hash: hash,
      role: input.role,
      organisation_id: organisationId,
      created_at: now,
      updated_at: now,
    });
    await recordUserChange(trx, { action: 'create', before: null, after: row, actor: ctx.actor, at: now });
    return toUser(row);
  });
}

async function refuseLastProjectleider(trx: ServiceContext['db'], row: UserRecord, what: string) {
  if (
    row.role === 'projectleider' &&
    row.disabled_at === null &&
    (await repo.countOtherActiveProjectleiders(trx, row.id)) === 0
  ) {
    throw new ConflictError(
      `dit is het laatste actieve projectleidersaccount; ${what} kan pas als er een andere projectleider is`,
      'last_projectleider',
    );
  }
}

/** True when the caller is the account `id` itself. */
function isSelf(ctx: ServiceContext, id: number): boolean {
  return ctx.principal?.kind === 'user' && ctx.principal.userId === id;
}

/**
 * Changes role, organisation or disabled state. Disabling ends the account's sessions at once;
 * nobody can disable their own account.
 */
export async function updateUser(ctx: ServiceContext, id: number, patch: UserPatch): Promise<User> {
  if (patch.disabled === true && isSelf(ctx, id)) {
    throw new ConflictError('u kunt uw eigen account niet uitschakelen', 'cannot_disable_self');
  }
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const before = await requireUser(tx, id);
    const role = patch.role ?? before.role;
    const organisationId = await checkRoleAndOrganisation(
      tx,
      role,
      patch.organisationId !== undefined
        ? patch.organisationId
        : role === 'organisatie'
          ? before.organisation_id
          : null,
    );
    const disabling = patch.disabled === true && before.disabled_at === null;
    const enabling = patch.disabled === false && before.disabled_at !== null;
    if ((role !== 'projectleider' && before.role === 'projectleider') || disabling) {
      await refuseLastProjectleider(trx, before, disabling ? 'uitschakelen' : 'een andere rol geven');
    }
    const now = ctx.now().toISOString();
    const after = await repo.updateUser(trx, id, {
      role,
      organisation_id: organisationId,
      disabled_at: disabling ? now : enabling ? null : before.disabled_at,
      updated_at: now,
    });
    if (disabling || role !== before.role || organisationId !== before.organisation_id)
      await deleteSessionsOfUser(trx, id);
    // A reset link made before it was disabled must not work once it is enabled again.
    if (disabling) await revokeResetLinksOf(trx, id, now);
    await recordUserChange(trx, {
      action: disabling ? 'disable' : enabling ? 'enable' : 'update',
      before: before,
      after: after,
      actor: ctx.actor,
      at: now,
    });
    return toUser(after);
  });
}

/** Sets a new password (by the projectleider); the account's sessions end. */
export async function resetPassword(ctx: ServiceContext, id: number, password: string): Promise<User> {
  checkPasswordPolicy(password);
  // The e-mail rule needs the account; a miss here is the same 404 the transaction would give.
  checkPasswordPolicy(password, { email: (await requireUser(ctx, id)).email });
  const hash = await hashPassword(password);
  return inTransaction(ctx.db, async (trx) => {
    const before = await requireUser({ ...ctx, db: trx }, id);
    const now = ctx.now().toISOString();
    const after = await repo.updateUser(trx, id, { password_hash: hash, updated_at: now });
    await deleteSessionsOfUser(trx, id);
    // An open reset link would undo this password: it goes.
    await revokeResetLinksOf(trx, id, now);
    await recordUserChange(trx, {
      action: 'password_reset',
      before: before,
      after: after,
      actor: ctx.actor,
      at: now,
    });
    return toUser(after);
  });
}

/** Removes an account; its sessions end with it. Nobody can remove their own account. */
export async function removeUser(ctx: ServiceContext, id: number): Promise<void> {
  if (isSelf(ctx, id)) {
    throw new ConflictError('u kunt uw eigen account niet verwijderen', 'cannot_remove_self');
  }
  return inTransaction(ctx.db, async (trx) => {
    const before = await requireUser({ ...ctx, db: trx }, id);
    await refuseLastProjectleider(trx, before, 'verwijderen');
    await repo.deleteUser(trx, id);
    await recordUserChange(trx, {
      action: 'delete',
      before: before,
      after: null,
      actor: ctx.actor,
      at: ctx.now().toISOString(),
    });
  });
}

/**
 * The account behind an email and password. Every failure (unknown email, wrong password, also of a
 * disabled account) answers the same and takes the same time, so an attacker learns nothing about
 * accounts. Only the right password of a disabled account hears that it is disabled: its owner
 * needs to know whom to ask, and whoever knows the password may know that much.
 */
async function checkCredentials(ctx: ServiceContext, email: string, password: string) {
  const row = await repo.findCredentials(ctx.db, emailKey(email));
  const ok = row ? await verifyPassword(password, row.password_hash) : await verifyAgainstDummy(password);
  if (!row || !ok) {
    throw new UnauthorizedError('e-mailadres of wachtwoord klopt niet', 'invalid_credentials');
  }
  if (row.disabled_at !== null) {
    throw new AppError(
      'user_disabled',
      403,
      'dit account is uitgeschakeld. Vraag de projectleider om het weer aan te zetten',
    );
  }
  return row;
}

/** Checks email and password and records the sign-in (an account without a second step). */
export async function authenticate(ctx: ServiceContext, email: string, password: string): Promise<User> {
  const row = await checkCredentials(ctx, email, password);
  await repo.recordLogin(ctx.db, row.id, ctx.now().toISOString());
  return toUser(row);
}

// ---------------------------------------------------------------------------------------------
// Two-factor sign-in (TOTP) and recovery codes

/** How long the proof of a right password stays usable for the code step. */
export const LOGIN_CHALLENGE_TTL_MS = 5 * 60_000;

/** Whether the installation's REQUIRE_2FA demands a second step of an account with this role. */
export function twoFactorRequiredFor(policy: RequireTwoFactor, role: Role): boolean {
  return policy === 'all' || (policy === 'projectleider' && role === 'projectleider');
}

/** The result of the password step. */
export type LoginStep =
  | { kind: 'session'; user: User }
  | { kind: 'verify'; challenge: string; expiresAt: string }
  | { kind: 'enrol'; challenge: string; expiresAt: string; secret: string; uri: string };

/**
 * The password step of signing in. An account without two-factor sign-in (and not required to
 * have it) is signed in at once; otherwise the answer is a short-lived, single-use challenge to
 * complete with a code, and no session exists yet. When REQUIRE_2FA demands a second step of an
 * account that has none, the challenge carries a new secret to set up first.
 */
export async function beginLogin(
  ctx: ServiceContext,
  email: string,
  password: string,
  options: { require: RequireTwoFactor; issuer: string },
): Promise<LoginStep> {
  const row = await checkCredentials(ctx, email, password);
  const enabled = row.totp_enabled_at !== null;
  const now = ctx.now();
  if (!enabled && !twoFactorRequiredFor(options.require, row.role)) {
    await repo.recordLogin(ctx.db, row.id, now.toISOString());
    return { kind: 'session', user: toUser(row) };
  }
  const challenge = randomToken();
  const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_TTL_MS).toISOString();
  const secret = enabled ? null : newTotpSecret();
  await inTransaction(ctx.db, (trx) =>
    repo.insertLoginChallenge(trx, {
      token_hash: hashToken(challenge),
      user_id: row.id,
      purpose: secret === null ? 'verify' : 'enrol',
      secret,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    }),
  );
  if (secret === null) return { kind: 'verify', challenge, expiresAt };
  return { kind: 'enrol', challenge, expiresAt, secret, uri: totpUri(secret, options.issuer, row.email) };
}

function challengeInvalid(): AppError {
  return new AppError(
    'two_factor_challenge_invalid',
    401,
    'deze inlogpoging is verlopen of al afgerond; log opnieuw in met uw e-mailadres en wachtwoord',
  );
}

/** A refused code, about the field `code`: 401 while signing in, 400 on the account page. */
function codeRefused(status: 400 | 401, message: string): AppError {
  return new AppError(
    'invalid_two_factor_code',
    status,
    message,
    fieldProblem('invalid_two_factor_code', 'code', message),
  );
}

const CODE_MISSING = 'vul de code van zes cijfers uit uw authenticator-app in, of een herstelcode';
const CODE_WRONG =
  'de code klopt niet; gebruik de code die uw authenticator-app nu toont (controleer ook de tijd op uw telefoon)';
const CODE_USED = 'deze code is al gebruikt; wacht tot uw authenticator-app een nieuwe code toont';
const RECOVERY_WRONG = 'deze herstelcode klopt niet of is al gebruikt';

/**
 * Checks a second-step code of an account with two-factor sign-in: a TOTP code (refused when its
 * time step, or a later one, was already accepted: no replay) or an unused recovery code (used up).
 */
async function useSecondFactor(
  db: ServiceContext['db'],
  userId: number,
  code: string,
  now: Date,
  status: 400 | 401,
): Promise<void> {
  const totp = await repo.findTotp(db, userId);
  if (!totp?.totp_secret || totp.totp_enabled_at === null) throw challengeInvalid();
  if (code.trim() === '') throw codeRefused(status, CODE_MISSING);
  if (looksLikeTotpCode(code)) {
    const step = matchTotp(totp.totp_secret, code, now);
    if (step === null) throw codeRefused(status, CODE_WRONG);
    if (!(await repo.advanceTotpStep(db, userId, step))) throw codeRefused(status, CODE_USED);
    return;
  }
  if (!(await repo.useRecoveryCode(db, userId, hashRecoveryCode(code), now.toISOString()))) {
    throw codeRefused(status, RECOVERY_WRONG);
  }
}

/** New recovery codes for an account (the old ones stop working); returns them to show once. */
async function renewRecoveryCodes(db: ServiceContext['db'], userId: number, at: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await repo.replaceRecoveryCodes(db, userId, codes.map(hashRecoveryCode), at);
  return codes;
}

/** The account a login challenge belongs to (for the rate limit per account), or null. */
export async function loginChallengeOwner(ctx: ServiceContext, challenge: string): Promise<number | null> {
  return (await repo.findLoginChallenge(ctx.db, hashToken(challenge)))?.user_id ?? null;
}

/**
 * The code step of signing in: the challenge of the password step and a code. For an account with
 * two-factor sign-in the code is a TOTP code or a recovery code; for an enrolment it confirms the
 * new secret, which is then switched on and the recovery codes are returned (this once). The
 * challenge is gone after it succeeded; an expired one is removed.
 */
export async function completeLogin(
  ctx: ServiceContext,
  challenge: string,
  code: string,
  idleMs: number,
): Promise<{ user: User; session: NewSession; recoveryCodes?: string[] }> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  const found = await repo.findLoginChallenge(ctx.db, hashToken(challenge));
  if (!found) throw challengeInvalid();
  if (found.expires_at <= nowIso) {
    await repo.deleteLoginChallenge(ctx.db, found.id);
    throw challengeInvalid();
  }
  return inTransaction(ctx.db, async (trx) => {
    const before = await repo.findUser(trx, found.user_id);
    if (!before || before.disabled_at !== null) throw challengeInvalid();
    if (found.purpose === 'verify') {
      await useSecondFactor(trx, before.id, code, now, 401);
      if (!(await repo.deleteLoginChallenge(trx, found.id))) throw challengeInvalid();
      await repo.recordLogin(trx, before.id, nowIso);
      // The session in the same transaction: a used code or challenge always comes with one.
      const session = await startSession({ ...ctx, db: trx }, { userId: before.id }, idleMs);
      return { user: toUser(before), session };
    }
    if (before.totp_enabled_at !== null || found.secret === null) throw challengeInvalid();
    if (code.trim() === '') throw codeRefused(401, CODE_MISSING);
    const step = matchTotp(found.secret, code, now);
    if (step === null) throw codeRefused(401, CODE_WRONG);
    if (!(await repo.deleteLoginChallenge(trx, found.id))) throw challengeInvalid();
    const after = await repo.updateUser(trx, before.id, {
      totp_secret: found.secret,
      totp_enabled_at: nowIso,
      totp_last_step: step,
      updated_at: nowIso,
    });
    const recoveryCodes = await renewRecoveryCodes(trx, before.id, nowIso);
    await recordUserChange(trx, {
      action: 'update',
      before: before,
      after: after,
      actor: before.email,
      at: nowIso,
    });
    await repo.recordLogin(trx, before.id, nowIso);
    // In the same transaction as the enrolment: the recovery codes are never made without the
    // session that shows them.
    const session = await startSession({ ...ctx, db: trx }, { userId: before.id }, idleMs);
    return { user: toUser(after), session, recoveryCodes };
  });
}

/** The signed-in account; two-factor sign-in belongs to an account, not to a share link. */
function ownAccountId(ctx: ServiceContext): number {
  if (ctx.principal?.kind !== 'user') {
    throw new ForbiddenError('twee-staps-inloggen hoort bij een account; met een deellink kan dat niet');
  }
  return ctx.principal.userId;
}

export async function twoFactorStatus(
  ctx: ServiceContext,
  policy: RequireTwoFactor,
): Promise<TwoFactorStatus> {
  const user = await requireUser(ctx, ownAccountId(ctx));
  const enabled = user.totp_enabled_at !== null;
  return {
    enabled,
    enabledAt: user.totp_enabled_at,
    recoveryCodesLeft: enabled ? await repo.countUnusedRecoveryCodes(ctx.db, user.id) : 0,
    required: twoFactorRequiredFor(policy, user.role),
  };
}

/**
 * Starts setting up two-factor sign-in for the signed-in account: a new secret, kept pending until
 * a code confirms it (starting again replaces it).
 */
export async function startTwoFactorSetup(ctx: ServiceContext, issuer: string): Promise<TwoFactorSetup> {
  const user = await requireUser(ctx, ownAccountId(ctx));
  if (user.totp_enabled_at !== null) {
    throw new ConflictError(
      'twee-staps-inloggen staat al aan; zet het eerst uit om een nieuwe app te koppelen',
      'two_factor_already_enabled',
    );
  }
  const secret = newTotpSecret();
  await repo.setTotp(ctx.db, user.id, { totp_secret: secret, totp_enabled_at: null, totp_last_step: null });
  return { secret, uri: totpUri(secret, issuer, user.email) };
}

/** Confirms the pending secret with a current code: two-factor sign-in is on; the recovery codes come back once. */
export async function confirmTwoFactor(ctx: ServiceContext, code: string): Promise<RecoveryCodes> {
  const id = ownAccountId(ctx);
  const now = ctx.now();
  const nowIso = now.toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const before = await requireUser({ ...ctx, db: trx }, id);
    const totp = await repo.findTotp(trx, id);
    if (before.totp_enabled_at !== null) {
      throw new ConflictError('twee-staps-inloggen staat al aan', 'two_factor_already_enabled');
    }
    if (!totp?.totp_secret) {
      throw new ConflictError(
        'begin eerst met instellen: koppel uw authenticator-app en vul dan de code in',
        'two_factor_not_started',
      );
    }
    if (code.trim() === '') throw codeRefused(400, CODE_MISSING);
    const step = matchTotp(totp.totp_secret, code, now);
    if (step === null) throw codeRefused(400, CODE_WRONG);
    const after = await repo.updateUser(trx, id, {
      totp_enabled_at: nowIso,
      totp_last_step: step,
      updated_at: nowIso,
    });
    const recoveryCodes = await renewRecoveryCodes(trx, id, nowIso);
    await recordUserChange(trx, {
      action: 'update',
      before: before,
      after: after,
      actor: ctx.actor,
      at: nowIso,
    });
    return { recoveryCodes };
  });
}

/** The password of the signed-in account, checked again before a security setting changes. */
async function checkOwnPassword(ctx: ServiceContext, id: number, password: string): Promise<void> {
  const user = await requireUser(ctx, id);
  const row = await repo.findCredentials(ctx.db, user.email_key);
  if (!row || !(await verifyPassword(password, row.password_hash))) {
    const message = 'het wachtwoord klopt niet';
    throw new ValidationError(message, fieldProblem('wrong_password', 'password', message), 'wrong_password');
  }
}

/**
 * Switches two-factor sign-in off for the signed-in account, with its password and a code (or a
 * recovery code); refused while REQUIRE_2FA demands it of this account.
 */
export async function disableTwoFactor(
  ctx: ServiceContext,
  input: { password: string; code: string },
  policy: RequireTwoFactor,
): Promise<void> {
  const id = ownAccountId(ctx);
  const current = await requireUser(ctx, id);
  if (current.totp_enabled_at === null) {
    throw new ConflictError('twee-staps-inloggen staat niet aan', 'two_factor_not_enabled');
  }
  if (twoFactorRequiredFor(policy, current.role)) {
    throw new ConflictError(
      'twee-staps-inloggen is voor uw account verplicht en kan niet uit; een nieuwe telefoon koppelt u via de projectleider',
      'two_factor_required',
    );
  }
  await checkOwnPassword(ctx, id, input.password);
  const now = ctx.now();
  const nowIso = now.toISOString();
  await inTransaction(ctx.db, async (trx) => {
    const before = await requireUser({ ...ctx, db: trx }, id);
    await useSecondFactor(trx, id, input.code, now, 400);
    await switchOff(ctx, trx, before, nowIso);
  });
}

/** Takes an account's two-factor sign-in away (secret, recovery codes, open challenges) and records it. */
async function switchOff(ctx: ServiceContext, trx: ServiceContext['db'], before: UserRecord, at: string) {
  const after = await repo.updateUser(trx, before.id, {
    totp_secret: null,
    totp_enabled_at: null,
    totp_last_step: null,
    updated_at: at,
  });
  await repo.replaceRecoveryCodes(trx, before.id, [], at);
  await repo.deleteLoginChallengesOfUser(trx, before.id);
  await recordUserChange(trx, { action: 'update', before, after, actor: ctx.actor, at });
  return after;
}

/** New recovery codes for the signed-in account, after a current code (or a recovery code). */
export async function renewOwnRecoveryCodes(ctx: ServiceContext, code: string): Promise<RecoveryCodes> {
  const id = ownAccountId(ctx);
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const user = await requireUser({ ...ctx, db: trx }, id);
    if (user.totp_enabled_at === null) {
      throw new ConflictError('twee-staps-inloggen staat niet aan', 'two_factor_not_enabled');
    }
    await useSecondFactor(trx, id, code, now, 400);
    return { recoveryCodes: await renewRecoveryCodes(trx, id, now.toISOString()) };
  });
}

/**
 * Resets another account's two-factor sign-in (a lost phone): by the projectleider or the operator
 * (CLI). The account's sessions end; at its next sign-in it has only its password, or must set up
 * two-factor sign-in again when REQUIRE_2FA demands it.
 */
export async function resetTwoFactor(ctx: ServiceContext, id: number): Promise<User> {
  if (isSelf(ctx, id)) {
    throw new ConflictError(
      'uw eigen twee-staps-inloggen zet u uit op de pagina Mijn account, met uw wachtwoord en een code',
      'cannot_reset_own_two_factor',
    );
  }
  return inTransaction(ctx.db, async (trx) => {
    const before = await requireUser({ ...ctx, db: trx }, id);
    if (before.totp_enabled_at === null) {
      throw new ConflictError(
        `twee-staps-inloggen staat niet aan voor ${before.email}; er is niets te herstellen`,
        'two_factor_not_enabled',
      );
    }
    const after = await switchOff(ctx, trx, before, ctx.now().toISOString());
    await deleteSessionsOfUser(trx, id);
    return toUser(after);
  });
}
