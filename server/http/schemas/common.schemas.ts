import { z } from 'zod';

// Validation messages of zod in Dutch, for the people who read them (API and CLI alike).
z.config(z.locales.nl());

import { invalidQuarterMessage, isQuarter } from '../../domain/quarter.ts';

export const quarterSchema = z
  .string()
  .refine((v) => isQuarter(v), { error: (issue) => invalidQuarterMessage(String(issue.input)) })
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

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Error replies a read may give, for the OpenAPI document. */
export const readErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
} as const;

/** Error replies a write may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
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
