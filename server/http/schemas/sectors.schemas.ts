import { z } from 'zod';

export const sectorSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    organisationCount: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'Sector' });

export const sectorBody = z.object({ name: z.string().max(200) }).strict();
