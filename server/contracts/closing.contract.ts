import { z } from 'zod';
import { quarterSchema, reasonField } from './common.contract.ts';

/** A quarter whose figures are closed (vastgesteld), as `quarter list` and the API give it. */
export const closedQuarterSchema = z
  .object({
    quarter: quarterSchema,
    closedAt: z.string().meta({ description: 'Tijdstip van vaststellen (ISO 8601)' }),
    closedBy: z.string(),
    restatementCount: z.number().int().meta({ description: 'Hoeveel herzieningen er sindsdien zijn' }),
  })
  .meta({ id: 'ClosedQuarter' });
export type ClosedQuarter = z.infer<typeof closedQuarterSchema>;

/** One closing in the history, reopened ones included. */
export const closingEventSchema = z.object({
  quarter: quarterSchema,
  closedAt: z.string(),
  closedBy: z.string(),
  reopenedAt: z.string().nullable(),
  reopenedBy: z.string().nullable(),
  reopenReason: z.string().nullable(),
  restatementCount: z.number().int().meta({ description: 'Herzieningen tijdens deze vaststelling' }),
});
export type ClosingEvent = z.infer<typeof closingEventSchema>;

export const quartersOverviewSchema = z
  .object({
    closed: z.array(closedQuarterSchema),
    history: z.array(closingEventSchema),
    nextToClose: quarterSchema.nullable().meta({
      description:
        'Het kwartaal dat als volgende kan worden vastgesteld (op volgorde; kan na het huidige liggen als alles is vastgesteld); null zonder leden',
    }),
    current: quarterSchema,
  })
  .meta({ id: 'QuartersOverview' });
export type QuartersOverview = z.infer<typeof quartersOverviewSchema>;

export const closeBody = z
  .object({
    includeEarlier: z.boolean().optional().meta({
      description: 'Ook de open kwartalen ervóór vaststellen, op volgorde',
    }),
  })
  .strict();
export type CloseBody = z.infer<typeof closeBody>;

export const reopenBody = z.object({ reason: reasonField }).strict();
export type ReopenBody = z.infer<typeof reopenBody>;

export const quarterParams = z.object({ quarter: quarterSchema });

/** A closed figure beside the current one: what was vastgesteld, when and by whom. */
export const closedFigureSchema = z.object({
  average: z.number().nullable(),
  n: z.number().int(),
  closedAt: z.string(),
  closedBy: z.string(),
});
export type ClosedFigure = z.infer<typeof closedFigureSchema>;

/** A change of a closed quarter's figure: the closed and the restated average, why, who, when. */
export const restatementSchema = z.object({
  quarter: quarterSchema,
  scope: z.string().meta({ description: '"regio" of de naam van de sector' }),
  sectorId: z.number().int().nullable().meta({ description: 'null voor de regio' }),
  closed: z.number().nullable().meta({ description: 'Het vastgestelde gemiddelde' }),
  closedN: z.number().int(),
  restated: z.number().nullable().meta({ description: 'Het gemiddelde na deze herziening' }),
  restatedN: z.number().int(),
  reason: z.string(),
  at: z.string(),
  by: z.string(),
});
export type Restatement = z.infer<typeof restatementSchema>;
