import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { type BackupResult, backupDatabase } from '../db/backup.ts';
import type { Database } from '../db/schema.ts';

/** Where and how often the server backs itself up (`BACKUP_DIR`, `BACKUP_EVERY_HOURS`, `BACKUP_KEEP`). */
export interface BackupSchedule {
  dir: string;
  everyHours: number;
  /** How many scheduled backups to keep; older ones (only files this schedule wrote) are removed. */
  keep: number;
}

/** What the status page shows about the scheduled backups. */
export interface BackupStatus {
  lastBackupAt: string | null;
  lastFile: string | null;
  /** The last attempt's failure, cleared by the next success. */
  lastError: string | null;
}

interface Logger {
  info: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
}

/** Names sort in time order, so the newest is the last; only files of this shape are ever removed. */
const SCHEDULED_NAME = /^vpt-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z\.sqlite$/;

/** `vpt-2026-11-15T10-00-00-000Z.sqlite`: the time in UTC, safe in every file system. */
export function scheduledBackupName(at: Date): string {
  return `vpt-${at.toISOString().replace(/[:.]/g, '-')}.sqlite`;
}

function timeOfName(name: string): Date | null {
  const m = SCHEDULED_NAME.exec(name);
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : null;
}

async function scheduledBackups(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => SCHEDULED_NAME.test(name)).sort();
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}

/** Writes one scheduled backup into the directory and removes all but the newest `keep`. */
export async function runScheduledBackup(
  db: Kysely<Database>,
  schedule: BackupSchedule,
  now: Date,
): Promise<BackupResult> {
  const result = await backupDatabase(db, join(schedule.dir, scheduledBackupName(now)));
  const all = await scheduledBackups(schedule.dir);
  for (const name of all.slice(0, Math.max(0, all.length - schedule.keep))) {
    await rm(join(schedule.dir, name), { force: true });
  }
  return result;
}

/**
 * Backs the database up every `everyHours`, the first one when the newest backup in the
 * directory is that old (so a restart does not postpone it). Returns the status for the status
 * page and `stop`, which waits for a backup in progress (for a graceful shutdown).
 */
export async function startBackupSchedule(
  db: Kysely<Database>,
  schedule: BackupSchedule,
  options: { now?: () => Date; log: Logger },
): Promise<{ status: () => BackupStatus; stop: () => Promise<void> }> {
  const now = options.now ?? (() => new Date());
  const everyMs = schedule.everyHours * 3_600_000;
  const newest = (await scheduledBackups(schedule.dir)).at(-1);
  const status: BackupStatus = {
    lastBackupAt: newest ? (timeOfName(newest)?.toISOString() ?? null) : null,
    lastFile: newest ? join(schedule.dir, newest) : null,
    lastError: null,
  };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const plan = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        running = run().finally(() => {
          running = null;
          plan(everyMs);
        });
      },
      Math.max(0, delayMs),
    );
    timer.unref();
  };

  const run = async () => {
    const at = now();
    try {
      const result = await runScheduledBackup(db, schedule, at);
      Object.assign(status, { lastBackupAt: at.toISOString(), lastFile: result.file, lastError: null });
      options.log.info({ file: result.file, bytes: result.bytes }, 'back-up gemaakt');
    } catch (err) {
      status.lastError = err instanceof Error ? err.message : String(err);
      options.log.error({ err }, 'geplande back-up mislukt');
    }
  };

  const last = status.lastBackupAt ? new Date(status.lastBackupAt).getTime() : Number.NEGATIVE_INFINITY;
  plan(last + everyMs - now().getTime());
  return {
    status: () => ({ ...status }),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
