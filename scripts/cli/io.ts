import { ZodError } from 'zod';
import { ConfigError } from '../../server/config.ts';
import { sqliteCodeOf } from '../../server/db/faults.ts';
import { AppError } from '../../server/errors.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for `--answers -`). */
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

/** A usage mistake: wrong command, missing or unknown option. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Turns an error into the lines printed on stderr and the exit code. */
export function describeError(err: unknown): { lines: string[]; exitCode: number } {
  if (err instanceof UsageError)
    return { lines: [`fout: ${err.message}`, "zie 'npm run cli -- help'"], exitCode: 2 };
  if (err instanceof ZodError) {
    return {
      lines: [
        'fout: ongeldige invoer',
        ...err.issues.map((i) => `  - ${i.path.join('.') || 'invoer'}: ${i.message}`),
      ],
      exitCode: 1,
    };
  }
  if (err instanceof ConfigError) return { lines: [`fout: ${err.message}`], exitCode: 1 };
  if (err instanceof AppError) {
    const lines = [`fout: ${err.message}`];
    const problems = err.details?.problems ?? [];
    if (problems.length > 1) for (const p of problems) lines.push(`  - ${p.message}`);
    if (err.code === 'quarter_closed') lines.push('  geef de reden mee met --reason "…"');
    if (err.code === 'close_order') lines.push('  in één keer: voeg --with-earlier toe');
    return { lines, exitCode: 1 };
  }
  const sqlite = sqliteCodeOf(err);
  if (sqlite?.startsWith('SQLITE_BUSY') || sqlite?.startsWith('SQLITE_LOCKED')) {
    return {
      lines: [
        'fout: de database is bezet: de server of een andere opdracht schrijft er al langer dan 30 seconden in (een grote import?); er is niets opgeslagen',
        '  probeer het over een paar minuten opnieuw',
      ],
      exitCode: 75,
    };
  }
  if (sqlite === 'SQLITE_FULL') {
    return {
      lines: ['fout: de schijf is vol; er is niets opgeslagen', '  maak ruimte vrij en probeer het opnieuw'],
      exitCode: 1,
    };
  }
  if (err instanceof Error && String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')) {
    return { lines: [`fout: ${err.message}`, "zie 'npm run cli -- help'"], exitCode: 2 };
  }
  return {
    lines: [`fout: onverwachte fout: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`],
    exitCode: 1,
  };
}
