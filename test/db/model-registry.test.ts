import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ConfigError, loadConfig, loadModelFile } from '../../server/config.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { insertTestUser, signInjects, startTestSession, TEST_NOW, tempDir } from '../helpers.ts';
import { ALL_KEYS, expectAppError } from '../support.ts';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-model-'));
});
afterEach(() => remove());

/** Model v2: v1 with one more criterion on gear 3. */
function modelV2(): unknown {
  const copy = structuredClone(SCHAKELMODEL_V1) as { version: number; gears: Array<{ criteria: unknown[] }> };
  copy.version = 2;
  copy.gears[2]!.criteria.push({
    key: '3f',
    text: 'Er is een vast aanspreekpunt voor bezoekers met klachten.',
    measure: '9',
    guidance: 'Wijs een aanspreekpunt aan en maak het bekend bij de ingang.',
  });
  return copy;
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

  it('when the model changes to a new version, then old quickscans keep their meaning and new ones use the new model', async () => {
    const db = join(dir, 'vpt.sqlite');
    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, JSON.stringify(modelV2()));

    // Under v1: a quickscan with everything of gears 2 and 3 in place gives gear 3.
    let app = await start(db);
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
      payload: { quarter: '2016-Q1', answers },
    });
    expect(first.json()).toMatchObject({ gear: 3, model: { id: 'vpt-schakelmodel', version: 1 } });
    await app.close();

    // Under v2: the old quickscan still reads as gear 3 against v1; a new one needs 3f.
    app = await start(db, v2);
    try {
      const old = (await app.inject({ url: `/api/organisations/${org.id}/status?quarter=2016-Q1` })).json();
      expect(old).toMatchObject({
        gear: 3,
        model: { version: 1 },
        nextSteps: [{ key: '4a' }, {}, {}, {}, {}],
      });

      const missing = await app.inject({
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2016-Q2', answers },
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toContain("criterium '3f' is niet beantwoord");

      const withNew = await app.inject({
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2016-Q2', answers: { ...answers, '3f': 'nee' } },
      });
      expect(withNew.json()).toMatchObject({ gear: 2, model: { version: 2 } });

      const models = (await app.inject({ url: '/api/models' })).json();
      expect(models).toEqual(
        expect.arrayContaining([
          { id: 'vpt-schakelmodel', version: 1, name: 'VPT-schakelmodel', active: false },
          { id: 'vpt-schakelmodel', version: 2, name: 'VPT-schakelmodel', active: true },
        ]),
      );
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

    const app = await start(db);
    await app.close();

    const error = await expectAppError(() => start(db, changed), 'model_version_changed');
    expect(error.message).toContain('hoger versienummer');
  });
});
