import { z } from 'zod';
import { quarterSchema } from './common.schemas.ts';

export const requiredPeriodQuery = z.object({ from: quarterSchema, to: quarterSchema });

const average = z.object({ n: z.number().int(), average: z.number().nullable() });

export const summarySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    organisationCount: z.number().int(),
    sectorCount: z.number().int(),
    overall: z.object({ from: average, to: average, changePercent: z.number().nullable() }),
    sectors: z.array(
      z.object({ name: z.string(), from: average, to: average, changePercent: z.number().nullable() }),
    ),
    strongest: z.array(z.string()),
  })
  .meta({ id: 'ReportSummary' });

const cell = z.object({ quarter: z.string(), n: z.number().int(), average: z.number().nullable() });

export const matrixSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    quarters: z.array(z.string()),
    sectors: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        cells: z.array(cell),
        changePercent: z.number().nullable(),
      }),
    ),
    region: z.object({ cells: z.array(cell), changePercent: z.number().nullable() }),
  })
  .meta({ id: 'SectorMatrix' });

export const distributionSchema = z.object({
  from: z.string(),
  to: z.string(),
  quarters: z.array(
    z.object({
      quarter: z.string(),
      members: z.number().int(),
      withoutGear: z.number().int(),
      counts: z.array(z.object({ gear: z.number().int(), count: z.number().int() })),
    }),
  ),
});

export const worklistQuery = z.object({ quarter: quarterSchema.optional() });

export const worklistSchema = z.object({
  quarter: z.string(),
  items: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      sectorId: z.number().int(),
      sector: z.string(),
      gear: z.number().int().nullable(),
      lastRecordedIn: z.string().nullable(),
    }),
  ),
});
