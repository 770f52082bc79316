import { z } from 'zod';
import { GEARS } from './model-types.ts';

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
  // Defaults keep version-1 files (and stored v1 definitions) meaning what they meant.
  notApplicable: z.boolean().default(true),
});

export const gearDefinitionSchema = z.object({
  gear: z.literal(GEARS),
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
    unansweredAboveFirstGap: z.boolean().default(false),
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

export type { Criterion, Gear, GearDefinition, PlacedCriterion, Schakelmodel } from './model-types.ts';
export { allCriteria, allowsNotApplicable, GEARS, gearDefinition, modelRef } from './model-types.ts';

// The validated format must produce exactly the shape the rest of the app works with.
type Parsed = z.infer<typeof schakelmodelSchema>;
const _sameShape: (m: Parsed) => import('./model-types.ts').Schakelmodel = (m) => m;
void _sameShape;
