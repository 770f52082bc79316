import { z } from 'zod';
import { invalidQuarterMessage, isQuarter } from '../../domain/quarter.ts';

export const quarterSchema = z
  .string()
  .refine((v) => isQuarter(v), { error: (issue) => invalidQuarterMessage(String(issue.input)) })
  .meta({ description: 'Kwartaal als JJJJ-Qn, bijvoorbeeld 2016-Q4', example: '2016-Q4' });

export const idSchema = z.coerce
  .number({ error: 'id moet een positief geheel getal zijn' })
  .int()
  .positive()
  .max(2 ** 31);

export const idParams = z.object({ id: idSchema });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Error replies every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
  413: errorSchema,
  415: errorSchema,
  422: errorSchema,
} as const;

export const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const versionField = z.number().int().positive().optional().meta({
  description:
    'De versie die u het laatst zag; bij een verouderde versie volgt 409 in plaats van overschrijven',
});

export const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');
