import {
  type CreatedInvitation,
  INVITATION_VALID_DAYS,
  type Invitation,
  type InvitationInfo,
  type NewInvitationInput,
  type ResetLink,
} from '../contracts/invitation.contract.ts';
import type { Role, User } from '../contracts/user.contract.ts';
import * as repo from '../db/repositories/invitations.repository.ts';
import { findOrganisation } from '../db/repositories/organisations.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { findUser, findUserByEmailKey } from '../db/repositories/users.repository.ts';
import type { InvitationRow, RevisionAction } from '../db/schema.ts';
import { ConflictError, fieldProblem, NotFoundError, ValidationError } from '../errors.ts';
import { invitationMail } from '../mail/invitation-mail.ts';
import type { Mailer } from '../mail/mailer.ts';
import { checkPasswordPolicy } from '../security/passwords.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import type { ServiceContext } from './context.ts';
import { inTransaction } from './transaction.ts';
import { createUser, emailKey, resetPassword } from './users.service.ts';

const VALID_MS = INVITATION_VALID_DAYS * 86_400_000;

/** Where a link points and how it travels: the app's public address, and mail when configured. */
export interface LinkDelivery {
  publicUrl: string;
  regionName: string;
  mailer: Mailer | null;
  /** Who makes the link, named in the mail (their email); null from the command line. */
  invitedBy: string | null;
  /** Told when a mail could not be sent (the link is then shown to copy); never given the link. */
  onMailError?: (err: unknown) => void;
}

/** The page that reads the token: after `#`, so the token never reaches a server log. */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/uitnodiging#${token}`;
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    purpose: row.purpose,
    email: row.email,
    role: row.role,
    organisationId: row.organisation_id,
    userId: row.user_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
  };
}

/** What the history keeps of a link: never the token or its hash. */
function snapshot(row: InvitationRow) {
  return { ...toInvitation(row), usedAt: row.used_at, revokedAt: row.revoked_at };
}

function recordInvitationChange(
  db: ServiceContext['db'],
  action: RevisionAction,
  before: InvitationRow | null,
  after: InvitationRow,
  actor: string,
): Promise<void> {
  return insertRevision(db, {
    entity: 'invitation',
    entityId: after.id,
    organisationId: after.organisation_id,
    quarter: null,
    action,
    before: before && snapshot(before),
    after: snapshot(after),
    actor,
    at: action === 'revoke' ? after.revoked_at! : after.created_at,
  });
}

/** One message for every link that does not work, so a guess learns nothing about the others. */
function invalidLink(): NotFoundError {
  return new NotFoundError(
    'deze link werkt niet (meer): hij is al gebruikt, ingetrokken of verlopen; vraag de projectleider om een nieuwe link',
    'invitation_invalid',
  );
}

/** The same rule as for accounts: the role organisatie belongs to one existing organisation, no other role to any. */
async function checkRoleAndOrganisation(
  ctx: ServiceContext,
  role: Role,
  organisationId: number | null | undefined,
): Promise<number | null> {
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

/** Revokes the open links a new one replaces, each recorded. */
async function revokeReplaced(ctx: ServiceContext, rows: InvitationRow[], at: string): Promise<void> {
  for (const before of rows) {
    const after = await repo.revokeInvitation(ctx.db, before.id, at);
    await recordInvitationChange(ctx.db, 'revoke', before, after, ctx.actor);
  }
}

/** Sends the link when mail is configured; a failure is reported and the link is shown to copy instead. */
async function deliver(row: InvitationRow, link: string, delivery: LinkDelivery): Promise<boolean> {
  if (!delivery.mailer) return false;
  try {
    await delivery.mailer.send(
      invitationMail({
        purpose: row.purpose,
        to: row.email,
        invitedBy: delivery.invitedBy,
        regionName: delivery.regionName,
        link,
        expiresAt: row.expires_at,
      }),
    );
    return true;
  } catch (err) {
    delivery.onMailError?.(err);
    return false;
  }
}

/**
 * Invites a person by email address and role: a one-time link, valid 7 days, where they choose
 * their own password. The token is returned once (in the link) and stored only hashed; an open
 * invitation for the same address is revoked. An address that already has an account is refused.
 */
export async function createInvitation(
  ctx: ServiceContext,
  input: NewInvitationInput,
  delivery: LinkDelivery,
): Promise<CreatedInvitation> {
  const token = randomToken(32);
  const now = ctx.now();
  const nowIso = now.toISOString();
  const row = await inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const organisationId = await checkRoleAndOrganisation(tx, input.role, input.organisationId);
    const email = input.email.trim();
    const key = emailKey(email);
    if (await findUserByEmailKey(trx, key)) {
      const message = `er bestaat al een account met e-mailadres '${email}'; maak voor een vergeten wachtwoord een resetlink bij dat account`;
      throw new ConflictError(message, 'duplicate_email', fieldProblem('duplicate_email', 'email', message));
    }
    await revokeReplaced(
      tx,
      await repo.listOpenInvitationsFor(trx, { purpose: 'invite', emailKey: key }, nowIso),
      nowIso,
    );
    const created = await repo.insertInvitation(trx, {
      token_hash: hashToken(token),
      purpose: 'invite',
      email,
      role: input.role,
      organisation_id: organisationId,
      user_id: null,
      created_at: nowIso,
      created_by: ctx.actor,
      expires_at: new Date(now.getTime() + VALID_MS).toISOString(),
    });
    await recordInvitationChange(trx, 'create', null, created, ctx.actor);
    return created;
  });
  const link = invitationLink(delivery.publicUrl, token);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    organisationId: row.organisation_id,
    link,
    expiresAt: row.expires_at,
    mailed: await deliver(row, link, delivery),
  };
}

