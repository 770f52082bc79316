import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type BackupStatus, startBackupSchedule } from '../../services/backup.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The scheduled backups' status; null when BACKUP_DIR is not set. */
    backups: { status: () => BackupStatus } | null;
  }
}

/**
 * Scheduled backups (`BACKUP_DIR`, `BACKUP_EVERY_HOURS`, `BACKUP_KEEP`): started when the app is
 * ready, the first one at once when the newest backup in the directory is older than the
 * interval, and stopped on close (a backup in progress is finished first). A failed backup is
 * logged and shown by the health check; it never takes the app down.
 */
export const backupsPlugin = fp(
  async (app: FastifyInstance) => {
    const schedule = app.config.backup;
    const holder: { status: () => BackupStatus } | null = schedule
      ? { status: () => ({ lastBackupAt: null, lastFile: null, lastError: null }) }
      : null;
    app.decorate('backups', holder);
    if (!schedule || !holder) return;
    let stop: (() => Promise<void>) | null = null;
    app.addHook('onReady', async () => {
      const running = await startBackupSchedule(app.db, schedule, { now: app.clock, log: app.log });
      holder.status = running.status;
      stop = running.stop;
    });
    app.addHook('onClose', async () => {
      await stop?.();
    });
  },
  { name: 'backups' },
);
