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
 * The last request of each session since its `last_seen_at` was written, in milliseconds: the
 * stored time is only written once a minute (reads should not each cost a write), and this keeps
 * the idle timeout exact in between. One per app; after a restart a session may end up to a
 * minute early.
 */
export type SessionActivity = Map<number, { seen: number; touched: number }>;

/**
 * The principal behind a session token, or null when the session does not exist, has been idle
 * too long (exactly `idleMs` after its last request), or belongs to a disabled account or a
 * revoked or expired share link. Reads with `ctx.db`; writes (the touch, removing an ended
 * session) go to `ctx.writeDb` when `ctx.db` is the read-only connection, and the touch is not
 * waited for, so a page keeps answering while a long import holds the write connection.
 */
export async function resolveSession(
  ctx: ServiceContext,
  token: string,
  idleMs: number,
  activity?: SessionActivity,
): Promise<Principal | null> {
  const s = await repo.findSessionByTokenHash(ctx.db, hashToken(token));
  if (!s) return null;
  const writer = ctx.writeDb ?? ctx.db;
  const now = ctx.now();
  const nowMs = now.getTime();
  const nowIso = now.toISOString();
  const known = activity?.get(s.id);
  // The last write of last_seen_at: the stored one, or one still on its way (behind an import).
  const stored = Math.max(Date.parse(s.lastSeenAt), known?.touched ?? 0);
  const lastSeen = Math.max(stored, known?.seen ?? 0);
  const shareGone =
    s.shareLinkId !== null &&
    (s.shareRevokedAt !== null || s.shareExpiresAt === null || s.shareExpiresAt <= nowIso);
  if (
    nowMs - lastSeen >= idleMs ||
    s.disabledAt !== null ||
    shareGone ||
    (s.userId !== null && s.role === null)
  ) {
    const removal = repo.deleteSession(writer, s.id);
    if (!activity) {
      await removal;
      return null;
    }
    // Not waited for: the session is refused either way, and the purge removes it if this fails.
    activity.delete(s.id);
    removal.catch(() => {});
    return null;
  }
  const touching = nowMs - stored > TOUCH_AFTER_MS;
  activity?.set(s.id, { seen: nowMs, touched: touching ? nowMs : (known?.touched ?? 0) });
  if (touching) {
    const touch = repo.touchSession(writer, s.id, nowIso, new Date(nowMs + idleMs).toISOString());
    if (activity) {
      // Best effort: the activity map has the time until it is written; a failed touch (the app
      // closing) only means the session may end up to a minute early after a restart.
      touch.catch(() => {});
    } else {
      await touch;
    }
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
export function purgeExpiredSessions(ctx: ServiceContext, options: { atStart: boolean }): Promise<number> {
  const now = ctx.now();
  // While the app runs, a session's stored expiry may lag its last request by up to a minute
  // (see SessionActivity); at the start there is no later request than the stored one.
  const margin = options.atStart ? 0 : TOUCH_AFTER_MS;
  return repo.deleteExpiredSessions(
    ctx.db,
    now.toISOString(),
    new Date(now.getTime() - margin).toISOString(),
  );
}