/**
 * A reset link for an existing account (a forgotten password): the same kind of one-time link;
 * using it sets the account's new password and ends its sessions. An open reset link of the same
 * account is revoked.
 */
export async function createResetLink(
  ctx: ServiceContext,
  userId: number,
  delivery: LinkDelivery,
): Promise<ResetLink> {
  const token = randomToken(32);
  const now = ctx.now();
  const nowIso = now.toISOString();
  const row = await inTransaction(ctx.db, async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw new NotFoundError(`account ${userId} bestaat niet`, 'user_not_found');
    if (user.disabled_at !== null) {
      throw new ConflictError(
        `het account ${user.email} is uitgeschakeld; schakel het eerst weer in en maak dan een resetlink`,
        'user_disabled',
      );
    }
    const tx = { ...ctx, db: trx };
    await revokeReplaced(
      tx,
      await repo.listOpenInvitationsFor(trx, { purpose: 'reset', userId }, nowIso),
      nowIso,
    );
    const created = await repo.insertInvitation(trx, {
      token_hash: hashToken(token),
      purpose: 'reset',
      email: user.email,
      role: user.role,
      organisation_id: user.organisation_id,
      user_id: user.id,
      created_at: nowIso,
      created_by: ctx.actor,
      expires_at: new Date(now.getTime() + VALID_MS).toISOString(),
    });
    await recordInvitationChange(trx, 'create', null, created, ctx.actor);
    return created;
  });
  const link = invitationLink(delivery.publicUrl, token);
  return {
    id: row.id,
    email: row.email,
    link,
    expiresAt: row.expires_at,
    mailed: await deliver(row, link, delivery),
  };
}

/** The links that still work: not used, not revoked, not expired. */
export async function listOpenInvitations(ctx: ServiceContext): Promise<Invitation[]> {
  return (await repo.listOpenInvitations(ctx.db, ctx.now().toISOString())).map(toInvitation);
}

/** Revokes a link at once; a used or already revoked one is refused. */
export function revokeInvitation(ctx: ServiceContext, id: number): Promise<void> {
  return inTransaction(ctx.db, async (trx) => {
    const before = await repo.findInvitation(trx, id);
    if (!before) throw new NotFoundError(`uitnodiging ${id} bestaat niet`, 'invitation_not_found');
    if (before.revoked_at !== null) {
      throw new ConflictError(`uitnodiging ${id} is al ingetrokken`, 'already_revoked');
    }
    if (before.used_at !== null) {
      throw new ConflictError(
        `uitnodiging ${id} is al gebruikt; er is niets meer in te trekken`,
        'invitation_used',
      );
    }
    const after = await repo.revokeInvitation(trx, id, ctx.now().toISOString());
    await recordInvitationChange(trx, 'revoke', before, after, ctx.actor);
  });
}

/** The link behind a token while it still works; otherwise the one "ask for a new link" answer. */
async function requireOpen(ctx: ServiceContext, token: string): Promise<InvitationRow> {
  const row = await repo.findInvitationByTokenHash(ctx.db, hashToken(token));
  const now = ctx.now().toISOString();
  if (!row || row.used_at !== null || row.revoked_at !== null || row.expires_at <= now) throw invalidLink();
  return row;
}

/** What the page of a link shows: for whom it is, and until when it works. */
export async function describeInvitation(ctx: ServiceContext, token: string): Promise<InvitationInfo> {
  const row = await requireOpen(ctx, token);
  const organisation =
    row.organisation_id === null ? undefined : await findOrganisation(ctx.db, row.organisation_id);
  return {
    purpose: row.purpose,
    email: row.email,
    role: row.role,
    organisationName: organisation?.name ?? null,
    expiresAt: row.expires_at,
  };
}

/**
 * Uses a link: an invitation creates the account with the chosen password, a reset link sets the
 * account's new password and ends its sessions. The link is used up in the same transaction, so it
 * works exactly once. The history records the account's creation or reset by the person themself.
 */
export async function acceptInvitation(
  ctx: ServiceContext,
  token: string,
  password: string,
): Promise<{ purpose: InvitationRow['purpose']; user: User }> {
  const found = await requireOpen(ctx, token);
  // A weak password is refused before anything is written, so the link keeps working.
  checkPasswordPolicy(password, { email: found.email });
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx, actor: found.email };
    if (!(await repo.markInvitationUsed(trx, found.id, ctx.now().toISOString()))) throw invalidLink();
    if (found.purpose === 'invite') {
      const user = await createUser(tx, {
        email: found.email,
        role: found.role,
        organisationId: found.organisation_id,
        password,
      });
      return { purpose: found.purpose, user };
    }
    const account = found.user_id === null ? undefined : await findUser(trx, found.user_id);
    if (!account || account.disabled_at !== null) throw invalidLink();
    return { purpose: found.purpose, user: await resetPassword(tx, account.id, password) };
  });
}
