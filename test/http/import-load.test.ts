import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { readPrestatielijst } from '../../server/excel/prestatielijst-reader.ts';
import { importPrestatielijst } from '../../server/services/import.service.ts';
import { buildTestContext, rowCounts, type TestApp, testAppPerTest } from '../helpers.ts';
import { expectError } from './fixtures.ts';

const t = testAppPerTest();

const SECTORS = ['Zorg', 'Onderwijs', 'Gemeenten', 'Vervoer', 'Wonen'];

/** A prestatielijst as CSV: `organisations` rows, a gear in each of `quarters` quarters from Q1 2016. */
function bigList(organisations: number, quarters: number): Buffer {
  const columns = Array.from({ length: quarters }, (_, i) => `Q${(i % 4) + 1} ${2016 + Math.floor(i / 4)}`);
  const lines = [`Organisatie;Sector;Lid sinds;Lid tot;${columns.join(';')}`];
  for (let o = 0; o < organisations; o++) {
    const gears = columns.map((_, i) => String(1 + ((o + i) % 5)));
    lines.push(`Organisatie ${o};${SECTORS[o % SECTORS.length]};;;${gears.join(';')}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

function upload(app: TestApp['app'], content: Buffer): Promise<LightMyRequestResponse> {
  const boundary = '----vpt-import-load-grens';
  const head =
    `--${boundary}\r\n` +
    'Content-Disposition: form-data; name="file"; filename="lijst.csv"\r\n' +
    'Content-Type: text/csv\r\n\r\n';
  return app.inject({
    method: 'POST',
    url: '/api/import/prestatielijst',
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe('an import does not stop the app', () => {
  it('when a large list is being imported, then the health check and the pages answer meanwhile, and show the data as it was until the import is saved', async () => {
    // Arrange
    const list = bigList(600, 20);
    let finished = false;

    // Act: the import runs; meanwhile the health check and the organisation list are asked again and again.
    const importing = upload(t.app, list).finally(() => {
      finished = true;
    });
    const during: Array<{ writes: 'ok' | 'busy'; organisations: number }> = [];
    while (!finished) {
      // Requests arrive over time (over the network they come in between the import's pauses).
      await new Promise((resolve) => setTimeout(resolve, 5));
      const [health, organisations] = await Promise.all([
        t.app.inject({ method: 'GET', url: '/api/health' }),
        t.app.inject({ method: 'GET', url: '/api/organisations' }),
      ]);
      if (finished) break;
      expect(health.statusCode, health.body).toBe(200);
      expect(organisations.statusCode, organisations.body).toBe(200);
      during.push({ writes: health.json().writes, organisations: organisations.json().items.length });
    }
    const res = await importing;

    // Assert: answered while the import ran, without a half-written list; then the whole list.
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().gears).toEqual({ created: 12_000, changed: 0, unchanged: 0 });
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during.map((d) => d.organisations))).toEqual(new Set([0]));
    expect(during.map((d) => d.writes)).toContain('busy');
    const after = await t.app.inject({ method: 'GET', url: '/api/organisations?quarter=2020-Q4' });
    expect(after.json().items).toHaveLength(600);
  });

  it('when the server stops during an import, then the import ends with 503 server_stopping and nothing is saved', async () => {
    // Arrange
    const before = await rowCounts(t);

    // Act: the server is told to stop while the list is being imported.
    const importing = upload(t.app, bigList(3000, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = t.app.close();
    const res = await importing;
    await closing;

    // Assert
    expect(expectError(res, 503, 'server_stopping').error.message).toMatch(/er is niets opgeslagen/);
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('the import writes in bulk', () => {
  it('when a list is imported, then every gear has one entry with source import and one revision, as a write through the app would leave', async () => {
    // Act
    const res = await upload(t.app, bigList(40, 8));

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    const quickscans = await t.db.selectFrom('quickscans').selectAll().orderBy('id').execute();
    expect(quickscans).toHaveLength(320);
    expect(new Set(quickscans.map((q) => q.source))).toEqual(new Set(['import']));
    const revisions = await t.db
      .selectFrom('revisions')
      .selectAll()
      .where('entity', '=', 'quickscan')
      .orderBy('entity_id')
      .execute();
    expect(revisions.map((r) => r.entity_id)).toEqual(quickscans.map((q) => q.id));
    const first = revisions[0]!;
    expect(first.action).toBe('create');
    expect(first.before).toBeNull();
    expect(JSON.parse(first.after!)).toMatchObject({
      id: first.entity_id,
      source: 'import',
      answers: null,
      version: 1,
    });
  });

  it('when a list changes gears recorded before, then each changed one gets one update revision with the gear before and after', async () => {
    // Arrange
    expect((await upload(t.app, bigList(10, 4))).statusCode).toBe(200);
    const changed = Buffer.from(
      bigList(10, 4).toString().replace('Organisatie 3;Vervoer;;;4;5;1;2', 'Organisatie 3;Vervoer;;;4;5;2;2'),
    );

    // Act
    const res = await upload(t.app, changed);

    // Assert
    expect(res.json().gears).toEqual({ created: 0, changed: 1, unchanged: 39 });
    const updates = await t.db.selectFrom('revisions').selectAll().where('action', '=', 'update').execute();
    expect(updates).toHaveLength(1);
    expect(JSON.parse(updates[0]!.before!)).toMatchObject({ quarter: '2016-Q3', gear: 1, version: 1 });
    expect(JSON.parse(updates[0]!.after!)).toMatchObject({ quarter: '2016-Q3', gear: 2, version: 2 });
  });

  it('when the import is aborted halfway, then it stops at its next pause and the database is as it was', async () => {
    // Arrange
    const { ctx, close } = await buildTestContext();
    try {
      const parsed = await readPrestatielijst(bigList(2000, 20), 'lijst.csv');
      const before = await rowCounts({ db: ctx.db });
      const controller = new AbortController();
      // Abort after a few turns of the event loop: the import must be in the middle of its work.
      let turns = 0;
      const tick = () => (++turns < 5 ? setImmediate(tick) : controller.abort());
      setImmediate(tick);

      // Act
      const result = importPrestatielijst(ctx, parsed, { dryRun: false, signal: controller.signal });

      // Assert
      await expect(result).rejects.toThrow(/abort/i);
      expect(turns).toBe(5);
      expect(await rowCounts({ db: ctx.db })).toEqual(before);
    } finally {
      await close();
    }
  });
});
