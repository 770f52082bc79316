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

export function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  return body === undefined
    ? send<T>(method, url)
    : send<T>(method, url, JSON.stringify(body), 'application/json');
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
  return send<T>('POST', url, form);
}
