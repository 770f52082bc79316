import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

type Db = Kysely<Database>;

export function listStoredModels(db: Db) {
  return db.selectFrom('schakelmodellen').selectAll().orderBy('id').orderBy('version').execute();
}

export async function insertStoredModel(
  db: Db,
  m: { id: string; version: number; name: string; definition: string; registeredAt: string },
): Promise<void> {
  await db
    .insertInto('schakelmodellen')
    .values({
      id: m.id,
      version: m.version,
      name: m.name,
      definition: m.definition,
      registered_at: m.registeredAt,
    })
    .execute();
}
