import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ConfigError, loadConfig, loadModelFile } from '../../server/config.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import { insertTestUser, signInjects, startTestSession, TEST_NOW, tempDir } from '../helpers.ts';
import { ALL_KEYS, expectAppError } from '../support.ts';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-model-'));
});
afterEach(() => remove());

/** A v1 model file, to pin a start to version 1 now that version 2 is built in. */
function writeV1(path: string): string {
  writeFileSync(path, JSON.stringify(SCHAKELMODEL_V1));
  return path;
}

/** A region's model version 3: the built-in v2 with one more criterion on gear 3. */
function regionModelV3(): unknown {
  const copy = structuredClone(SCHAKELMODEL_V2) as { version: number; gears: Array<{ criteria: unknown[] }> };
  copy.version = 3;
  copy.gears[2]!.criteria.push({
    key: '3f',
    text: 'Er is een vast aanspreekpunt voor bezoekers met klachten.',
    measure: 'preventie/gastvrijheid',
    guidance: 'Wijs een aanspreekpunt aan en maak het bekend bij de ingang.',
  });
  return copy;
}

/** The stored v1 definition as releases before version 2 wrote it: without the new fields. */
function legacyV1Definition(): string {
  const { unansweredAboveFirstGap: _rule, ...rest } = structuredClone(SCHAKELMODEL_V1);
  return JSON.stringify({
    ...rest,
    gears: rest.gears.map((g) => ({ ...g, criteria: g.criteria.map(({ notApplicable: _nvt, ...c }) => c) })),
  });
}

