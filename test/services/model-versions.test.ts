// A report whose gears come from quickscans of different model versions says so (issue 10, item 6).
import { describe, expect, it } from 'vitest';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import { loadModelRegistry } from '../../server/services/model-registry.ts';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { recordGear, recordQuickscan } from '../../server/services/quickscans.service.ts';
import { reportSummary } from '../../server/services/reports.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { buildTestContext } from '../helpers.ts';
import { answersForGear } from '../support.ts';

describe('the model versions behind a report', () => {
  it('when one gear comes from a version-1 quickscan and two from version 2, then the summary lists both versions with their counts', async () => {
    // Arrange: the same database, first run with version 1 active, then with version 2
    const { ctx: first, close } = await buildTestContext();
    try {
      const v1 = { ...first, models: await loadModelRegistry(first.db, SCHAKELMODEL_V1, first.now()) };
      const ctx = { ...first, models: await loadModelRegistry(first.db, SCHAKELMODEL_V2, first.now()) };
      const zorg = (await listSectors(ctx)).find((s) => s.name === 'Zorg')!.id;
      const org = async (name: string) =>
        (await createOrganisation(ctx, { name, sectorId: zorg, memberFrom: '2016-Q1' })).id;
      const [a, b, c, d] = [await org('A'), await org('B'), await org('C'), await org('D')];
      await recordQuickscan(v1, a, '2016-Q1', { answers: answersForGear(3) }, 'record');
      await recordQuickscan(ctx, b, '2016-Q1', { answers: answersForGear(2) }, 'record');
      await recordQuickscan(ctx, c, '2016-Q2', { answers: answersForGear(4) }, 'record');
      await recordGear(ctx, d, '2016-Q2', { gear: 2 }, 'record');

      // Act
      const both = await reportSummary(ctx, '2016-Q1', '2016-Q2');
      const onlyV2 = await reportSummary(ctx, '2016-Q2', '2016-Q2');
      const before = await reportSummary(ctx, '2015-Q4', '2015-Q4');

      // Assert: A (v1) and B (v2) in Q1; in Q2 A and B carried, C (v2) new, D recorded directly
      expect(both.modelVersions).toEqual([
        { id: 'vpt-schakelmodel', version: 1, name: SCHAKELMODEL_V1.name, quickscans: 2 },
        { id: 'vpt-schakelmodel', version: 2, name: SCHAKELMODEL_V2.name, quickscans: 3 },
      ]);
      expect(onlyV2.modelVersions?.map((m) => m.version)).toEqual([1, 2]);
      expect(before.modelVersions).toEqual([]);
    } finally {
      await close();
    }
  });
});
