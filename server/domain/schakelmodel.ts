import { z } from 'zod';

/** The five gears of the schakelmodel; a model always has exactly these. */
export const GEARS = [1, 2, 3, 4, 5] as const;
export type Gear = (typeof GEARS)[number];

export const criterionSchema = z.object({
  key: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$/,
      'sleutel: letters, cijfers, punt, streep of liggend streepje (max. 16)',
    ),
  text: z.string().trim().min(1).max(500),
  measure: z.string().trim().min(1).max(100),
  guidance: z.string().trim().min(1).max(2000),
});

export const gearDefinitionSchema = z.object({
  gear: z.number().int().min(1).max(5),
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).default(''),
  criteria: z.array(criterionSchema),
});

/** The format of a model file (`SCHAKELMODEL_PATH`): validated before the app starts. */
export const schakelmodelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'id: kleine letters, cijfers en streepjes'),
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(200),
    gears: z.array(gearDefinitionSchema).length(5, 'een schakelmodel heeft precies 5 versnellingen'),
  })
  .superRefine((model, ctx) => {
    model.gears.forEach((g, i) => {
      if (g.gear !== i + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['gears', i, 'gear'],
          message: `versnelling op plaats ${i + 1} moet nummer ${i + 1} hebben`,
        });
      }
      if (g.gear === 1 && g.criteria.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['gears', i, 'criteria'],
          message: 'versnelling 1 is de startpositie en heeft geen criteria',
        });
      }
      if (g.gear > 1 && g.criteria.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['gears', i, 'criteria'],
          message: `versnelling ${g.gear} heeft minstens één criterium nodig`,
        });
      }
    });
    const seen = new Set<string>();
    model.gears.forEach((g, gi) => {
      g.criteria.forEach((c, ci) => {
        if (seen.has(c.key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['gears', gi, 'criteria', ci, 'key'],
            message: `criterium '${c.key}' komt dubbel voor`,
          });
        }
        seen.add(c.key);
      });
    });
  });

export type Criterion = z.infer<typeof criterionSchema>;
export type GearDefinition = z.infer<typeof gearDefinitionSchema>;
export type Schakelmodel = z.infer<typeof schakelmodelSchema>;

/** A criterion together with the gear it belongs to. */
export interface PlacedCriterion extends Criterion {
  gear: Gear;
}

/** Every criterion of the model in order, each with its gear. */
export function allCriteria(model: Schakelmodel): PlacedCriterion[] {
  return model.gears.flatMap((g) => g.criteria.map((c) => ({ ...c, gear: g.gear as Gear })));
}

export function gearDefinition(model: Schakelmodel, gear: number): GearDefinition | undefined {
  return model.gears.find((g) => g.gear === gear);
}

/** Identifies a model version, as stored with every quickscan. */
export function modelRef(model: Schakelmodel): { id: string; version: number } {
  return { id: model.id, version: model.version };
}
