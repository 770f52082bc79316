import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Quarter } from '../../server/domain/quarter.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import {
  archiveOrganisation,
  createOrganisation,
  joinNetwork,
  leaveNetwork,
  moveOrganisation,
} from '../../server/services/organisations.service.ts';
import { prepareExport } from '../../server/services/prestatielijst.service.ts';
import { recordGear, recordQuickscan } from '../../server/services/quickscans.service.ts';
import { createSector, listSectors } from '../../server/services/sectors.service.ts';
import { answersForGear } from '../support.ts';

/**
 * Hand-made datasets for the prestatielijst export, built through the real services. A plan says
 * per organisation its sector, membership and the gears recorded in which quarters; every other
 * quarter of its membership carries the latest gear forward.
 */
export interface OrgPlan {
  name: string;
  sector: string;
  memberFrom: Quarter;
  /** Archives the organisation with this as its last quarter of membership. */
  memberUntil?: Quarter;
  /** Recorded gears per quarter. */
  gears: Partial<Record<Quarter, number>>;
  /** Record the gears as quickscans with answers instead of directly. */
  withAnswers?: boolean;
  /** Leaving, rejoining and moving to another sector, in this order, before the gears are recorded. */
  timeline?: TimelineEvent[];
}

export type TimelineEvent = { leave: Quarter } | { join: Quarter } | { move: string; from: Quarter };

export async function buildDataset(
  ctx: ServiceContext,
  plans: readonly OrgPlan[],
): Promise<Map<string, number>> {
  const sectors = await listSectors(ctx);
  // A sector the region does not have yet is made (the default sectors exist from the start).
  const wanted = plans.flatMap((p) => [
    p.sector,
    ...(p.timeline ?? []).flatMap((e) => ('move' in e ? [e.move] : [])),
  ]);
  for (const name of new Set(wanted)) {
    if (!sectors.some((x) => x.name === name)) sectors.push(await createSector(ctx, name));
  }
  const sectorIdOf = (name: string) => {
    const s = sectors.find((x) => x.name === name);
    if (!s) throw new Error(`no sector '${name}'`);
    return s.id;
  };
  const ids = new Map<string, number>();
  for (const plan of plans) {
    const org = await createOrganisation(ctx, {
      name: plan.name,
      sectorId: sectorIdOf(plan.sector),
      memberFrom: plan.memberFrom,
    });
    ids.set(plan.name, org.id);
    for (const event of plan.timeline ?? []) {
      if ('leave' in event) await leaveNetwork(ctx, org.id, { until: event.leave });
      else if ('join' in event) await joinNetwork(ctx, org.id, { from: event.join });
      else await moveOrganisation(ctx, org.id, { sectorId: sectorIdOf(event.move), from: event.from });
    }
    for (const [quarter, gear] of Object.entries(plan.gears) as Array<[Quarter, number]>) {
      if (plan.withAnswers) {
        await recordQuickscan(ctx, org.id, quarter, { answers: answersForGear(gear) }, 'record');
      } else {
        await recordGear(ctx, org.id, quarter, { gear, source: 'import' }, 'record');
      }
    }
    if (plan.memberUntil) await archiveOrganisation(ctx, org.id, { memberUntil: plan.memberUntil });
  }
  return ids;
}

/**
 * Dataset A, 2015-Q4..2016-Q4 over four sectors. Inserted out of alphabetical order on purpose.
 *
 * | sector           | organisation          | lid        | Q4 15 | Q1 16 | Q2 16 | Q3 16 | Q4 16 |
 * |------------------|-----------------------|------------|-------|-------|-------|-------|-------|
 * | Zorg             | Ziekenhuis Noord      | Q4 15 –    | 2     | (2)   | 4     | (4)   | (4)   |
 * | Zorg             | GGZ Midden            | Q3 15 –    | (4)*  | (4)   | (4)   | (4)   | 5     |
 * | Zorg             | Thuiszorg West        | Q2 16 –    |       |       | 2     | 3     | (3)   |
 * | Onderwijs        | Hogeschool Delta      | Q4 15–Q2 16| 2     | (2)   | 3     |       |       |
 * | Onderwijs        | Basisschool De Linde  | Q4 15 –    | 2     | (2)   | (2)   | 3     | (3)   |
 * | Onderwijs        | Albeda College        | Q4 15 –    | 2     | (2)   | (2)   | (2)   | 4     |
 * | Openbaar Vervoer | Tramlijn Centrum      | Q4 15 –    | 3     | (3)   | (3)   | 4     | (4)   |
 * | Openbaar Vervoer | Busbedrijf Oost       | Q4 15 –    | 4     | (4)   | (4)   | (4)   | 4     |
 * | Openbaar Bestuur | Gemeente Zuidstad     | Q4 15 –    | 3     | (3)   | (3)   | (3)   | 4     |
 * | Openbaar Bestuur | Gemeente Aastad       | Q4 15 –    |       | 2     | (2)   | (2)   | 3     |
 *
 * (x) = carried forward; * = carried from Q3 2015, before the period.
 */
