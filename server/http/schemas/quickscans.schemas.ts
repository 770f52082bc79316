import { z } from 'zod';
import { idSchema, optionalText, quarterSchema, versionField } from './common.schemas.ts';

const answerValue = z.enum(['ja', 'deels', 'nee', 'nvt']);

export const answerSchema = z.object({ answer: answerValue, note: z.string().nullable() });

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

export const quickscanSchema = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int(),
    quarter: z.string(),
    source: z.enum(['quickscan', 'import', 'manual']),
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

const quickscanFields = {
  answers: answersInput,
  conductedOn: z.string().max(10).nullable().optional().meta({ description: 'Datum als JJJJ-MM-DD' }),
  conductedBy: optionalText(200),
  remark: optionalText(5000),
};

export const createQuickscanBody = z.object({ quarter: quarterSchema, ...quickscanFields }).strict();

export const putQuickscanBody = z.object({ ...quickscanFields, expectedVersion: versionField }).strict();

export const orgQuarterParams = z.object({ id: idSchema, quarter: quarterSchema });

export const gearBody = z
  .object({
    gear: z.number().meta({ description: 'Versnelling, heel getal van 1 tot 5' }),
    source: z.enum(['manual', 'import']).optional(),
    remark: optionalText(5000),
    expectedVersion: versionField,
  })
  .strict();

export const deleteQuery = z.object({ expectedVersion: z.coerce.number().int().positive().optional() });
