import { z } from 'zod';
import { invalidQuarterMessage, isQuarter } from '../domain/quarter.ts';

export const quarterSchema = z
  .string()
  .refine(isQuarter, { error: (issue) => invalidQuarterMessage(String(issue.input)) })
  .meta({ description: 'Kwartaal als JJJJ-Qn, bijvoorbeeld 2016-Q4', example: '2016-Q4' });

/** An id as it appears in a path or query: digits only (no `0x1`, `1e3` or `1.0`), then a number. */
export const idSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'id moet een positief geheel getal zijn')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .max(2 ** 31),
  );

export const idParams = z.object({ id: idSchema });

export const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const versionField = z.number().int().positive().optional().meta({
  description:
    'De versie die u het laatst zag; bij een verouderde versie volgt 409 in plaats van overschrijven',
});

export const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const quarterQuery = z.object({ quarter: quarterSchema.optional() });
export type QuarterQuery = z.infer<typeof quarterQuery>;

export const periodQuery = z.object({ from: quarterSchema.optional(), to: quarterSchema.optional() });
export type PeriodQuery = z.infer<typeof periodQuery>;

export const requiredPeriodQuery = z.object({ from: quarterSchema, to: quarterSchema });
export type RequiredPeriodQuery = z.infer<typeof requiredPeriodQuery>;

/** Paging of a long list, newest first. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Why a closed quarter's figures are changed (a restatement) or the quarter is reopened. */
export const reasonField = z.string().trim().min(1, 'geef een reden').max(500).meta({
  description:
    'Reden voor een wijziging van een vastgesteld kwartaal (herziening); verplicht wanneer de wijziging vastgestelde cijfers verandert',
});
