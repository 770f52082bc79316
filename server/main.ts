import { buildApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { AppError } from './errors.ts';

async function main(): Promise<void> {
  bootstrap();
  const config = loadConfig();
  const app = await buildApp(config);
  app.server.requestTimeout = 30_000;
  app.server.headersTimeout = 20_000;

  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      app
        .close()
        .then(() => process.exit(0))
        .catch((err) => {
          app.log.error({ err }, 'error while shutting down');
          process.exit(1);
        });
    });
  }

  await app.listen({ host: config.host, port: config.port });
  if (app.setupToken.value) {
    // Printed, not logged: the person starting the server needs it once to create the first account.
    console.log(
      `\nEr is nog geen account. Maak het eerste projectleidersaccount aan via deze eenmalige link:\n\n  ${config.publicUrl}/setup?token=${app.setupToken.value}\n`,
    );
  }
  app.log.info(
    {
      database: config.databasePath,
      model: `${config.model.id} v${config.model.version} (${config.modelSource})`,
    },
    `VPT-schakelmodel draait op http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof AppError) {
    console.error(`Kan niet starten: ${err.message}`);
  } else {
    console.error('Kan niet starten:', err);
  }
  process.exit(1);
});
