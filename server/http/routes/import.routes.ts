import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/errors.contract.ts';
import { importQuery, importReportSchema } from '../../contracts/import.contract.ts';
import { PRESTATIELIJST_FILE, readPrestatielijst } from '../../excel/prestatielijst-reader.ts';
import { importPrestatielijst } from '../../services/import.service.ts';
import { contextOf } from '../context.ts';
import { abortedByStop, acceptUploads, receiveFile, uploadBody, uploadDescription } from '../upload.ts';

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Uploads are accepted by this route only: everywhere else multipart stays a 415.
  await acceptUploads(app, PRESTATIELIJST_FILE);

  app.post(
    '/import/prestatielijst',
    {
      config: { access: 'projectleider' },
      schema: {
        tags: ['import'],
        summary: 'Bestaande prestatielijst inlezen (.xlsx of .csv): alles of niets',
        description:
          uploadDescription(PRESTATIELIJST_FILE) +
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
        body: uploadBody('De lijst: .xlsx of .csv'),
        response: { 200: importReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const file = await receiveFile(request, PRESTATIELIJST_FILE);
      const parsed = await readPrestatielijst(file.buffer, file.name);
      return abortedByStop(app.stopping, PRESTATIELIJST_FILE, () =>
        importPrestatielijst(contextOf(request), parsed, {
          dryRun: request.query.dryRun,
          newSectors: request.query.newSector,
          reason: request.query.reason,
          signal: app.stopping,
        }),
      );
    },
  );
};
