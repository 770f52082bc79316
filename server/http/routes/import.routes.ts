import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/errors.contract.ts';
import { importQuery, importReportSchema } from '../../contracts/import.contract.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { IMPORT_LIMITS, readPrestatielijst } from '../../excel/prestatielijst-reader.ts';
import { importPrestatielijst } from '../../services/import.service.ts';
import { contextOf } from '../context.ts';

const FIELD = 'file';
const MEGABYTES = IMPORT_LIMITS.fileBytes / (1024 * 1024);

/** Only for the OpenAPI document: the upload itself is read as a stream, not validated as a body. */
const uploadBody = z
  .object({
    [FIELD]: z.unknown().meta({ type: 'string', format: 'binary', description: 'De lijst: .xlsx of .csv' }),
  })
  .nullish();

function fileTooLarge(): AppError {
  return new AppError(
    'file_too_large',
    413,
    `het bestand is te groot: een prestatielijst mag hoogstens ${MEGABYTES} MB zijn`,
    { limit: IMPORT_LIMITS.fileBytes },
  );
}

/** The uploaded file as a buffer, with the errors of the upload itself in Dutch. */
async function receiveFile(request: FastifyRequest): Promise<{ buffer: Buffer; name: string }> {
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  let buffer: Buffer;
  try {
    part = await request.file();
    if (!part)
      throw new ValidationError(`stuur de lijst mee in het veld '${FIELD}'`, undefined, 'file_missing');
    if (part.fieldname !== FIELD) {
      throw new ValidationError(
        `het bestand staat in het veld '${part.fieldname}'; stuur het in het veld '${FIELD}'`,
        undefined,
        'file_missing',
      );
    }
    buffer = await part.toBuffer();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw fileTooLarge();
    }
    throw new ValidationError(
      `het bestand kon niet worden ontvangen: de upload is onvolledig of geen geldige multipart/form-data`,
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

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Uploads are accepted by this route only: everywhere else multipart stays a 415.
  await app.register(multipart, {
    limits: { fileSize: IMPORT_LIMITS.fileBytes, files: 1, fields: 5, fieldSize: 1024, parts: 10 },
  });
  // Before the body is parsed: anything but multipart gets a 415 that says what to send.
  app.addHook('preParsing', async (request) => {
    if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
      throw new AppError(
        'unsupported_media_type',
        415,
        `stuur de lijst als multipart/form-data, met het bestand (.xlsx of .csv) in het veld '${FIELD}'`,
      );
    }
  });

  app.post(
    '/import/prestatielijst',
    {
      config: { access: 'projectleider' },
      schema: {
        tags: ['import'],
        summary: 'Bestaande prestatielijst inlezen (.xlsx of .csv): alles of niets',
        description:
          `Upload als multipart/form-data met het bestand in het veld \`${FIELD}\` (hoogstens ${MEGABYTES} MB). ` +
          'Sectoren en organisaties worden op naam gezocht en aangemaakt als ze nieuw zijn; versnellingen ' +
          'worden vastgelegd met bron `import`. Lidmaatschapsperiodes (`Lid sinds`/`Lid tot`, meerdere ' +
          'gescheiden door `;`) en sectorwissels (een rij per sector met de periode achter de naam, zoals ' +
          '"Ziekenhuis X (vanaf Q3 2016)", of een rij met een andere sector dan de organisatie had) worden ' +
          'vastgelegd voor de kwartalen van de lijst; andere kwartalen blijven zoals ze waren. Het verslag ' +
          'noemt elke sectorwissel (`sectorMoves`) en elke nieuwe sector (`newSectors`). Een nieuwe sectornaam ' +
          'die op een bestaande lijkt (gelijk zonder hoofdletters, spaties en accenten, of hoogstens twee letters ' +
          'anders) is een fout (`similar_sector`, met `details.similarSectors: [{ name, existing }]`), tenzij ' +
          'die naam is bevestigd met `newSector`. Bij één fout wordt niets opgeslagen en volgt 400 (het bestand) ' +
          'of 422 (de regels) met code `import_invalid` en alle fouten in `details.problems`. ' +
          'Met `dryRun=true` komt het verslag van wat er zou gebeuren, zonder iets op te slaan.',
        consumes: ['multipart/form-data'],
        querystring: importQuery,
        body: uploadBody,
        response: { 200: importReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const file = await receiveFile(request);
      const parsed = await readPrestatielijst(file.buffer, file.name);
      try {
        return await importPrestatielijst(contextOf(request), parsed, {
          dryRun: request.query.dryRun,
          newSectors: request.query.newSector,
          reason: request.query.reason,
          signal: app.stopping,
        });
      } catch (err) {
        // Only the stop itself: a refused list stays a refused list while the server stops.
        if (!app.stopping.aborted || (err as Error).name !== 'AbortError') throw err;
        throw new AppError(
          'server_stopping',
          503,
          'de server stopt; de import is afgebroken en er is niets opgeslagen. Lees de lijst opnieuw in zodra de server weer draait',
        );
      }
    },
  );
};
