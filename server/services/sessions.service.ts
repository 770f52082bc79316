import * as repo from '../db/repositories/sessions.repository.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import type { ServiceContext } from './context.ts';
import type { Principal } from './principal.ts';

/** Only write `last_seen_at` when it is older than this, so reads do not each cost a write. */
const TOUCH_AFTER_MS = 60_000;

export interface NewSession {
  /** Goes into the cookie; only its hash is stored. */
  token: string;
  csrfToken: string;
}

export async function startSession(
  ctx: ServiceContext,
  owner: { userId: number } | { shareLinkId: number },
  idleMs: number,
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = ctx.now();
  await repo.insertSession(ctx.db, {
    tokenHash: hashToken(token),
    userId: 'userId' in owner ? owner.userId : null,
    shareLinkId: 'shareLinkId' in owner ? owner.shareLinkId : null,
    csrfToken,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + idleMs).toISOString(),
  });
  return { token, csrfToken };
}

/**
 * The principal behind a session token, or null when the session does not exist, has been idle
 * too long, or belongs to a disabled account or a revoked or expired share link.
 */
export async function resolveSession(
  ctx: ServiceContext,
  token: string,
  idleMs: number,
): Promise<Principal | null> {
  const s = await repo.findSessionByTokenHash(ctx.db, hashToken(token));
  if (!s) return null;
  const now = ctx.now();
  const nowIso = now.toISOString();
  const shareGone =
    s.shareLinkId !== null &&
    (s.shareRevokedAt !== null || s.shareExpiresAt === null || s.shareExpiresAt <= nowIso);
  if (s.expiresAt <= nowIso || s.disabledAt !== null || shareGone || (s.userId !== null && s.role === null)) {
    await repo.deleteSession(ctx.db, s.id);
    return null;
  }
  if (now.getTime() - Date.parse(s.lastSeenAt) > TOUCH_AFTER_MS) {
    await repo.touchSession(ctx.db, s.id, nowIso, new Date(now.getTime() + idleMs).toISOString());
  }
  if (s.userId !== null && s.email !== null && s.role !== null) {
    return {
      kind: 'user',
      sessionId: s.id,
      csrfToken: s.csrfToken,
      userId: s.userId,
      email: s.email,
      role: s.role,
      organisationId: s.userOrganisationId,
    };
  }
  return {
    kind: 'share',
    sessionId: s.id,
    csrfToken: s.csrfToken,
    shareLinkId: s.shareLinkId!,
    email: null,
    role: 'organisatie',
    organisationId: s.shareOrganisationId!,
  };
}

export async function endSession(ctx: ServiceContext, sessionId: number): Promise<void> {
  await repo.deleteSession(ctx.db, sessionId);
}

/**
 * Removes the sessions nobody can use any more (idle too long, disabled account, expired or
 * revoked share link). `resolveSession` already refuses them one by one as their cookies come
 * back; this removes the ones whose cookies never do. Returns how many went.
 */
export function purgeExpiredSessions(ctx: ServiceContext): Promise<number> {
  return repo.deleteExpiredSessions(ctx.db, ctx.now().toISOString());
}
