import { z } from 'zod';
import { ANSWER_VALUES } from '../domain/gear-engine.ts';
import { idSchema, optionalText, quarterSchema, reasonField, versionField } from './common.contract.ts';

export type { AnswerValue } from '../domain/gear-engine.ts';
export { ANSWER_VALUES };

/** Where a gear came from: answered quickscan, or recorded directly by import or by hand. */
export const QUICKSCAN_SOURCES = ['quickscan', 'import', 'manual'] as const;
export type QuickscanSource = (typeof QUICKSCAN_SOURCES)[number];

/** The sources of a gear recorded without answers. */
export const DIRECT_SOURCES = ['manual', 'import'] as const;
export type DirectSource = (typeof DIRECT_SOURCES)[number];

export const answerSchema = z.object({ answer: z.enum(ANSWER_VALUES), note: z.string().nullable() });

// Answers are checked against the model by the gear engine, which lists every problem at once;
// here only the outer shape is fixed.
const answersInput = z
  .record(
    z.string().max(16),
    z.union([
      z.string().max(10),
      z.object({ answer: z.string().max(10), note: z.string().max(2000).nullable().optional() }).strict(),
    ]),
  )
  .meta({
    description:
      'Per criterium "ja", "deels", "nee" of "nvt", of { answer, note }. Bij "nvt" is een toelichting verplicht.',
    example: { '2a': 'ja', '2b': { answer: 'deels', note: 'huisregels in concept' } },
  });
export type AnswersInput = z.infer<typeof answersInput>;

export const quickscanSchema = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int(),
    quarter: quarterSchema,
    source: z.enum(QUICKSCAN_SOURCES),
    gear: z.number().int(),
    conductedOn: z.string().nullable(),
    conductedBy: z.string().nullable(),
    model: z.object({ id: z.string(), version: z.number().int() }).nullable(),
    answers: z.record(z.string(), answerSchema).nullable(),
    remark: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Quickscan' });
export type Quickscan = z.infer<typeof quickscanSchema>;

const quickscanFields = {
  answers: answersInput,
  conductedOn: z.string().max(10).nullable().optional().meta({ description: 'Datum als JJJJ-MM-DD' }),
  conductedBy: optionalText(200),
  remark: optionalText(5000),
  reason: reasonField.optional(),
};

export const createQuickscanBody = z.object({ quarter: quarterSchema, ...quickscanFields }).strict();
export type CreateQuickscanInput = z.infer<typeof createQuickscanBody>;

export const putQuickscanBody = z.object({ ...quickscanFields, expectedVersion: versionField }).strict();
export type QuickscanInput = z.infer<typeof putQuickscanBody>;

export const orgQuarterParams = z.object({ id: idSchema, quarter: quarterSchema });

export const gearBody = z
  .object({
    gear: z.number().meta({ description: 'Versnelling, heel getal van 1 tot 5' }),
    source: z.enum(DIRECT_SOURCES).optional(),
    remark: optionalText(5000),
    expectedVersion: versionField,
    reason: reasonField.optional(),
  })
  .strict();
export type GearInput = z.infer<typeof gearBody>;

export const deleteQuery = z.object({
  expectedVersion: z.coerce.number().int().positive().optional(),
  reason: reasonField.optional(),
});
