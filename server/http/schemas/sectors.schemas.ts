import { z } from 'zod';

export const sectorSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    organisationCount: z
      .number()
      .int()
      .meta({ description: 'Aantal actieve (niet gearchiveerde) organisaties' }),
    deletable: z
      .boolean()
      .meta({ description: 'Onwaar zolang de sector organisaties heeft, ook gearchiveerde' }),
    version: z.number().int(),
  })
  .meta({ id: 'Sector' });

export const sectorBody = z.object({ name: z.string().max(200) }).strict();

export const renameSectorBody = z
  .object({
    name: z.string().max(200),
    expectedVersion: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'De versie die u het laatst zag; bij een verouderde versie volgt 409' }),
  })
  .strict();