export const DATASET_A: OrgPlan[] = [
  {
    name: 'Ziekenhuis Noord',
    sector: 'Zorg',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 2, '2016-Q2': 4 },
    withAnswers: true,
  },
  { name: 'GGZ Midden', sector: 'Zorg', memberFrom: '2015-Q3', gears: { '2015-Q3': 4, '2016-Q4': 5 } },
  { name: 'Thuiszorg West', sector: 'Zorg', memberFrom: '2016-Q2', gears: { '2016-Q2': 2, '2016-Q3': 3 } },
  {
    name: 'Hogeschool Delta',
    sector: 'Onderwijs',
    memberFrom: '2015-Q4',
    memberUntil: '2016-Q2',
    gears: { '2015-Q4': 2, '2016-Q2': 3 },
  },
  {
    name: 'Basisschool De Linde',
    sector: 'Onderwijs',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 2, '2016-Q3': 3 },
    withAnswers: true,
  },
  {
    name: 'Albeda College',
    sector: 'Onderwijs',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 2, '2016-Q4': 4 },
  },
  {
    name: 'Tramlijn Centrum',
    sector: 'Openbaar Vervoer',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 3, '2016-Q3': 4 },
  },
  {
    name: 'Busbedrijf Oost',
    sector: 'Openbaar Vervoer',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 4, '2016-Q4': 4 },
  },
  {
    name: 'Gemeente Zuidstad',
    sector: 'Openbaar Bestuur',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 3, '2016-Q4': 4 },
  },
  {
    name: 'Gemeente Aastad',
    sector: 'Openbaar Bestuur',
    memberFrom: '2015-Q4',
    gears: { '2016-Q1': 2, '2016-Q4': 3 },
  },
];

/**
 * Dataset B, in the style of the final report in DOMAIN.md: all eight default sectors, gears in
 * Q4 2015 and Q4 2016 only, newcomers joining in Q3 2016 (so the two averages are over different
 * numbers of organisations), Openbaar Vervoer and Anders without progress and a tie for strongest
 * between Openbaar Vervoer and Zorg.
 */
export const DATASET_B: OrgPlan[] = (() => {
  const plans: OrgPlan[] = [];
  const add = (sector: string, start: Array<[number, number]>, newcomers: number[] = []) => {
    start.forEach(([a, b], i) => {
      plans.push({
        name: `${sector} lid ${i + 1}`,
        sector,
        memberFrom: '2015-Q4',
        gears: { '2015-Q4': a, '2016-Q4': b },
      });
    });
    newcomers.forEach((g, i) => {
      plans.push({
        name: `${sector} nieuw ${i + 1}`,
        sector,
        memberFrom: '2016-Q3',
        gears: { '2016-Q4': g },
      });
    });
  };
  add('Veiligheid/Justitie', [
    [4, 5],
    [3, 3],
    [3, 4],
  ]);
  add(
    'Zorg',
    [
      [4, 5],
      [4, 4],
      [3, 4],
    ],
    [5],
  );
  add(
    'Onderwijs',
    [
      [2, 3],
      [2, 4],
    ],
    [3],
  );
  add('Openbaar Vervoer', [
    [4, 4],
    [5, 5],
  ]);
  add(
    'Openbaar Bestuur',
    [
      [3, 4],
      [2, 3],
      [3, 3],
    ],
    [4],
  );
  add('Sociale Zekerheid', [
    [3, 4],
    [2, 3],
    [2, 3],
  ]);
  add('Woningbouwcorporaties', [
    [2, 3],
    [2, 3],
  ]);
  add('Anders', [[3, 3]]);
  return plans;
})();

