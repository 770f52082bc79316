import { z } from 'zod';
import { closedFigureSchema, restatementSchema } from './closing.contract.ts';
import { quarterSchema } from './common.contract.ts';

const average = z.object({
  n: z.number().int(),
  average: z.number().nullable(),
  staleCount: z.number().int().nullable().meta({
    description:
      'Hoeveel van de meegetelde versnellingen ouder zijn dan vier kwartalen; null als het gemiddelde is afgeschermd',
  }),
});
export type Average = z.infer<typeof average>;

/** An average of a quarter in a report, with the closed figure beside it when the quarter is closed. */
const reportAverage = average.extend({
  closed: closedFigureSchema.nullable().optional().meta({
    description: 'Het vastgestelde cijfer van dit kwartaal; null als het kwartaal niet is vastgesteld',
  }),
});

/** The change over the organisations that had a gear in both quarters (in the scope both times). */
const likeForLikeSchema = z
  .object({
    n: z.number().int(),
    from: z.number().nullable(),
    to: z.number().nullable(),
    changePercent: z.number().nullable(),
  })
  .meta({
    description:
      'Vergelijkbare verandering: alleen organisaties met een versnelling in beide kwartalen (en in deze sector in beide)',
  });
export type LikeForLikeFigure = z.infer<typeof likeForLikeSchema>;

const changeSplit = z.object({
  total: z.number(),
  continuing: z.number(),
  joiners: z.number(),
  leavers: z.number(),
});

/** The total change of the average split into improvement, joiners and leavers: they add up. */
const changePartsSchema = z
  .object({
    points: changeSplit.meta({
      description: 'In versnellingspunten: continuing + joiners + leavers = total',
    }),
    percent: changeSplit.meta({
      description: 'In procenten van het beginsgemiddelde; total = changePercent',
    }),
    n: z.object({ continuing: z.number().int(), joiners: z.number().int(), leavers: z.number().int() }),
  })
  .meta({
    description:
      'Ontleding van de verandering: verbetering bij organisaties in beide kwartalen, organisaties die erbij kwamen en die wegvielen',
  });

const periodAverage = z.object({
  from: reportAverage,
  to: reportAverage,
  changePercent: z.number().nullable(),
  likeForLike: likeForLikeSchema.optional(),
  changeParts: changePartsSchema.nullable().optional(),
});
export type PeriodAverage = z.infer<typeof periodAverage>;

export const summarySchema = z
  .object({
    from: quarterSchema,
    to: quarterSchema,
    organisationCount: z.number().int(),
    sectorCount: z.number().int(),
    overall: periodAverage,
    sectors: z.array(periodAverage.extend({ name: z.string() })),
    strongest: z.array(z.string()),
    restatements: z.array(restatementSchema).optional().meta({
      description: 'Herzieningen van de vastgestelde cijfers van de twee kwartalen, oudste eerst',
    }),
    modelVersions: z
      .array(
        z.object({
          id: z.string(),
          version: z.number().int(),
          name: z.string(),
          quickscans: z.number().int(),
        }),
      )
      .optional()
      .meta({
        description:
          'De schakelmodelversies van de quickscans achter de versnellingen van de twee kwartalen; meer dan één: het rapport mengt versies',
      }),
  })
  .meta({ id: 'ReportSummary' });
export type Summary = z.infer<typeof summarySchema>;

const cell = reportAverage.extend({ quarter: quarterSchema });
export type MatrixCell = z.infer<typeof cell>;

export const matrixSchema = z
  .object({
    from: quarterSchema,
    to: quarterSchema,
    quarters: z.array(quarterSchema),
    sectors: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        cells: z.array(cell),
        changePercent: z.number().nullable(),
      }),
    ),
    region: z.object({ cells: z.array(cell), changePercent: z.number().nullable() }),
    restatements: z.array(restatementSchema).optional().meta({
      description: 'Herzieningen van vastgestelde cijfers in de periode, oudste eerst',
    }),
  })
  .meta({ id: 'SectorMatrix' });
export type Matrix = z.infer<typeof matrixSchema>;

const distributionRow = z.object({
  quarter: quarterSchema,
  members: z.number().int(),
  withoutGear: z.number().int(),
  counts: z.array(z.object({ gear: z.number().int(), count: z.number().int() })),
});
export type DistributionRow = z.infer<typeof distributionRow>;

export const distributionSchema = z.object({
  from: quarterSchema,
  to: quarterSchema,
  quarters: z.array(distributionRow),
});
export type Distribution = z.infer<typeof distributionSchema>;

const worklistItem = z.object({
  id: z.number().int(),
  name: z.string(),
  sectorId: z.number().int(),
  sector: z.string(),
  gear: z.number().int().nullable().meta({ description: 'De versnelling die dit kwartaal in schuift' }),
  lastRecordedIn: quarterSchema.nullable(),
  ageQuarters: z.number().int().nullable().meta({ description: 'Hoeveel kwartalen oud die versnelling is' }),
});
export type WorklistItem = z.infer<typeof worklistItem>;

export const worklistSchema = z.object({ quarter: quarterSchema, items: z.array(worklistItem) });
export type Worklist = z.infer<typeof worklistSchema>;

const measureCounts = {
  met: z.number().int().meta({ description: 'Leden die aan alle criteria van de maatregel voldoen' }),
  unknown: z.number().int().meta({
    description: 'Leden zonder antwoorden (versnelling rechtstreeks vastgelegd, of nog geen versnelling)',
  }),
  total: z.number().int().meta({ description: 'Leden in het kwartaal' }),
  share: z.number().nullable().meta({ description: 'met / total, onafgerond; null zonder leden' }),
};
const measureChange = {
  from: z.object(measureCounts).optional().meta({ description: 'Met `from`: de cijfers van dat kwartaal' }),
  changePoints: z
    .number()
    .nullable()
    .optional()
    .meta({ description: 'Met `from`: verandering van het aandeel in procentpunten' }),
};

/** Per VPT measure the share of members meeting its criteria, region and sectors. */
export const measuresSchema = z
  .array(
    z.object({
      measure: z.string(),
      name: z.string(),
      ...measureCounts,
      ...measureChange,
      sectors: z.array(
        z.object({ sectorId: z.number().int(), name: z.string(), ...measureCounts, ...measureChange }),
      ),
    }),
  )
  .meta({ id: 'MeasureShares' });
export type MeasureSharesDto = z.infer<typeof measuresSchema>;

export const measuresQuery = z.object({
  quarter: quarterSchema,
  from: quarterSchema.optional().meta({ description: 'Vergelijk met dit (eerdere) kwartaal' }),
});
