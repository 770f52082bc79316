import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OPERATOR } from '../../services/principal.ts';
import { purgeExpiredSessions } from '../../services/sessions.service.ts';

export interface HousekeepingOptions {
  /** How often expired sessions are purged while the server runs; an hour unless a test says otherwise. */
  intervalMs?: number;
}

export const HOUSEKEEPING_INTERVAL_MS = 60 * 60_000;

/**
 * Purges expired sessions when the app is ready and then every `intervalMs`, so the sessions of
 * people who never came back do not pile up. The timer is unref'd (it never keeps the process
 * alive) and stopped on close. A failed purge is logged and tried again next time: housekeeping
 * never takes the app down.
 */
export const housekeepingPlugin = fp<HousekeepingOptions>(
  async (app: FastifyInstance, options) => {
    const intervalMs = options.intervalMs ?? HOUSEKEEPING_INTERVAL_MS;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;

    const purge = (atStart = false): Promise<void> => {
      running ??= purgeExpiredSessions(
        {
          db: app.db,
          models: app.models,
          now: app.clock,
          actor: 'housekeeping',
          principal: OPERATOR,
        },
        { atStart },
      )
        .then((purged) => {
          if (purged > 0) app.log.info({ purged }, 'expired sessions purged');
        })
        .catch((err: unknown) => app.log.error({ err }, 'purging expired sessions failed'))
        .finally(() => {
          running = undefined;
        });
      return running;
    };

    app.addHook('onReady', async () => {
      await purge(true);
      timer = setInterval(purge, intervalMs);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'housekeeping' },
);
