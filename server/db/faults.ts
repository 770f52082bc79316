/** The SQLite code of an error, or of the error it wraps (`cause`), e.g. `SQLITE_FULL`. */
export function sqliteCodeOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}
