import { z } from 'zod';

export type {
  Criterion,
  Gear,
  GearDefinition,
  PlacedCriterion,
  Schakelmodel,
} from '../domain/model-types.ts';

/** The schakelmodel as the API gives it (the model file's format is validated in the domain). */
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

export const modelVersionSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  active: z.boolean(),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const modelParams = z.object({ id: z.string().max(64), version: z.coerce.number().int().positive() });
