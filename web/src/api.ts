// The JSON API client: same origin, the session cookie goes along by itself; every write carries
// the CSRF token of the session. Errors arrive as ApiError with the server's Dutch message.

export type Role = 'projectleider' | 'bestuur' | 'organisatie';

export interface Session {
  user: { email: string | null; role: Role; organisationId: number | null };
  csrfToken: string;
  via: 'account' | 'deellink';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
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

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(
      0,
      'network',
      'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.',
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (data as { error?: { code: string; message: string; details?: unknown } } | undefined)
      ?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'error',
      error?.message ?? `Fout ${res.status}`,
      error?.details,
    );
  }
  return data as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const del = <T>(url: string) => api<T>('DELETE', url);

/**
 * Sends a file as multipart/form-data (the import), with the session's CSRF token. The browser
 * sets the content type with its boundary; errors arrive as ApiError like every other call.
 */
export async function upload<T>(url: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: form });
  } catch {
    throw new ApiError(
      0,
      'network',
      'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.',
    );
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const error = (data as { error?: { code: string; message: string; details?: unknown } } | undefined)
      ?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'error',
      error?.message ?? `Fout ${res.status}`,
      error?.details,
    );
  }
  return data as T;
}
