import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, ValidationError } from '../errors.ts';
import type { SheetKind } from '../excel/sheet-source.ts';

/**
 * The upload of a spreadsheet to import (the prestatielijst, the incident figures): one file in
 * one multipart field, refused in Dutch when it is missing, too large or not multipart at all.
 * The messages name the file with the words of its SheetKind, as the reader's own messages do.
 */

/** The multipart field the file travels in. */
const UPLOAD_FIELD = 'file';

/** Only for the OpenAPI document: the upload itself is read as a stream, not validated as a body. */
export function uploadBody(description: string) {
  return z
    .object({ [UPLOAD_FIELD]: z.unknown().meta({ type: 'string', format: 'binary', description }) })
    .nullish();
}

/** The file limit in whole megabytes, as the messages and the OpenAPI document state it. */
function megabytesAllowed(kind: SheetKind): number {
  return kind.limits.fileBytes / (1024 * 1024);
}

/** The OpenAPI description's first sentence: how to send the file. */
export function uploadDescription(kind: SheetKind): string {
  return `Upload als multipart/form-data met het bestand in het veld \`${UPLOAD_FIELD}\` (hoogstens ${megabytesAllowed(kind)} MB). `;
}

/**
 * Lets the routes of this (encapsulated) plugin take an upload: everywhere else multipart stays
 * a 415. Anything but multipart gets a 415 that says what to send, before the body is parsed.
 */
export async function acceptUploads(app: FastifyInstance, kind: SheetKind): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: kind.limits.fileBytes, files: 1, fields: 5, fieldSize: 1024, parts: 10 },
  });
  app.addHook('preParsing', async (request) => {
    if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
      throw new AppError(
        'unsupported_media_type',
        415,
        `stuur ${kind.words.the} als multipart/form-data, met het bestand (.xlsx of .csv) in het veld '${UPLOAD_FIELD}'`,
      );
    }
  });
}

function fileTooLarge(kind: SheetKind): AppError {
  return new AppError(
    'file_too_large',
    413,
    `het bestand is te groot: ${kind.words.a} mag hoogstens ${megabytesAllowed(kind)} MB zijn`,
    { limit: kind.limits.fileBytes },
  );
}

/** The uploaded file as a buffer, with the errors of the upload itself in Dutch. */
export async function receiveFile(
  request: FastifyRequest,
  kind: SheetKind,
): Promise<{ buffer: Buffer; name: string }> {
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  let buffer: Buffer;
  try {
    part = await request.file();
    if (!part) {
      throw new ValidationError(
        `stuur ${kind.words.the} mee in het veld '${UPLOAD_FIELD}'`,
        undefined,
        'file_missing',
      );
    }
    if (part.fieldname !== UPLOAD_FIELD) {
      throw new ValidationError(
        `het bestand staat in het veld '${part.fieldname}'; stuur het in het veld '${UPLOAD_FIELD}'`,
        undefined,
        'file_missing',
      );
    }
    buffer = await part.toBuffer();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw fileTooLarge(kind);
    }
    throw new ValidationError(
      'het bestand kon niet worden ontvangen: de upload is onvolledig of geen geldige multipart/form-data',
      undefined,
      'invalid_upload',
    );
  }
  // Only the name itself, as browsers send it: no folders, no control characters.
  const name =
    (part.filename ?? '')
      .split(/[\\/]/)
      .pop()!
      .replace(/\p{Cc}/gu, '')
      .trim()
      .slice(0, 200) || 'bestand';
  return { buffer, name };
}

/**
 * Runs an import that the server's stop aborts (it passes `stopping` on as its signal). Only the
 * stop itself becomes a 503 saying nothing was saved: a refused file stays a refused file while
 * the server stops.
 */
export async function abortedByStop<T>(
  stopping: AbortSignal,
  kind: SheetKind,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!stopping.aborted || (err as Error).name !== 'AbortError') throw err;
    throw new AppError(
      'server_stopping',
      503,
      `de server stopt; de import is afgebroken en er is niets opgeslagen. Lees ${kind.words.the} opnieuw in zodra de server weer draait`,
    );
  }
}