/**
 * Dataset M, a region through time, for the period 2015-Q4..2017-Q4: organisations that moved
 * sector (once, and there and back), left, rejoined (in the same sector, and in another one they
 * moved to while gone), had a period before the list, and a new sector.
 *
 * | organisation           | periods               | sectors                                  | gears                    |
 * |------------------------|-----------------------|------------------------------------------|--------------------------|
 * | Ziekenhuis Rivierland  | Q3 15 –               | Zorg, Sociale Zekerheid from Q3 16       | Q3 15: 2, Q2 16: 3, Q1 17: 4 |
 * | Thuiszorg Zuid         | Q4 15 – Q2 16         | Zorg                                     | Q4 15: 1, Q2 16: 2       |
 * | Gemeente Oost          | Q4 15 – Q1 16, Q4 16 –| Openbaar Bestuur                         | Q4 15: 2, Q1 17: 3       |
 * | Woonstichting Delta    | Q4 15 – Q1 16, Q1 17 –| Woningbouwcorporaties, Anders from Q3 16 | Q4 15: 3, Q2 17: 4       |
 * | GGZ Midden             | Q1 15 –               | Zorg, SZ from Q2 16, Zorg from Q1 17     | Q1 15: 4, Q4 16: 5       |
 * | Netbeheerder West      | Q2 16 –               | Energie (a new sector)                   | Q3 16: 3                 |
 * | Stichting Oud          | Q1 14 – Q4 14, Q1 16 –| Anders                                   | Q1 14: 2, Q2 16: 3       |
 * | Gemeente Zuidstad      | Q4 15 –               | Openbaar Bestuur                         | Q4 15: 3, Q4 17: 4       |
 */
export const DATASET_M: OrgPlan[] = [
  {
    name: 'Ziekenhuis Rivierland',
    sector: 'Zorg',
    memberFrom: '2015-Q3',
    timeline: [{ move: 'Sociale Zekerheid', from: '2016-Q3' }],
    gears: { '2015-Q3': 2, '2016-Q2': 3, '2017-Q1': 4 },
    withAnswers: true,
  },
  {
    name: 'Thuiszorg Zuid',
    sector: 'Zorg',
    memberFrom: '2015-Q4',
    timeline: [{ leave: '2016-Q2' }],
    gears: { '2015-Q4': 1, '2016-Q2': 2 },
  },
  {
    name: 'Gemeente Oost',
    sector: 'Openbaar Bestuur',
    memberFrom: '2015-Q4',
    timeline: [{ leave: '2016-Q1' }, { join: '2016-Q4' }],
    gears: { '2015-Q4': 2, '2017-Q1': 3 },
  },
  {
    name: 'Woonstichting Delta',
    sector: 'Woningbouwcorporaties',
    memberFrom: '2015-Q4',
    timeline: [{ leave: '2016-Q1' }, { move: 'Anders', from: '2016-Q3' }, { join: '2017-Q1' }],
    gears: { '2015-Q4': 3, '2017-Q2': 4 },
  },
  {
    name: 'GGZ Midden',
    sector: 'Zorg',
    memberFrom: '2015-Q1',
    timeline: [
      { move: 'Sociale Zekerheid', from: '2016-Q2' },
      { move: 'Zorg', from: '2017-Q1' },
    ],
    gears: { '2015-Q1': 4, '2016-Q4': 5 },
  },
  { name: 'Netbeheerder West', sector: 'Energie', memberFrom: '2016-Q2', gears: { '2016-Q3': 3 } },
  {
    name: 'Stichting Oud',
    sector: 'Anders',
    memberFrom: '2014-Q1',
    timeline: [{ leave: '2014-Q4' }, { join: '2016-Q1' }],
    gears: { '2014-Q1': 2, '2016-Q2': 3 },
  },
  {
    name: 'Gemeente Zuidstad',
    sector: 'Openbaar Bestuur',
    memberFrom: '2015-Q4',
    gears: { '2015-Q4': 3, '2017-Q4': 4 },
  },
];

/** The period dataset M is exported for. */
export const PERIOD_M = { from: '2015-Q4', to: '2017-Q4' } as const;

/** The worksheets of an exported prestatielijst, in order. */
export const SHEETS = [
  'Prestatielijst',
  'Analyse',
  'Sectoren',
  'Incidenten',
  'Maatregelen',
  'Activiteiten',
  'Schakelmodel',
];

/** Exports through the service into memory and returns the bytes. */
export async function exportToBuffer(ctx: ServiceContext, regionName: string, from: Quarter, to: Quarter) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = await prepareExport(ctx, regionName, from, to);
  await workbook.write(out);
  await ended;
  return {
    buffer: Buffer.concat(chunks),
    result: { organisations: workbook.organisations, quarters: workbook.quarters },
  };
}

export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}
