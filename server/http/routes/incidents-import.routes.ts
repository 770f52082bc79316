import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/errors.contract.ts';
import { INCIDENT_FIELD_NAMES, INCIDENT_FIELDS } from '../../contracts/incident.contract.ts';
import {
  incidentsImportQuery,
  incidentsImportReportSchema,
} from '../../contracts/incidents-import.contract.ts';
import { INCIDENTS_FILE, readIncidentsFile } from '../../excel/incidents-reader.ts';
import { importIncidentFigures } from '../../services/incidents-import.service.ts';
import { contextOf } from '../context.ts';
import { abortedByStop, acceptUploads, receiveFile, uploadBody, uploadDescription } from '../upload.ts';

/** Imports incident figures and employees from a file (issue 12, item 1). An encapsulated plugin: its multipart parser stays its own. */
export const incidentsImportRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app, INCIDENTS_FILE);

  app.post(
    '/import/incidents',
    {
      config: { access: 'projectleider' },
      schema: {
        tags: ['import'],
        summary: 'Incidentcijfers en medewerkers inlezen (.xlsx of .csv): alles of niets',
        description:
          uploadDescription(INCIDENTS_FILE) +
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
        body: uploadBody('De incidentcijfers: .xlsx of .csv'),
        response: { 200: incidentsImportReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const file = await receiveFile(request, INCIDENTS_FILE);
      const parsed = await readIncidentsFile(file.buffer, file.name);
      return abortedByStop(app.stopping, INCIDENTS_FILE, () =>
        importIncidentFigures(contextOf(request), parsed, {
          dryRun: request.query.dryRun,
          signal: app.stopping,
        }),
      );
    },
  );
};
