import type { z } from 'zod';
import { ERROR_CODES } from '../contracts/errors.contract.ts';
import {
  MAX_DOCUMENT_BYTES,
  type Resource,
  type ResourceLinkInput,
  type ResourcePatch,
  type ResourceQuery,
  resourceLinkBody,
  resourceUploadFields,
} from '../contracts/resource.contract.ts';
import {
  findResource,
  findResourceFile,
  insertResource,
  listResources as listRows,
  markResourceRemoved,
  type ResourceMeta,
  updateResourceTexts,
} from '../db/repositories/resources.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { allCriteria, type Schakelmodel } from '../domain/model-types.ts';
import {
  AppError,
  ConflictError,
  type ErrorCode,
  NotFoundError,
  type Problem,
  ValidationError,
} from '../errors.ts';
import { checkDocument, documentTypeOf } from '../files/document.ts';
import type { ServiceContext } from './context.ts';
import { inTransaction } from './transaction.ts';

/**
 * The "apothekerskast" (issue 13, item 3): resources per criterion of the active model and/or per
 * VPT measure, each a link or a document stored in the database. Everyone signed in reads the
 * list (organisations see it under their next steps); the projectleider adds, edits and removes.
 * Every write is in the change history, without a document's bytes.
 */

/** The criterion keys of a model, in its order: what a resource may belong to. */
export function criterionKeys(model: Schakelmodel): string[] {
  return allCriteria(model).map((c) => c.key);
}

function toResource(row: ResourceMeta): Resource {
  const isFile = row.file_name !== null;
  return {
    id: row.id,
    criterion: row.criterion_key,
    measure: row.measure,
    title: row.title,
    description: row.description,
    kind: isFile ? 'file' : 'link',
    url: row.url,
    file: isFile
      ? {
          name: row.file_name!,
          // Stored only as checkDocument found it, so always one of the types.
          type: documentTypeOf(row.content_type!)!,
          contentType: row.content_type!,
          size: row.size ?? 0,
        }
      : null,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** What the history keeps of a resource: everything but the document's bytes. */
function snapshot(row: ResourceMeta) {
  return {
    criterion: row.criterion_key,
    measure: row.measure,
    title: row.title,
    description: row.description,
    url: row.url,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size,
    version: row.version,
  };
}

function notFound(id: number): NotFoundError {
  return new NotFoundError(`hulpmiddel ${id} bestaat niet (meer) in de apothekerskast`, 'resource_not_found');
}

/** zod's problems as the error contract lists them: each next to its field. */
function problemsOfIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: 'unknown_field',
        path: [path, key].filter(Boolean).join('.'),
        message: `onbekend veld '${key}'`,
      }));
    }
    return [{ code: 'invalid_field', path: path || 'body', message: issue.message }];
  });
}

/** Refuses with every problem at once; the message names the one problem, or all of them. */
function refuse(problems: Problem[]): never {
  const first = problems[0]!;
  if (problems.length > 1) {
    throw new ValidationError(
      `er zijn ${problems.length} problemen: ${problems.map((p) => p.message).join('; ')}`,
      { problems },
    );
  }
  if (first.code === 'invalid_field' || first.code === 'unknown_field') {
    throw new ValidationError(first.message, { problems });
  }
  const code = (ERROR_CODES as readonly string[]).includes(first.code)
    ? (first.code as ErrorCode)
    : undefined;
  throw new ValidationError(first.message, { problems }, code);
}

/** The resources not removed, of a criterion and/or measure when asked; never a document's bytes. */
export async function listResources(ctx: ServiceContext, filter: ResourceQuery = {}): Promise<Resource[]> {
  const rows = await listRows(ctx.db, { criterion: filter.criterion, measure: filter.measure });
  return rows.map(toResource);
}

export async function getResource(ctx: ServiceContext, id: number): Promise<Resource> {
  const row = await findResource(ctx.db, id);
  if (!row) throw notFound(id);
  return toResource(row);
}

async function insertWithRevision(
  ctx: ServiceContext,
  values: Parameters<typeof insertResource>[1],
): Promise<Resource> {
  return inTransaction(ctx.db, async (trx) => {
    const row = await insertResource(trx, values);
    await insertRevision(trx, {
      entity: 'resource',
      entityId: row.id,
      organisationId: null,
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(row),
      actor: ctx.actor,
      at: values.at,
    });
    return toResource(row);
  });
}

/**
 * Adds a link. The input is checked again against the active model (the API checked it already;
 * the CLI and other callers may not have): a criterion of another model is refused.
 */
