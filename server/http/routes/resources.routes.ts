import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  MAX_DOCUMENT_BYTES,
  resourceLinkBody,
  resourceParams,
  resourceQuery,
  resourceSchema,
  updateResourceBody,
} from '../../contracts/resource.contract.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { tooLargeMessage } from '../../files/document.ts';
import * as resources from '../../services/resources.service.ts';
import { contextOf } from '../context.ts';

const FILE_FIELD = 'file';
/** The text fields of an upload, and how long one may be (a description is at most 2,000 characters). */
const FIELD_BYTES = 16 * 1024;

/** Only for the OpenAPI document: the upload is read part by part, not validated as a body. */
const uploadBody = z
  .object({
    [FILE_FIELD]: z.unknown().meta({
      type: 'string',
      format: 'binary',
      description: 'Het document: pdf, docx, xlsx, pptx of odt (herkend aan de inhoud), hoogstens 10 MB',
    }),
    criterion: z.string().optional(),
    measure: z.string().optional(),
    title: z.string(),
    description: z.string().optional(),
  })
  .nullish();

function fileTooLarge(): AppError {
  return new AppError('file_too_large', 413, tooLargeMessage(), {
    problems: [{ code: 'file_too_large', path: FILE_FIELD, message: tooLargeMessage() }],
    limit: MAX_DOCUMENT_BYTES,
  });
}

interface Upload {
  fields: Record<string, unknown>;
  file: { name: string; content: Buffer } | null;
}

/** The form fields and the one file of an upload; the upload's own failures in Dutch. */
async function receiveUpload(request: FastifyRequest): Promise<Upload> {
  // As entries: a field named __proto__ becomes an unknown field, not the object's prototype.
  const entries: Array<[string, unknown]> = [];
  const truncated: string[] = [];
  let file: Upload['file'] = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname !== FILE_FIELD) {
          throw new ValidationError(
            `het bestand staat in het veld '${part.fieldname}'; stuur het in het veld '${FILE_FIELD}'`,
            {
              problems: [
                {
                  code: 'file_missing',
                  path: FILE_FIELD,
                  message: `stuur het bestand in het veld '${FILE_FIELD}'`,
                },
              ],
            },
            'file_missing',
          );
        }
        file = { name: part.filename ?? '', content };
      } else {
        if (part.valueTruncated) truncated.push(part.fieldname);
        entries.push([part.fieldname, part.value]);
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge();
    if (code === 'FST_PROTO_VIOLATION') {
      throw new ValidationError(
        'het formulier bevat een verboden veldnaam (__proto__, constructor of prototype)',
        undefined,
        'invalid_upload',
      );
    }
    if (code === 'FST_FILES_LIMIT') {
      throw new ValidationError('stuur één bestand tegelijk', undefined, 'invalid_upload');
    }
    throw new ValidationError(
      'het bestand kon niet worden ontvangen: de upload is onvolledig of geen geldige multipart/form-data',
      undefined,
      'invalid_upload',
    );
  }
  if (truncated.length > 0) {
    const problems = truncated.map((name) => ({
      code: 'invalid_field' as const,
      path: name,
      message: 'deze tekst is te lang',
    }));
    throw new ValidationError(`${truncated[0]}: deze tekst is te lang`, { problems });
  }
  return { fields: Object.fromEntries(entries), file };
}

/**
 * RFC 6266 with RFC 5987: a plain-ASCII fallback name (anything else becomes '_') and the exact
 * name, percent-encoded as UTF-8. Always an attachment: a stored document is never shown inline.
 */
export function attachmentHeader(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The "apothekerskast": resources per criterion and measure. Every signed-in role reads them
 * (also a share link: organisations see them under their next steps); the projectleider manages.
 */
export const resourceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['apothekerskast'];
  // The criteria are those of the active model, fixed for as long as the app runs.
  const linkBody = resourceLinkBody(resources.criterionKeys(app.models.active));

  app.get(
    '/resources',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags,
        summary: 'Hulpmiddelen in de apothekerskast, eventueel van één criterium en/of maatregel',
        querystring: resourceQuery,
        response: { 200: z.array(resourceSchema), ...readErrors },
      },
    },
    async (request) => resources.listResources(contextOf(request), request.query),
  );

  app.post(
    '/resources',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een link (http of https) aan de apothekerskast toevoegen',
        body: linkBody,
        response: { 201: resourceSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await resources.addLink(contextOf(request), request.body)),
  );

  app.patch(
    '/resources/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Titel en beschrijving van een hulpmiddel wijzigen',
        params: resourceParams,
        body: updateResourceBody,
        response: { 200: resourceSchema, ...errorResponses },
      },
    },
    async (request) => resources.updateResource(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/resources/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een hulpmiddel uit de apothekerskast halen (het blijft in de geschiedenis)',
        params: resourceParams,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await resources.removeResource(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/resources/:id/file',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags,
        summary: 'Het document van een hulpmiddel downloaden (altijd als bijlage)',
        params: resourceParams,
        response: {
          200: z.any().meta({ description: 'Het document (pdf, docx, xlsx, pptx of odt)', format: 'binary' }),
          ...readErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await resources.resourceFile(contextOf(request), request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentHeader(file.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.content);
    },
  );

  // Uploads are accepted here only, in a scope of their own: everywhere else multipart stays a 415.
  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      // The name as sent, folders and all: a name with a path is refused, not quietly shortened.
      preservePath: true,
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 8, fieldSize: FIELD_BYTES, parts: 10 },
    });
    uploads.addHook('preParsing', async (request) => {
      if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
        throw new AppError(
          'unsupported_media_type',
          415,
          `stuur het document als multipart/form-data, met het bestand in het veld '${FILE_FIELD}' en de titel in 'title'`,
        );
      }
    });

    uploads.post(
      '/resources/upload',
      {
        config: { access: 'projectleider' },
        schema: {
          tags,
          summary:
            'Een document (pdf, docx, xlsx, pptx of odt; hoogstens 10 MB) aan de apothekerskast toevoegen',
          description:
            `Upload als multipart/form-data met het bestand in het veld \`${FILE_FIELD}\` en de velden ` +
            '`criterion` en/of `measure`, `title` en eventueel `description`. Het soort document wordt aan de ' +
            'inhoud herkend, niet aan de naam; de extensie van de naam moet erbij passen. Een naam met een map ' +
            '(`/`, `\\`, `..`), stuurtekens of een punt vooraan wordt geweigerd. Alle problemen komen in één keer ' +
            'terug in `details.problems`, elk bij zijn veld (`file` voor het bestand).',
          consumes: ['multipart/form-data'],
          body: uploadBody,
          response: { 201: resourceSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const upload = await receiveUpload(request);
        return reply.status(201).send(await resources.addDocument(contextOf(request), upload));
      },
    );
  });
};
