import { userInfo } from 'node:os';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { loadModelRegistry } from '../../server/services/model-registry.ts';
import { OPERATOR } from '../../server/services/principal.ts';
import { findCommand, helpText, parseCommandArgs } from './commands.ts';
import { type CliIo, describeError, UsageError } from './io.ts';

function whoAmI(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'onbekend';
  }
}

/**
 * Runs one CLI command against the configured database and returns the exit code. Uses the
 * same config, migrations, services and validation as the API.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  now: () => Date = () => new Date(),
): Promise<number> {
  bootstrap();
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    (argv.length === 0 ? io.stderr : io.stdout)(`${helpText()}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  let db: ReturnType<typeof openDatabase> | undefined;
  try {
    const found = findCommand(argv);
    if (!found) throw new UsageError(`onbekende opdracht '${argv.slice(0, 2).join(' ')}'`);
    const { values, positionals } = parseCommandArgs(found.command, found.rest);
    const config = loadConfig(io.env);
    const { run, offline } = found.command;
    if (offline) {
      // Works on the file itself (a restore): the database may be damaged, or must not be open.
      await offline({ io, now }, values, positionals);
      return 0;
    }
    // The CLI may wait longer than a request for the server's write lock (an import running).
    db = openDatabase(config.databasePath, { busyTimeoutMs: 30_000 });
    await migrateToLatest(db);
    const models = await loadModelRegistry(db, config.model, now());
    const ctx = { db, models, now, actor: `cli (${whoAmI(io.env)})`, principal: OPERATOR };
    if (!run) throw new Error(`command '${argv[0]}' has nothing to run`);
    await run({ ctx, io, args: found.rest }, values, positionals);
    return 0;
  } catch (err) {
    const { lines, exitCode } = describeError(err);
    io.stderr(`${lines.join('\n')}\n`);
    return exitCode;
  } finally {
    await db?.destroy();
  }
}