async function start(databasePath: string, modelFile?: string) {
  const env: NodeJS.ProcessEnv = { DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' };
  if (modelFile) env.SCHAKELMODEL_PATH = modelFile;
  const app = await buildApp(loadConfig(env), { now: () => TEST_NOW });
  await app.ready();
  // Sign in as a projectleider (the account is made once, on the first start).
  const existing = await app.db.selectFrom('users').select('id').executeTakeFirst();
  const userId = existing?.id ?? (await insertTestUser(app.db, 'pl@test.example.org', 'projectleider'));
  signInjects(app, await startTestSession(app, userId));
  return app;
}

describe('a region model from SCHAKELMODEL_PATH', () => {
  it('when the file is not JSON or not a valid model, then the config says what is wrong', () => {
    const notJson = join(dir, 'a.json');
    writeFileSync(notJson, '{ nope');
    const fourGears = join(dir, 'b.json');
    writeFileSync(
      fourGears,
      JSON.stringify({ ...SCHAKELMODEL_V1, gears: SCHAKELMODEL_V1.gears.slice(0, 4) }),
    );

    expect(() => loadModelFile(notJson)).toThrow(ConfigError);
    expect(() => loadModelFile(notJson)).toThrow(/kan .* niet lezen als JSON/);
    expect(() => loadModelFile(fourGears)).toThrow(/precies 5 versnellingen/);
    expect(() => loadModelFile(join(dir, 'missing.json'))).toThrow(ConfigError);
  });

  it('when a bad environment variable is given, then loadConfig names it', () => {
    expect(() => loadConfig({ PORT: '99999' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('when no model file is given, then the built-in version 2 is active, and SCHAKELMODEL_PATH still chooses another', () => {
    const config = loadConfig({});
    expect(config.model).toBe(SCHAKELMODEL_V2);
    expect(config.modelSource).toBe('ingebouwd (versie 2)');

    const v1 = loadConfig({ SCHAKELMODEL_PATH: writeV1(join(dir, 'v1.json')) });
    expect(v1.model).toEqual(SCHAKELMODEL_V1);
    expect(v1.modelSource).toBe(join(dir, 'v1.json'));
  });

  it('when the model changes to a new version, then old quickscans keep their meaning and new ones use the new model', async () => {
    const db = join(dir, 'vpt.sqlite');
    const v1File = writeV1(join(dir, 'v1.json'));
    const v3 = join(dir, 'v3.json');
    writeFileSync(v3, JSON.stringify(regionModelV3()));

    // Under v1: a quickscan with everything of gears 2 and 3 in place gives gear 3, and
    // "nvt" is allowed everywhere.
    let app = await start(db, v1File);
    const org = (
      await app.inject({
        method: 'POST',
        url: '/api/organisations',
        payload: { name: 'Gemeente Dijkwaard', sectorId: 5, memberFrom: '2016-Q1' },
      })
    ).json();
    const answers = Object.fromEntries(ALL_KEYS.map((k) => [k, k < '4' ? 'ja' : 'nee']));
    const first = await app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/quickscans`,
      payload: {
        quarter: '2016-Q1',
        answers: { ...answers, '2a': { answer: 'nvt', note: 'nog niet nodig' } },
      },
    });
    expect(first.json()).toMatchObject({ gear: 3, model: { id: 'vpt-schakelmodel', version: 1 } });
    await app.close();

    // Under the built-in v2: the old quickscan still reads as gear 3 against v1; a new one may
    // not say "nvt" at 2a, and may leave gear 5 open above the first gap (gear 4).
    app = await start(db);
    try {
      const old = (await app.inject({ url: `/api/organisations/${org.id}/status?quarter=2016-Q1` })).json();
      expect(old).toMatchObject({
        gear: 3,
        model: { version: 1 },
        nextSteps: [{ key: '4a' }, {}, {}, {}, {}],
      });

      const nvt = await app.inject({
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: {
          quarter: '2016-Q2',
          answers: { ...answers, '2a': { answer: 'nvt', note: 'nog niet nodig' } },
        },
      });
      expect(nvt.statusCode).toBe(400);
      expect(nvt.json().error.details.problems).toEqual([
        expect.objectContaining({ code: 'answer_invalid', criterion: '2a' }),
      ]);

      const { '5a': _a, '5b': _b, '5c': _c, ...withoutGear5 } = answers;
      const second = await app.inject({
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2016-Q2', answers: withoutGear5 },
      });
      expect(second.json()).toMatchObject({ gear: 3, model: { version: 2 } });
      expect(Object.keys(second.json().answers)).toEqual(ALL_KEYS.filter((k) => k[0] !== '5'));
    } finally {
      await app.close();
    }

    // Under a region's v3 with one more criterion: a new quickscan needs 3f.
    app = await start(db, v3);
    try {
      const missing = await app.inject({
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2016-Q3', answers },
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toContain("criterium '3f' is niet beantwoord");

      const withNew = await app.inject({
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2016-Q3', answers: { ...answers, '3f': 'nee' } },
      });
      expect(withNew.json()).toMatchObject({ gear: 2, model: { version: 3 } });

      const models = (await app.inject({ url: '/api/models' })).json();
      expect(models).toEqual([
        { id: 'vpt-schakelmodel', version: 1, name: 'VPT-schakelmodel', active: false },
        { id: 'vpt-schakelmodel', version: 2, name: 'VPT-schakelmodel', active: false },
        { id: 'vpt-schakelmodel', version: 3, name: 'VPT-schakelmodel', active: true },
      ]);
    } finally {
      await app.close();
    }
  });

  it('when a database stored v1 before the version-2 fields existed, then it still starts, under v1 and under the built-in v2', async () => {
    // Arrange: a database with v1 stored as earlier releases wrote it
    const db = join(dir, 'vpt.sqlite');
    const v1File = writeV1(join(dir, 'v1.json'));
    let app = await start(db, v1File);
    await app.db
      .updateTable('schakelmodellen')
      .set({ definition: legacyV1Definition() })
      .where('version', '=', 1)
      .execute();
    await app.close();

    // Act and assert: v1 is the same version as before, and v2 is added beside it
    app = await start(db, v1File);
    expect(app.models.active).toEqual(SCHAKELMODEL_V1);
    await app.close();
    app = await start(db);
    try {
      expect(app.models.get('vpt-schakelmodel', 1)).toEqual(SCHAKELMODEL_V1);
      const v1 = (await app.inject({ url: '/api/models/vpt-schakelmodel/1' })).json();
      expect(v1.unansweredAboveFirstGap).toBe(false);
      expect(v1.gears[1].criteria[0]).toMatchObject({ key: '2a', notApplicable: true });
      const active = (await app.inject({ url: '/api/model' })).json();
      expect(active).toMatchObject({ version: 2, unansweredAboveFirstGap: true });
      expect(active.gears[1].criteria[0]).toMatchObject({ key: '2a', notApplicable: false });
    } finally {
      await app.close();
    }
  });

  it('when a stored model version comes back with other content, then the app refuses to start', async () => {
    const db = join(dir, 'vpt.sqlite');
    const changed = join(dir, 'v1-changed.json');
    const copy = structuredClone(SCHAKELMODEL_V1) as { gears: Array<{ name: string }> };
    copy.gears[1]!.name = 'Iets anders';
    writeFileSync(changed, JSON.stringify(copy));

    const app = await start(db, writeV1(join(dir, 'v1.json')));
    await app.close();

    const error = await expectAppError(() => start(db, changed), 'model_version_changed');
    expect(error.message).toContain('hoger versienummer');
  });
});
