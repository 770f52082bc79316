import { z } from 'zod';

export const modelSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    name: z.string(),
    gears: z.array(
      z.object({
        gear: z.number().int(),
        name: z.string(),
        description: z.string(),
        criteria: z.array(
          z.object({ key: z.string(), text: z.string(), measure: z.string(), guidance: z.string() }),
        ),
      }),
    ),
  })
  .meta({ id: 'Schakelmodel' });

export const modelParams = z.object({ id: z.string().max(64), version: z.coerce.number().int().positive() });
