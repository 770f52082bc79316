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
    // Defaults as in the model file: a model that does not say keeps version 1's rules.
    unansweredAboveFirstGap: z.boolean().default(false).meta({
      description:
        'Criteria van versnellingen boven de eerste versnelling met een niet-voldaan criterium mogen onbeantwoord blijven (tellen als niet voldaan)',
    }),
    gears: z.array(
      z.object({
        gear: z.number().int(),
        name: z.string(),
        description: z.string(),
        criteria: z.array(
          z.object({
            key: z.string(),
            text: z.string(),
            measure: z.string(),
            guidance: z.string(),
            notApplicable: z
              .boolean()
              .default(true)
              .meta({ description: 'Of bij dit criterium "nvt" (niet van toepassing) gekozen mag worden' }),
          }),
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
