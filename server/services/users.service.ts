import type { NewUserInput, Role, User, UserPatch } from '../contracts/user.contract.ts';
import { findOrganisation } from '../db/repositories/organisations.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { deleteSessionsOfUser } from '../db/repositories/sessions.repository.ts';
import type { UserRecord } from '../db/repositories/users.repository.ts';
import * as repo from '../db/repositories/users.repository.ts';
import { ConflictError, fieldProblem, NotFoundError, UnauthorizedError, ValidationError } from '../errors.ts';
import {
  checkPasswordPolicy,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from '../security/passwords.ts';
import type { ServiceContext } from './context.ts';
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
  };
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

export async function listUsers(ctx: ServiceContext): Promise<User[]> {
  return (await repo.listUsers(ctx.db)).map(toUser);
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
    await insertRevision(trx, {
      entity: 'user',
      entityId: row.id,
      organisationId,
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(row),
      actor: ctx.actor,
      at: now,
    });
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
    await insertRevision(trx, {
      entity: 'user',
      entityId: id,
      organisationId,
      quarter: null,
      action: disabling ? 'disable' : enabling ? 'enable' : 'update',
      before: snapshot(before),
      after: snapshot(after),
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
    await insertRevision(trx, {
      entity: 'user',
      entityId: id,
      organisationId: before.organisation_id,
      quarter: null,
      action: 'password_reset',
      before: snapshot(before),
      after: snapshot(after),
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
    await insertRevision(trx, {
      entity: 'user',
      entityId: id,
      organisationId: before.organisation_id,
      quarter: null,
      action: 'delete',
      before: snapshot(before),
      after: null,
      actor: ctx.actor,
      at: ctx.now().toISOString(),
    });
  });
}

/**
 * Checks email and password. Every failure (unknown email, wrong password, disabled account)
 * answers the same and takes the same time, so an attacker learns nothing about accounts.
 */
export async function authenticate(ctx: ServiceContext, email: string, password: string): Promise<User> {
  const row = await repo.findCredentials(ctx.db, emailKey(email));
  const ok = row ? await verifyPassword(password, row.password_hash) : await verifyAgainstDummy(password);
  if (!row || !ok || row.disabled_at !== null) {
    throw new UnauthorizedError('e-mailadres of wachtwoord klopt niet', 'invalid_credentials');
  }
  await repo.recordLogin(ctx.db, row.id, ctx.now().toISOString());
  return toUser(row);
}
