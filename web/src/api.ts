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
    const gone = res.status === 401 && error?.code === 'unauthenticated' ? sessionGone?.() : null;
    throw new ApiError(
      res.status,
      error?.code ?? 'unknown',
      gone ?? error?.message ?? `Fout ${res.status}`,
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

function withReasonParam(url: string, reason: string | undefined): string {
  if (reason === undefined) return url;
  return `${url}${url.includes('?') ? '&' : '?'}reason=${encodeURIComponent(reason)}`;
}

export function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  if (method === 'GET') return send<T>(method, url);
  return withReason((reason) => {
    if (body === undefined) return send<T>(method, withReasonParam(url, reason));
    const payload =
      reason !== undefined && body !== null && typeof body === 'object' && !Array.isArray(body)
        ? { ...(body as Record<string, unknown>), reason }
        : body;
    return send<T>(method, url, JSON.stringify(payload), 'application/json');
  });
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
  return withReason((reason) => send<T>('POST', withReasonParam(url, reason), form));
}
