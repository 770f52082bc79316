import type { Kysely } from 'kysely';
import type { Database, ResourceRow } from '../schema.ts';

type Db = Kysely<Database>;

/** A resource without its stored bytes: what lists and revisions need. */
export type ResourceMeta = Omit<ResourceRow, 'content'>;

const META_COLUMNS = [
  'id',
  'criterion_key',
  'measure',
  'title',
  'description',
  'url',
  'file_name',
  'content_type',
  'size',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'removed_at',
  'removed_by',
] as const satisfies ReadonlyArray<keyof ResourceMeta>;

export interface ResourceFilter {
  criterion?: string | undefined;
  measure?: string | undefined;
}

/** The resources not removed, optionally of one criterion and/or measure; never their bytes. */
export function listResources(db: Db, filter: ResourceFilter): Promise<ResourceMeta[]> {
  let query = db.selectFrom('resources').select(META_COLUMNS).where('removed_at', 'is', null);
  if (filter.criterion !== undefined) query = query.where('criterion_key', '=', filter.criterion);
  if (filter.measure !== undefined) query = query.where('measure', '=', filter.measure);
  return query.orderBy('criterion_key').orderBy('measure').orderBy('title').orderBy('id').execute();
}

/** One resource that is not removed, without its bytes. */
export function findResource(db: Db, id: number): Promise<ResourceMeta | undefined> {
  return db
    .selectFrom('resources')
    .select(META_COLUMNS)
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

/** The stored document of a resource that is not removed; undefined for a link or a removed one. */
export function findResourceFile(
  db: Db,
  id: number,
): Promise<{ file_name: string; content_type: string; content: Buffer } | undefined> {
  return db
    .selectFrom('resources')
    .select(['file_name', 'content_type', 'content'])
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .where('content', 'is not', null)
    .executeTakeFirst() as Promise<{ file_name: string; content_type: string; content: Buffer } | undefined>;
}

export interface NewResource {
  criterion: string | null;
  measure: string | null;
  title: string;
  description: string | null;
  url: string | null;
  file: { name: string; contentType: string; content: Buffer } | null;
  at: string;
  by: string;
}

export function insertResource(db: Db, r: NewResource): Promise<ResourceMeta> {
  return db
    .insertInto('resources')
    .values({
      criterion_key: r.criterion,
      measure: r.measure,
      title: r.title,
      description: r.description,
      url: r.url,
      file_name: r.file?.name ?? null,
      content_type: r.file?.contentType ?? null,
      size: r.file ? r.file.content.length : null,
      content: r.file?.content ?? null,
      created_at: r.at,
      created_by: r.by,
      updated_at: r.at,
      updated_by: r.by,
    })
    .returning(META_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Changes the texts when the stored version is `version`; undefined when it changed meanwhile. */
export function updateResourceTexts(
  db: Db,
  id: number,
  version: number,
  change: { title: string; description: string | null; at: string; by: string },
): Promise<ResourceMeta | undefined> {
  return db
    .updateTable('resources')
    .set((eb) => ({
      title: change.title,
      description: change.description,
      updated_at: change.at,
      updated_by: change.by,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('removed_at', 'is', null)
    .returning(META_COLUMNS)
    .executeTakeFirst();
}

/** Marks a resource removed (it stays for the history); undefined when it was already gone. */
export function markResourceRemoved(
  db: Db,
  id: number,
  change: { at: string; by: string },
): Promise<ResourceMeta | undefined> {
  return db
    .updateTable('resources')
    .set((eb) => ({ removed_at: change.at, removed_by: change.by, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .returning(META_COLUMNS)
    .executeTakeFirst();
}
