import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schakelmodel } from '../../server/contracts/model.contract.ts';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { ALL_KEYS, KEYS_OF } from '../support.ts';
import { call, expectError, getJson } from './fixtures.ts';

/**
 * Every route the app serves, read from Fastify's route tree (`printRoutes`): each line is a
 * radix-tree node whose path continues its parent's, with its methods in brackets.
 */
function routesOf(tree: string): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method) routes.push({ method, path });
    }
  }
  return routes;
}

describe('system routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('when the database is reachable, then health answers 200 ok', async () => {
    // Act
    const body = await getJson(t.app, '/api/health');

    // Assert
    expect(body).toEqual({ status: 'ok', database: 'ok', writes: 'ok', backup: null });
  });

  it('when the model is asked for, then it is v2 with gears 1 to 5 and criteria 2a to 5c, each with guidance', async () => {
    // Act
    const model = await getJson<Schakelmodel>(t.app, '/api/model');

    // Assert
    expect(model.id).toBe('vpt-schakelmodel');
    expect(model.version).toBe(2);
    expect(model.unansweredAboveFirstGap).toBe(true);
    expect(model.gears.map((g) => g.gear)).toEqual([1, 2, 3, 4, 5]);
    expect(model.gears.map((g) => g.name)).toEqual([
      'Startpositie',
      'Basis gelegd',
      'Protocol werkt',
      'Consequent en geborgd',
      'Ketensamenwerking',
    ]);
    expect(model.gears[0]!.criteria).toEqual([]);
    for (const g of [2, 3, 4, 5] as const) {
      expect(model.gears[g - 1]!.criteria.map((c) => c.key)).toEqual(KEYS_OF[g]);
    }
    const criteria = model.gears.flatMap((g) => g.criteria);
    expect(criteria.map((c) => c.key)).toEqual(ALL_KEYS);
    for (const c of criteria) {
      expect(c.text.length).toBeGreaterThan(0);
      expect(c.measure.length).toBeGreaterThan(0);
      expect(c.guidance.length).toBeGreaterThan(0);
    }
    expect(criteria.filter((c) => !c.notApplicable).map((c) => c.key)).toEqual(['2a', '5a', '5b', '5c']);
  });

  it('when the model versions are listed, then v2 is there and marked active', async () => {
    // Act
    const models = await getJson(t.app, '/api/models');

    // Assert
    expect(models).toEqual([{ id: 'vpt-schakelmodel', version: 2, name: 'VPT-schakelmodel', active: true }]);
  });

  it('when one model version is asked for, then it is the same as the active model', async () => {
    // Arrange
    const active = await getJson(t.app, '/api/model');

    // Act
    const one = await getJson(t.app, '/api/models/vpt-schakelmodel/2');

    // Assert
    expect(one).toEqual(active);
  });

  it('when an unknown model version is asked for, then the answer is 404', async () => {
    // Act
    const unknownVersion = await t.app.inject({ method: 'GET', url: '/api/models/vpt-schakelmodel/3' });
    const unknownId = await t.app.inject({ method: 'GET', url: '/api/models/ander-model/1' });

    // Assert
    expect(expectError(unknownVersion, 404, 'model_not_found').error.message).toContain('versie 3');
    expectError(unknownId, 404, 'model_not_found');
  });

  it('when a model version is not a number, then the answer is 400', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: '/api/models/vpt-schakelmodel/een' });

    // Assert
    expectError(res, 400, 'validation_failed');
  });

  it('when the OpenAPI document is asked for, then it describes every API route with its methods', async () => {
    // Arrange: every route of the app, except the documentation itself
    const served = routesOf(t.app.printRoutes({ commonPrefix: false }))
      .filter((r) => r.method !== 'HEAD')
      .filter(
        (r) =>
          r.path.startsWith('/api/') && !r.path.startsWith('/api/docs') && r.path !== '/api/openapi.json',
      )
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();

    // Act
    const doc = await getJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      t.app,
      '/api/openapi.json',
    );

    // Assert
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served.length).toBeGreaterThanOrEqual(27);
    expect(documented).toEqual(served);
    // The routes the issue names are among them.
    for (const route of [
      'GET /api/health',
      'GET /api/model',
      'GET /api/sectors',
      'POST /api/sectors',
      'GET /api/organisations',
      'GET /api/organisations/{id}',
      'POST /api/organisations/{id}/quickscans',
      'GET /api/reports/summary',
      'GET /api/reports/matrix',
    ]) {
      expect(documented).toContain(route);
    }
  });

  it('when the OpenAPI document is read, then every operation declares its responses', async () => {
    // Act
    const doc = await getJson<{
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    }>(t.app, '/api/openapi.json');

    // Assert
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.keys(op.responses ?? {}).filter((s) => s.startsWith('2'));
        expect(ok.length, `${method.toUpperCase()} ${path}`).toBeGreaterThan(0);
      }
    }
  });

  it('when the database is closed, then health answers 503 in the error shape', async () => {
    // Arrange: an app of its own, whose database goes away
    const own = await buildTestApp();
    try {
      await own.db.destroy();

      // Act
      const res = await own.app.inject({ method: 'GET', url: '/api/health' });

      // Assert
      expectError(res, 503, 'database_unavailable');
    } finally {
      await own.close();
    }
  });

  it('when an unknown API route is called, then the answer is 404 route_not_found', async () => {
    // Act
    const res = await call(t.app, { method: 'GET', url: '/api/bestaat-niet?x=1' }, 404);

    // Assert
    expect(res).toEqual({
      error: { code: 'route_not_found', message: 'GET /api/bestaat-niet bestaat niet' },
    });
  });
});
