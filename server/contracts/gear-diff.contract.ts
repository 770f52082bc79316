import { z } from 'zod';
import { quarterSchema } from './common.contract.ts';
import { ANSWER_VALUES, QUICKSCAN_SOURCES } from './quickscan.contract.ts';

/** Where a gear in a diff came from: a quickscan with answers, or recorded directly (import, by hand). */
export const GEAR_DIFF_SOURCES = ['quickscan', 'recorded'] as const;
export type GearDiffSource = (typeof GEAR_DIFF_SOURCES)[number];

const answerOrNone = z.enum(ANSWER_VALUES).nullable().meta({
  description: 'ja, deels, nee of nvt; null: niet beantwoord, of er zijn geen antwoorden',
});

export const criterionChangeSchema = z
  .object({
    criterion: z.string().meta({ description: 'De sleutel van het criterium, bijvoorbeeld "3b"' }),
    from: answerOrNone,
    to: answerOrNone,
    fromMet: z.boolean().meta({ description: 'Voldaan (ja of nvt) in het eerste kwartaal' }),
    toMet: z.boolean().meta({ description: 'Voldaan (ja of nvt) in het tweede kwartaal' }),
    text: z
      .string()
      .nullable()
      .meta({ description: 'De tekst van het criterium; null als geen model het kent' }),
    gear: z.number().int().nullable().meta({ description: 'De versnelling waar het criterium bij hoort' }),
  })
  .meta({ id: 'CriterionChange' });
export type CriterionChange = z.infer<typeof criterionChangeSchema>;

const modelRef = z.object({ id: z.string(), version: z.number().int() });

/**
 * Why did the gear move: the quickscans behind an organisation's gears in two quarters and the
 * criteria whose answer differs between them (`org diff --json`).
 */
export const gearDiffSchema = z
  .object({
    organisationId: z.number().int(),
    name: z.string(),
    from: quarterSchema,
    to: quarterSchema,
    fromGear: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'De versnelling in `from`, ook doorgeschoven' }),
    toGear: z.number().int().nullable().meta({ description: 'De versnelling in `to`, ook doorgeschoven' }),
    fromSource: z.enum(GEAR_DIFF_SOURCES).nullable().meta({
      description:
        'quickscan (met antwoorden) of recorded (rechtstreeks vastgelegd); null zonder versnelling',
    }),
    toSource: z.enum(GEAR_DIFF_SOURCES).nullable(),
    fromOrigin: z.enum(QUICKSCAN_SOURCES).nullable().meta({
      description: 'De bron zoals opgeslagen: quickscan, import of manual; null zonder versnelling',
    }),
    toOrigin: z.enum(QUICKSCAN_SOURCES).nullable(),
    fromRecordedIn: quarterSchema.nullable().meta({
      description:
        'Het kwartaal waarin de versnelling van `from` is vastgelegd (ouder als ze is doorgeschoven)',
    }),
    toRecordedIn: quarterSchema.nullable(),
    fromModel: modelRef
      .nullable()
      .meta({ description: 'Het model van de quickscan; null zonder antwoorden' }),
    toModel: modelRef.nullable(),
    comparable: z.boolean().meta({
      description: 'True als beide versnellingen uit een quickscan met antwoorden komen',
    }),
    changes: z.array(criterionChangeSchema).meta({
      description: 'De criteria met een ander antwoord, in de volgorde van het model',
    }),
    explanation: z.string().meta({ description: 'Wat er veranderde, of waarom er geen antwoorden zijn' }),
  })
  .meta({ id: 'GearDiff' });
export type GearDiff = z.infer<typeof gearDiffSchema>;
