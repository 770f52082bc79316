import type { Kysely } from 'kysely';
import { insertStoredModel, listStoredModels } from '../db/repositories/models.repository.ts';
import type { Database } from '../db/schema.ts';
import { type Schakelmodel, schakelmodelSchema } from '../domain/schakelmodel.ts';
import { AppError, NotFoundError } from '../errors.ts';

/**
 * The active model plus every model version quickscans were answered against. Versions are
 * immutable: once a version is stored, a model file with the same id and version but other
 * content is refused at start, so an old quickscan never changes meaning.
 */
export class ModelRegistry {
  private readonly byRef = new Map<string, Schakelmodel>();

  constructor(
    readonly active: Schakelmodel,
    stored: readonly Schakelmodel[],
  ) {
    for (const m of stored) this.byRef.set(refKey(m.id, m.version), m);
    this.byRef.set(refKey(active.id, active.version), active);
  }

  get(id: string, version: number): Schakelmodel {
    const model = this.byRef.get(refKey(id, version));
    if (!model)
      throw new NotFoundError(`schakelmodel '${id}' versie ${version} is niet bekend`, 'model_not_found');
    return model;
  }

  all(): Schakelmodel[] {
    return [...this.byRef.values()];
  }
}

function refKey(id: string, version: number): string {
  return `${id}@${version}`;
}

/** Stores the active model when it is new and loads every stored version. */
export async function loadModelRegistry(
  db: Kysely<Database>,
  active: Schakelmodel,
  now: Date,
): Promise<ModelRegistry> {
  const rows = await listStoredModels(db);
  const stored = rows.map((r) => schakelmodelSchema.parse(JSON.parse(r.definition)));
  const same = stored.find((m) => m.id === active.id && m.version === active.version);
  if (same) {
    if (JSON.stringify(same) !== JSON.stringify(active)) {
      throw new AppError(
        'model_version_changed',
        500,
        `schakelmodel '${active.id}' versie ${active.version} staat al met een andere inhoud in de database; ` +
          'geef het gewijzigde model een hoger versienummer, zodat eerdere quickscans hun betekenis houden',
      );
    }
  } else {
    await insertStoredModel(db, {
      id: active.id,
      version: active.version,
      name: active.name,
      definition: JSON.stringify(active),
      registeredAt: now.toISOString(),
    });
  }
  return new ModelRegistry(active, stored);
}
