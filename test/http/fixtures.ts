import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers.ts';

/** The criteria of model v1, per gear. */
export const KEYS_OF: Record<2 | 3 | 4 | 5, string[]> = {
  2: ['2a', '2b', '2c', '2d'],
  3: ['3a', '3b', '3c', '3d', '3e'],
  4: ['4a', '4b', '4c', '4d', '4e'],
  5: ['5a', '5b', '5c'],
};
export const ALL_KEYS = [...KEYS_OF[2], ...KEYS_OF[3], ...KEYS_OF[4], ...KEYS_OF[5]];

export type AnswerInput = string | { answer: string; note?: string | null };
export type AnswersInput = Record<string, AnswerInput>;

/** A full answers object that gives exactly `gear`: every criterion up to it `ja`, the rest `nee`. */
export function answersForGear(gear: number, overrides: AnswersInput = {}): AnswersInput {
  const answers: AnswersInput = {};
  for (const g of [2, 3, 4, 5] as const) {
    for (const key of KEYS_OF[g]) answers[key] = g <= gear ? 'ja' : 'nee';
  }
  return { ...answers, ...overrides };
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Asserts the one error shape `{ error: { code, message, details? } }` with the expected status
 * and code, and returns the body for further checks.
 */
export function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  const allowed = ['code', 'message', 'details'];
  expect(Object.keys(body.error).filter((k) => !allowed.includes(k))).toEqual([]);
  return body;
}

/** Sends a request and asserts the status; returns the parsed JSON body (undefined when empty). */
export async function call<T = unknown>(
  app: FastifyInstance,
  options: InjectOptions,
  expectedStatus: number,
): Promise<T> {
  const res = await app.inject(options);
  expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBe(expectedStatus);
  return (res.body === '' ? undefined : res.json()) as T;
}

export interface Sector {
  id: number;
  name: string;
  organisationCount: number;
  version: number;
}

export interface Organisation {
  id: number;
  name: string;
  sectorId: number;
  sector: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  notes: string | null;
  memberFrom: string;
  memberUntil: string | null;
  archived: boolean;
  archivedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Quickscan {
  id: number;
  organisationId: number;
  quarter: string;
  source: 'quickscan' | 'import' | 'manual';
  gear: number;
  conductedOn: string | null;
  conductedBy: string | null;
  model: { id: string; version: number } | null;
  answers: Record<string, { answer: string; note: string | null }> | null;
  remark: string | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface Revision {
  id: number;
  entity: 'sector' | 'organisation' | 'quickscan';
  entityId: number;
  organisationId: number | null;
  quarter: string | null;
  action: 'create' | 'update' | 'delete' | 'archive' | 'restore';
  before: unknown;
  after: unknown;
  actor: string;
  at: string;
}

export async function listSectors(app: FastifyInstance): Promise<Sector[]> {
  return call<Sector[]>(app, { method: 'GET', url: '/api/sectors' }, 200);
}

/** The id of a sector by its exact name (the default sectors exist after the first migration). */
export async function sectorId(app: FastifyInstance, name: string): Promise<number> {
  const sector = (await listSectors(app)).find((s) => s.name === name);
  if (!sector) throw new Error(`no sector named '${name}'`);
  return sector.id;
}

export async function createSector(app: FastifyInstance, name: string): Promise<Sector> {
  return call<Sector>(app, { method: 'POST', url: '/api/sectors', payload: { name } }, 201);
}

export interface OrganisationSeed {
  name: string;
  /** A sector name (looked up) or id; defaults to Openbaar Bestuur. */
  sector?: string | number;
  memberFrom?: string;
  memberUntil?: string | null;
}

export async function createOrg(app: FastifyInstance, seed: OrganisationSeed): Promise<Organisation> {
  const sector = seed.sector ?? 'Openbaar Bestuur';
  const payload: Record<string, unknown> = {
    name: seed.name,
    sectorId: typeof sector === 'number' ? sector : await sectorId(app, sector),
  };
  if (seed.memberFrom !== undefined) payload.memberFrom = seed.memberFrom;
  if (seed.memberUntil !== undefined) payload.memberUntil = seed.memberUntil;
  return call<Organisation>(app, { method: 'POST', url: '/api/organisations', payload }, 201);
}

/** Records a new quickscan (POST) and returns it. */
export async function recordQuickscan(
  app: FastifyInstance,
  orgId: number,
  quarter: string,
  answers: AnswersInput,
  extra: Record<string, unknown> = {},
): Promise<Quickscan> {
  return call<Quickscan>(
    app,
    {
      method: 'POST',
      url: `/api/organisations/${orgId}/quickscans`,
      payload: { quarter, answers, ...extra },
    },
    201,
  );
}

/** Records a gear directly (PUT /gears) in a quarter that has none yet. */
export async function setGear(
  app: FastifyInstance,
  orgId: number,
  quarter: string,
  gear: number,
  extra: Record<string, unknown> = {},
): Promise<Quickscan> {
  return call<Quickscan>(
    app,
    { method: 'PUT', url: `/api/organisations/${orgId}/gears/${quarter}`, payload: { gear, ...extra } },
    201,
  );
}

export async function getJson<T = unknown>(app: FastifyInstance, url: string): Promise<T> {
  return call<T>(app, { method: 'GET', url }, 200);
}

/** Row counts of the tables a write touches, to prove a failed write left nothing behind. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = ['sectors', 'organisations', 'quickscans', 'quickscan_answers', 'revisions'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
