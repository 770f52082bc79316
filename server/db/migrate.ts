import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';

/**
 * SQLite DDL is not transactional in Kysely's migrator, so each migration runs in a transaction
 * of its own: a migration that fails halfway leaves the database as it was.
 */
function transactional(migration: Migration): Migration {
  return {
    up: (db) => db.transaction().execute((trx) => migration.up(trx)),
    ...(migration.down ? { down: (db) => db.transaction().execute((trx) => migration.down!(trx)) } : {}),
  };
}

export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works on the untyped database
  db: Kysely<any>,
  all: Record<string, Migration> = migrations,
): Promise<string[]> {
  const wrapped = Object.fromEntries(Object.entries(all).map(([name, m]) => [name, transactional(m)]));
  const migrator = new Migrator({ db, provider: { getMigrations: async () => wrapped } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'onbekend';
    throw new AppError(
      'migration_failed',
      500,
      `database-migratie '${failed}' is mislukt: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
