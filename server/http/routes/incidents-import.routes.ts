import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/errors.contract.ts';
import { INCIDENT_FIELD_NAMES, INCIDENT_FIELDS } from '../../contracts/incident.contract.ts';
import {
  incidentsImportQuery,
  incidentsImportReportSchema,
} from '../../contracts/incidents-import.contract.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { readIncidentsFile } from '../../excel/incidents-reader.ts';
import { IMPORT_LIMITS } from '../../excel/prestatielijst-reader.ts';
import { importIncidentFigures } from '../../services/incidents-import.service.ts';
import { contextOf } from '../context.ts';

const FIELD = 'file';
const MEGABYTES = IMPORT_LIMITS.fileBytes / (1024 * 1024);

/** Only for the OpenAPI document: the upload itself is read as a stream, not validated as a body. */
const uploadBody = z
  .object({
    [FIELD]: z
      .unknown()
      .meta({ type: 'string', format: 'binary', description: 'De incidentcijfers: .xlsx of .csv' }),
  })
  .nullish();

function fileTooLarge(): AppError {
  return new AppError(
    'file_too_large',
    413,
    `het bestand is te groot: een bestand met incidentcijfers mag hoogstens ${MEGABYTES} MB zijn`,
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
      throw new ValidationError(`stuur het bestand mee in het veld '${FIELD}'`, undefined, 'file_missing');
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

/** Imports incident figures and employees from a file (issue 12, item 1). An encapsulated plugin: its multipart parser stays its own. */
export const incidentsImportRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, {
    limits: { fileSize: IMPORT_LIMITS.fileBytes, files: 1, fields: 5, fieldSize: 1024, parts: 10 },
  });
  // Before the body is parsed: anything but multipart gets a 415 that says what to send.
  app.addHook('preParsing', async (request) => {
    if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
      throw new AppError(
        'unsupported_media_type',
        415,
        `stuur het bestand als multipart/form-data, met het bestand (.xlsx of .csv) in het veld '${FIELD}'`,
      );
    }
  });

  app.post(
    '/import/incidents',
    {
      config: { access: 'projectleider' },
      schema: {
        tags: ['import'],
        summary: 'Incidentcijfers en medewerkers inlezen (.xlsx of .csv): alles of niets',
        description:
          `Upload als multipart/form-data met het bestand in het veld \`${FIELD}\` (hoogstens ${MEGABYTES} MB). ` +
          'Eén rij per organisatie en kwartaal, met een kopregel: `Organisatie` (de naam zoals opgeslagen) of ' +
          '`Id` (of beide, dan moeten ze kloppen), `Kwartaal` (zoals Q4 2016 of 2016-Q4), een kolom per cijfer (' +
          INCIDENT_FIELDS.map((f) => `\`${INCIDENT_FIELD_NAMES[f]}\``).join(', ') +
          '; een lege cel is niet geregistreerd, wat iets anders is dan 0) en eventueel `Medewerkers` (met een ' +
          'publieke taak, per jaar: rijen van dezelfde organisatie en hetzelfde jaar moeten gelijk zijn). De cijfers ' +
          'van een rij vervangen die van dat kwartaal. Bij één fout wordt niets opgeslagen en volgt 400 (het ' +
          'bestand) of 422 (de regels) met code `import_invalid` en alle fouten, met rij en kolom, in ' +
          '`details.problems`. Met `dryRun=true` komt het verslag van wat er zou gebeuren, zonder iets op te slaan.',
        consumes: ['multipart/form-data'],
        querystring: incidentsImportQuery,
        body: uploadBody,
        response: { 200: incidentsImportReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const file = await receiveFile(request);
      const parsed = await readIncidentsFile(file.buffer, file.name);
      try {
        return await importIncidentFigures(contextOf(request), parsed, {
          dryRun: request.query.dryRun,
          signal: app.stopping,
        });
      } catch (err) {
        // Only the stop itself: a refused file stays a refused file while the server stops.
        if (!app.stopping.aborted || (err as Error).name !== 'AbortError') throw err;
        throw new AppError(
          'server_stopping',
          503,
          'de server stopt; de import is afgebroken en er is niets opgeslagen. Lees het bestand opnieuw in zodra de server weer draait',
        );
      }
    },
  );
};