export async function addLink(ctx: ServiceContext, input: ResourceLinkInput): Promise<Resource> {
  const parsed = resourceLinkBody(criterionKeys(ctx.models.active)).safeParse(input);
  if (!parsed.success) refuse(problemsOfIssues(parsed.error.issues));
  const v = parsed.data;
  return insertWithRevision(ctx, {
    criterion: v.criterion ?? null,
    measure: v.measure ?? null,
    title: v.title,
    description: v.description ?? null,
    url: v.url,
    file: null,
    at: ctx.now().toISOString(),
    by: ctx.actor,
  });
}

/**
 * Adds a document: its type read from its content (pdf, docx, xlsx, pptx, odt), the name's
 * extension agreeing with it, a plain file name, at most 10 MB. The fields and the file are
 * checked together, so every problem comes back at once (the file's under `file`).
 */
export async function addDocument(
  ctx: ServiceContext,
  input: { fields: Record<string, unknown>; file: { name: string; content: Buffer } | null },
): Promise<Resource> {
  const parsed = resourceUploadFields(criterionKeys(ctx.models.active)).safeParse(input.fields);
  const problems: Problem[] = parsed.success ? [] : problemsOfIssues(parsed.error.issues);
  if (input.file === null) {
    problems.push({
      code: 'file_missing',
      path: 'file',
      message: 'kies het document dat in de apothekerskast komt',
    });
    refuse(problems);
  }
  const document = checkDocument(input.file.name, input.file.content);
  if (!document.ok) {
    const tooLarge = document.problems.find((p) => p.code === 'file_too_large');
    if (tooLarge) {
      throw new AppError('file_too_large', 413, tooLarge.message, {
        problems: [{ ...tooLarge, path: 'file' }],
        limit: MAX_DOCUMENT_BYTES,
      });
    }
    problems.push(...document.problems.map((p) => ({ ...p, path: 'file' })));
  }
  if (!parsed.success || !document.ok) refuse(problems);
  const v = parsed.data;
  return insertWithRevision(ctx, {
    criterion: v.criterion ?? null,
    measure: v.measure ?? null,
    title: v.title,
    description: v.description ?? null,
    url: null,
    file: { name: document.name, contentType: document.contentType, content: input.file.content },
    at: ctx.now().toISOString(),
    by: ctx.actor,
  });
}

/** Changes a resource's title and/or description, from the version it was read at. */
export async function updateResource(
  ctx: ServiceContext,
  id: number,
  patch: ResourcePatch,
): Promise<Resource> {
  return inTransaction(ctx.db, async (trx) => {
    const existing = await findResource(trx, id);
    if (!existing) throw notFound(id);
    if (existing.version !== patch.expectedVersion) {
      throw new ConflictError(
        `'${existing.title}' is intussen gewijzigd (nu versie ${existing.version}); laad de apothekerskast opnieuw en probeer het nog eens`,
        'version_conflict',
        { currentVersion: existing.version },
      );
    }
    const title = patch.title ?? existing.title;
    const description = patch.description === undefined ? existing.description : patch.description;
    if (title === existing.title && description === existing.description) return toResource(existing);
    const at = ctx.now().toISOString();
    const row = await updateResourceTexts(trx, id, existing.version, {
      title,
      description,
      at,
      by: ctx.actor,
    });
    if (!row) throw notFound(id);
    await insertRevision(trx, {
      entity: 'resource',
      entityId: id,
      organisationId: null,
      quarter: null,
      action: 'update',
      before: snapshot(existing),
      after: snapshot(row),
      actor: ctx.actor,
      at,
    });
    return toResource(row);
  });
}

/** Takes a resource out of the kast: it is kept, marked removed, and its removal is in the history. */
export async function removeResource(ctx: ServiceContext, id: number): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const existing = await findResource(trx, id);
    if (!existing) throw notFound(id);
    const at = ctx.now().toISOString();
    const row = await markResourceRemoved(trx, id, { at, by: ctx.actor });
    if (!row) throw notFound(id);
    await insertRevision(trx, {
      entity: 'resource',
      entityId: id,
      organisationId: null,
      quarter: null,
      action: 'delete',
      before: snapshot(existing),
      after: null,
      actor: ctx.actor,
      at,
    });
  });
}

/** A stored document to download: its name, type and bytes; 404 for a link or a removed resource. */
export async function resourceFile(
  ctx: ServiceContext,
  id: number,
): Promise<{ name: string; contentType: string; content: Buffer }> {
  const file = await findResourceFile(ctx.db, id);
  if (!file) {
    const row = await findResource(ctx.db, id);
    if (row?.url) {
      throw new NotFoundError(
        `hulpmiddel ${id} is een link, geen document; open het adres ${row.url}`,
        'resource_not_found',
      );
    }
    throw notFound(id);
  }
  return { name: file.file_name, contentType: file.content_type, content: file.content };
}
