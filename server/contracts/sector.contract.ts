import { z } from 'zod';
import { versionField } from './common.contract.ts';

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
export type Sector = z.infer<typeof sectorSchema>;

export const sectorBody = z.object({ name: z.string().max(200) }).strict();
export type SectorInput = z.infer<typeof sectorBody>;

export const renameSectorBody = z
  .object({ name: z.string().max(200), expectedVersion: versionField })
  .strict();
export type SectorPatch = z.infer<typeof renameSectorBody>;

/** The sectors a new region starts with. */
export const DEFAULT_SECTORS = [
  'Veiligheid/Justitie',
  'Zorg',
  'Onderwijs',
  'Openbaar Vervoer',
  'Openbaar Bestuur',
  'Sociale Zekerheid',
  'Woningbouwcorporaties',
  'Anders',
] as const;
