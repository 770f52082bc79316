// The JSON API client: same origin, the session cookie goes along by itself; every write carries
// the CSRF token of the session. Errors arrive as ApiError with the server's code, Dutch message
// and details (problems per field, criterion or cell: see ui/problems.ts).
import type { Session } from '../../server/contracts/auth.contract.ts';
import type { ErrorBody, ErrorCode } from '../../server/contracts/errors.contract.ts';

/** The server's error codes, and two of the client's own: no connection, or a reply without a code. */
export type ApiErrorCode = ErrorCode | 'network' | 'unknown';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

export function useSession(session: Session | null): void {
  csrfToken = session?.csrfToken ?? null;
}

/**
 * Called when the server says the session is gone (401 `unauthenticated`); what it returns, if
 * anything, replaces the server's message for the page. Set by shell.ts.
 */
let sessionGone: (() => string | null) | null = null;

export function onSessionGone(listener: () => string | null): void {
  sessionGone = listener;
}

/**
 * A 401 `unauthenticated` ends the session for the page (the notice at the top, from shell.ts),
 * with its words instead of the server's; any other error stays as it is.
 */
function afterSessionGone(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status !== 401 || err.code !== 'unauthenticated') return err;
  const gone = sessionGone?.();
  return gone ? new ApiError(err.status, err.code, gone, err.details) : err;
}

/** Sends a request and reads its JSON reply; anything but 2xx becomes an ApiError. */
async function send<T>(method: string, url: string, body?: BodyInit, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body });
  } catch {
    throw new ApiError(
      0,
      'network',
      'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.',
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'unknown',
      error?.message ?? `Fout ${res.status}`,
      error?.details,
    );
  }
  return data as T;
}

/** Asks the person why (a restatement); null when they cancel. Set by main.ts. */
type ReasonAsker = (message: string) => Promise<string | null>;
let askReason: ReasonAsker | null = null;

/**
 * When a write would change the figures of a closed quarter, the server refuses it with
 * `quarter_closed` until it carries a reason: `ask` is called with the server's message, and the
 * same write is sent again with the reason (in the JSON body, or as `?reason=` for a delete or an
 * upload). Cancelling gives the original refusal to the page.
 */
export function onClosedQuarter(ask: ReasonAsker): void {
  askReason = ask;
}

async function withReason<T>(attempt: (reason?: string) => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'quarter_closed' || !askReason) throw err;
    const reason = await askReason(err.message);
    if (reason === null) throw err;
    return attempt(reason);
  }
}

/**
 * Why a write was refused for its session: the session ended (401 `unauthenticated`), or it was
 * replaced by signing in elsewhere, so the CSRF token this page holds no longer matches (403
 * `csrf_failed`).
 */
export type SessionRefusal = 'ended' | 'replaced';

/**
 * What the sign-in dialog came to: signed in again with the same account (the write is sent
 * again), or not (cancelled, or another account: `message` then replaces the refusal's words).
 */
export type SignInOutcome = { retry: true } | { retry: false; message?: string };

/** Asks the person to sign in again; null when that cannot help (a share link has no password). */
type SignInAsker = (refusal: SessionRefusal) => Promise<SignInOutcome> | null;
let askSignIn: SignInAsker | null = null;
/** One dialog for all the writes refused at the same time: they all wait for the same answer. */
let pendingSignIn: Promise<SignInOutcome> | null = null;

/** Writes that must not ask to sign in again: signing out of a session that is gone anyway. */
const NO_SIGN_IN = new Set(['/api/auth/logout']);

/**
 * When a write is refused because the session ended or was replaced, `ask` lets the person sign
 * in again in a dialog; the same write is then sent again with the new session's CSRF token, and
 * the page goes on as if nothing happened. Nothing the person typed is lost. Set by
 * ui/sign-in-dialog.ts.
 */
export function onSessionRefused(ask: SignInAsker): void {
  askSignIn = ask;
}

function refusalOf(err: unknown): SessionRefusal | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 401 && err.code === 'unauthenticated') return 'ended';
  if (err.status === 403 && err.code === 'csrf_failed') return 'replaced';
  return null;
}

async function withSignIn<T>(url: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal === null || !askSignIn || NO_SIGN_IN.has(url.split('?')[0] ?? url)) {
      throw afterSessionGone(err);
    }
    if (!pendingSignIn) {
      const asked = askSignIn(refusal);
      if (!asked) throw afterSessionGone(err);
      pendingSignIn = asked.finally(() => {
        pendingSignIn = null;
      });
    }
    const outcome = await pendingSignIn;
    if (!outcome.retry) {
      if (outcome.message === undefined) throw afterSessionGone(err);
      const refused = err as ApiError;
      throw new ApiError(refused.status, refused.code, outcome.message, refused.details);
    }
  }
  try {
    return await attempt();
  } catch (err) {
    throw afterSessionGone(err);
  }
}

function withReasonParam(url: string, reason: string | undefined): string {
  if (reason === undefined) return url;
  return `${url}${url.includes('?') ? '&' : '?'}reason=${encodeURIComponent(reason)}`;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  if (method === 'GET') {
    try {
      return await send<T>(method, url);
    } catch (err) {
      throw afterSessionGone(err);
    }
  }
  return withReason((reason) =>
    withSignIn(url, () => {
      if (body === undefined) return send<T>(method, withReasonParam(url, reason));
      const payload =
        reason !== undefined && body !== null && typeof body === 'object' && !Array.isArray(body)
          ? { ...(body as Record<string, unknown>), reason }
          : body;
      return send<T>(method, url, JSON.stringify(payload), 'application/json');
    }),
  );
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const del = <T>(url: string) => api<T>('DELETE', url);

/**
 * Sends a file as multipart/form-data (the import), with the session's CSRF token. The browser
 * sets the content type with its boundary.
 */
export function upload<T>(url: string, form: FormData): Promise<T> {
  return withReason((reason) => withSignIn(url, () => send<T>('POST', withReasonParam(url, reason), form)));
}
