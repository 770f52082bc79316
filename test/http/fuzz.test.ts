import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, PROBLEM_CODES } from '../../server/contracts/errors.contract.ts';
import { buildTestApp, rowsOf, type TestApp, testAppPerTest } from '../helpers.ts';
import { answersForGear, prng } from '../support.ts';
import { call, createOrg, createSector, sessionAs, setGear } from './fixtures.ts';

/**
 * A bounded fuzz test over every route of the OpenAPI document: each route and method gets the
 * same number of malformed requests (path ids, query values, bodies, raw payloads and content
 * types), drawn from a seeded PRNG so that a failure reproduces. Whatever the input, the server
 * never answers 5xx, every 4xx speaks the error contract in Dutch, and a refused request leaves
 * every row of the database as it was. FUZZ_SEED draws another sequence, FUZZ_CASES more cases.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES_PER_OPERATION = Number(process.env.FUZZ_CASES ?? 30);

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// --- the routes, from the OpenAPI document -----------------------------------------------------

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  $ref?: string;
  minimum?: number;
  maximum?: number;
}

interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/organisations/{id}/gears/{quarter}. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; required: boolean; schema: JsonSchema }>;
  body: { contentType: string; schema: JsonSchema } | null;
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
        requestBody?: { content: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Logging out ends the session every other case needs; it is left out. */
const EXCLUDED = new Set(['POST /api/auth/logout']);

async function readOperations(): Promise<{
  operations: Operation[];
  components: Record<string, JsonSchema>;
}> {
  const probe = await buildTestApp({ as: 'anonymous' });
  try {
    const doc = probe.app.swagger() as unknown as OpenApi;
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (EXCLUDED.has(key)) continue;
        const parameters = op.parameters ?? [];
        const content = Object.entries(op.requestBody?.content ?? {})[0];
        operations.push({
          method: method.toUpperCase(),
          path,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          query: parameters
            .filter((p) => p.in === 'query')
            .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} })),
          body: content ? { contentType: content[0], schema: content[1].schema ?? {} } : null,
        });
      }
    }
    return { operations, components: doc.components?.schemas ?? {} };
  } finally {
    await probe.close();
  }
}

const { operations, components } = await readOperations();

function resolveRef(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  return components[name] ?? {};
}

const t = testAppPerTest();

// --- the seeded region ---------------------------------------------------------------------

interface Seed {
  orgId: number;
  otherOrgId: number;
  archivedOrgId: number;
  sectorId: number;
  emptySectorId: number;
  userId: number;
  shareLinkId: number;
  modelId: string;
  modelVersion: number;
}

async function seedRegion(): Promise<Seed> {
  const sector = await createSector(t.app, 'Fuzzsector');
  const empty = await createSector(t.app, 'Lege sector');
  const a = await createOrg(t.app, { name: 'Gemeente Fuzz', sector: sector.id, memberFrom: '2016-Q1' });
  const b = await createOrg(t.app, { name: 'Ziekenhuis Fuzz', sector: 'Zorg', memberFrom: '2016-Q1' });
  const c = await createOrg(t.app, { name: 'Archief Fuzz', memberFrom: '2016-Q1' });
  for (const [org, quarter, gear] of [
    [a.id, '2016-Q1', 2],
    [a.id, '2016-Q2', 3],
    [b.id, '2016-Q1', 1],
    [b.id, '2016-Q3', 4],
    [c.id, '2016-Q1', 5],
  ] as const) {
    await setGear(t.app, org, quarter, gear);
  }
  await call(
    t.app,
    {
      method: 'POST',
      url: `/api/organisations/${a.id}/quickscans`,
      payload: { quarter: '2016-Q4', answers: answersForGear(3) },
    },
    201,
  );
  await call(t.app, { method: 'POST', url: `/api/organisations/${c.id}/archive`, payload: {} }, 200);
  // A closed quarter, so that a change to it without a reason is refused.
  await call(t.app, { method: 'POST', url: '/api/quarters/2016-Q1/close', payload: {} }, 200);
  // Another account (its password hashed once per run), with a session of its own.
  const bestuur = await sessionAs(t, 'bestuur');
  const user = await t.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'bestuur')
    .executeTakeFirstOrThrow();
  const link = await call<{ id: number }>(
    t.app,
    { method: 'POST', url: `/api/organisations/${a.id}/share-links`, payload: {} },
    201,
  );
  const model = await call<{ id: string; version: number }>(t.app, { method: 'GET', url: '/api/model' }, 200);
  expect(bestuur.token).not.toBe('');
  return {
    orgId: a.id,
    otherOrgId: b.id,
    archivedOrgId: c.id,
    sectorId: sector.id,
    emptySectorId: empty.id,
    userId: user.id,
    shareLinkId: link.id,
    modelId: model.id,
    modelVersion: model.version,
  };
}

// --- malformed inputs ------------------------------------------------------------------------

const deepObject = (depth: number): unknown => {
  let value: unknown = { x: 1 };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

/** Values of the wrong type, out of range, or with characters a naive parser trips over. */
const BAD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.000001,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53 + 2,
  '',
  ' ',
  '   \t\n',
  'x'.repeat(100_000),
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31mrood\u001b[0m',
  '\r\nSet-Cookie: x=y',
  '\uFFFF',
  '\uFFFE\uFEFF',
  '\uD800',
  'x\uDC00y',
  '🐊'.repeat(300),
  'e\u0301\u0301\u0301',
  '2016-Q5',
  '9999-Q4',
  '0000-Q1',
  '1990-Q1',
  '2100-Q4',
  '2016-q1',
  '-1',
  '0',
  '1e99',
  'abc',
  'true',
  '<script>alert(1)</script>',
  "'; drop table organisations; --",
  '../../etc/passwd',
  '__proto__',
  [],
  [1, 2, 3],
  ['ja'],
  [null],
  {},
  { a: 1 },
  { answer: 'ja', note: 'x'.repeat(3000) },
  { constructor: 'ja', toString: 'nee', valueOf: 'ja', hasOwnProperty: 'deels', __defineGetter__: 'nvt' },
  { '2a': 'nvt' },
  { '2a': { answer: 'ja', note: '\u0000' }, '9z': 'ja', '': 'nee' },
  deepObject(50),
  Array.from({ length: 2000 }, (_, i) => i),
];

/** Path segments as they appear in a URL (already encoded, or deliberately not). */
const BAD_SEGMENTS: readonly string[] = [
  '-1',
  '0',
  '00',
  '1e99',
  '1.0',
  '0x1',
  '+1',
  '%201',
  'abc',
  '%00',
  '1%00',
  '%0A',
  '%FF',
  '%ED%A0%80',
  '%EF%BF%BF',
  '%C0%AE%C0%AE',
  '%2e%2e',
  '%252e',
  '9'.repeat(11),
  '2147483648',
  '2147483647',
  '9007199254740993',
  '9'.repeat(99),
  '9'.repeat(5000),
  'x'.repeat(101),
  '2016-Q5',
  '2016-Q0',
  '1999-Q4',
  '1990-Q1',
  '2100-Q4',
  '2016Q1',
  '2016-Q1x',
  '__proto__',
  'constructor',
  '%F0%9F%90%8A',
];

/** Like encodeURIComponent, but a lone surrogate is sent as its (invalid) UTF-8 bytes instead of throwing. */
function encodeLoosely(text: string): string {
  return text.replace(/[\s\S]/gu, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(ch);
  });
}

/** Query strings: bad values for a known name, and shapes a query parser might mishandle. */
function badQueryParts(name: string, random: Random): string[] {
  const value = pick(random, BAD_VALUES);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return pick(random, [
    [`${name}=${encodeLoosely(text.slice(0, 20_000))}`],
    [`${name}=${pick(random, BAD_SEGMENTS)}`],
    [`${name}=1`, `${name}=2`],
    [`${name}[]=1`],
    [`${name}[a]=1`],
    [`${name}`],
    [`${name}=`],
    [`${name}=%`],
    [`${name}=%E0%A4%A`],
    ['__proto__[polluted]=1'],
    ['constructor[prototype][polluted]=1'],
    ['__proto__=1'],
    [`onbekend=${encodeLoosely(text.slice(0, 200))}`],
    [`${name}=${'9'.repeat(400)}`],
    // The widest period the quarters allow: valid, and as much work as a request can ask for.
    ['from=1990-Q1', 'to=2100-Q4'],
    [`${name}=2100-Q4`],
    [`${name}=1990-Q1`],
  ]);
}

/** A multipart/form-data body with one part per [field, filename, content]. */
function multipart(
  parts: Array<[string, string | null, string]>,
  boundary = 'grens',
): Pick<InjectOptions, 'payload' | 'headers'> {
  const body = parts
    .map(
      ([field, filename, content]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"${filename === null ? '' : `; filename="${filename}"`}\r\n` +
        `Content-Type: text/csv\r\n\r\n${content}\r\n`,
    )
    .join('');
  return {
    payload: `${body}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads for the import: wrong fields, odd names, broken files and lists with bad cells. */
function malformedUpload(random: Random): Pick<InjectOptions, 'payload' | 'headers'> {
  const csv = (rows: string[]) => rows.join('\r\n');
  const badCell = () => {
    const v = pick(random, BAD_VALUES);
    return (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 5000).replace(/[;\r\n]/g, ' ');
  };
  return pick(random, [
    () => multipart([['file', 'lijst.csv', csv(['Organisatie;Sector;Q1 2016', `${badCell()};Zorg;3`])]]),
    () =>
      multipart([
        ['file', 'lijst.csv', csv(['Organisatie;Sector;Q1 2016', `Gemeente Fuzz;${badCell()};${badCell()}`])],
      ]),
    () =>
      multipart([['file', 'lijst.csv', csv([`Organisatie;Sector;${badCell()}`, 'Gemeente Fuzz;Zorg;2'])]]),
    () =>
      multipart([
        [
          'file',
          'lijst.csv',
          csv(['Organisatie;Sector;Q1 2016', 'Gemeente Fuzz;Zorg;9', 'Gemeente Fuzz;Zorg;-1']),
        ],
      ]),
    () => multipart([['file', 'lijst.csv', '']]),
    () => multipart([['file', '../../etc/passwd', 'root:x:0:0']]),
    () => multipart([['file', `${'x'.repeat(5000)}.csv`, 'Organisatie;Sector']]),
    () => multipart([['file', 'lijst.xlsx', 'PK\u0003\u0004rommel']]),
    () => multipart([['bestand', 'lijst.csv', 'Organisatie;Sector']]),
    () => multipart([['file', null, 'Organisatie;Sector']]),
    () =>
      multipart([
        ['file', 'a.csv', 'Organisatie;Sector'],
        ['file', 'b.csv', 'Organisatie;Sector'],
      ]),
    () => ({
      payload: '--grens\r\nContent-Disposition: form-data; name="file"\r\n\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=grens' },
    }),
    () => rawBody(random),
  ])();
}

/** Raw payloads with a JSON content type (or none), and bodies of another type. */
function rawBody(random: Random): Pick<InjectOptions, 'payload' | 'headers'> {
  const json = { 'content-type': 'application/json' };
  return pick(random, [
    { payload: '', headers: json },
    { payload: '{', headers: json },
    { payload: '{"a":', headers: json },
    { payload: 'nul', headers: json },
    { payload: 'null', headers: json },
    { payload: '[]', headers: json },
    { payload: '0', headers: json },
    { payload: '"tekst"', headers: json },
    { payload: '\uFEFF{}', headers: json },
    { payload: '{"a":1,"a":2}', headers: json },
    { payload: '{"__proto__":{"polluted":true}}', headers: json },
    { payload: '{"constructor":{"prototype":{"polluted":true}}}', headers: json },
    { payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, headers: json },
    { payload: `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, headers: json },
    {
      payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x80, 0x22, 0x7d]),
      headers: json,
    },
    { payload: `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: json },
    { payload: '{"name":"a"}', headers: { 'content-type': 'text/plain' } },
    { payload: 'name=a&sectorId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { payload: '{"name":"a"}', headers: { 'content-type': 'application/json; charset=latin1' } },
    { payload: '{"name":"a"}', headers: { 'content-type': 'application/json, text/plain' } },
    { payload: '{"name":"a"}', headers: { 'content-type': 'application/jsonx' } },
    { payload: '{}', headers: { 'content-type': 'application/json', 'content-length': '99999999999' } },
    {
      payload: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    },
    {
      payload:
        '--x\r\nContent-Disposition: form-data; name="file"; filename="lijst.xlsx"\r\n' +
        'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\nPK\u0003\u0004rommel\r\n--x--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    },
    {
      payload:
        '--x\r\nContent-Disposition: form-data; name="file"; filename="lijst.csv"\r\nContent-Type: text/csv\r\n\r\n' +
        'Organisatie;Sector\r\n\u0000;\uFFFF\r\n--x--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    },
    { payload: 'rommel', headers: { 'content-type': 'multipart/form-data' } },
  ]);
}

// --- plausible values, from the schema and the seeded region -----------------------------------

function validSegment(op: Operation, name: string, seed: Seed, random: Random): string {
  // 2016-Q1 is closed; the seeded organisation has a gear in Q1 and Q2 and a quickscan in Q4.
  if (name === 'quarter') {
    return op.path.startsWith('/api/quarters')
      ? '2016-Q2'
      : pick(random, ['2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4']);
  }
  if (name === 'version') return String(seed.modelVersion);
  if (op.path.startsWith('/api/models')) return seed.modelId;
  if (op.path.startsWith('/api/users')) return String(seed.userId);
  if (op.path.startsWith('/api/share-links')) return String(seed.shareLinkId);
  if (op.path.startsWith('/api/sectors')) return String(pick(random, [seed.emptySectorId, seed.sectorId]));
  return String(pick(random, [seed.orgId, seed.orgId, seed.otherOrgId, seed.archivedOrgId]));
}

function validQueryValue(name: string, schema: JsonSchema, seed: Seed): string {
  const s = resolveRef(schema);
  if (s.enum?.length) return String(s.enum[0]);
  if (name === 'from') return '2016-Q1';
  if (name === 'to' || name === 'quarter') return '2016-Q4';
  if (name === 'limit') return '10';
  if (name === 'offset') return '0';
  if (name === 'organisationId') return String(seed.orgId);
  if (name === 'sectorId') return String(seed.sectorId);
  if (name === 'expectedVersion') return '1';
  return 'Fuzz';
}

let uniqueCounter = 0;

/** A value the schema would accept (as far as a name tells), so that one mutation decides. */
function validValue(name: string, schema: JsonSchema, seed: Seed, depth = 0): unknown {
  const s = resolveRef(schema);
  const byName: Record<string, () => unknown> = {
    name: () => `Fuzz ${++uniqueCounter}`,
    sectorId: () => seed.sectorId,
    organisationId: () => seed.otherOrgId,
    quarter: () => '2016-Q3',
    from: () => '2016-Q2',
    until: () => null,
    gear: () => 3,
    // One address, so that the login limit per account soon answers without hashing a password.
    email: () => 'fuzz@example.org',
    password: () => 'krokodil-paraplu-zeventien-9',
    answers: () => answersForGear(3),
    reason: () => 'fuzz',
    token: () => 'geen-geldig-token',
    expectedVersion: () => 1,
  };
  if (byName[name]) return byName[name]();
  if (s.enum?.length) return s.enum[0];
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.length) return validValue(name, variants[0]!, seed, depth);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' || s.properties) return validObject(s, seed, depth + 1);
  if (type === 'array') return [];
  if (type === 'integer' || type === 'number') return s.minimum ?? 1;
  if (type === 'boolean') return false;
  if (type === 'null') return null;
  return 'fuzz';
}

function validObject(schema: JsonSchema, seed: Seed, depth = 0): Record<string, unknown> {
  const s = resolveRef(schema);
  const out: Record<string, unknown> = {};
  if (depth > 4) return out;
  for (const key of s.required ?? []) out[key] = validValue(key, s.properties?.[key] ?? {}, seed, depth);
  return out;
}

/** A JSON text for the object with one key set to a raw JSON value (so that `__proto__` stays an own key). */
function withRawKey(base: Record<string, unknown>, key: string, rawValue: string): string {
  const rest = JSON.stringify(base).slice(1, -1);
  return `{${JSON.stringify(key)}:${rawValue}${rest ? `,${rest}` : ''}}`;
}

function malformedBody(
  op: Operation,
  seed: Seed,
  random: Random,
): Pick<InjectOptions, 'payload' | 'headers'> {
  const schema = resolveRef(op.body?.schema ?? { type: 'object' });
  const base = validObject(schema, seed);
  const keys = [...new Set([...Object.keys(schema.properties ?? {}), ...Object.keys(base)])];
  const json = { 'content-type': 'application/json' };
  const kind = Math.floor(random() * 7);
  if (kind === 0 && (schema.required?.length ?? 0) > 0) {
    const body = { ...base };
    delete body[pick(random, schema.required!)];
    return { payload: JSON.stringify(body), headers: json };
  }
  if (kind <= 2 && keys.length > 0) {
    const key = pick(random, keys);
    return { payload: JSON.stringify({ ...base, [key]: pick(random, BAD_VALUES) }), headers: json };
  }
  if (kind === 3) {
    const key = pick(random, ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
    const value = pick(random, [
      '{"polluted":true,"role":"projectleider"}',
      '{"prototype":{"polluted":true}}',
      '1',
    ]);
    return { payload: withRawKey(base, key, value), headers: json };
  }
  if (kind === 4) {
    return { payload: JSON.stringify({ ...base, onbekendVeld: pick(random, BAD_VALUES) }), headers: json };
  }
  if (kind === 5) return { payload: JSON.stringify(pick(random, BAD_VALUES)), headers: json };
  return rawBody(random);
}

/** One request for the operation: plausible values everywhere, then one part of it (or all) made malformed. */
function malformedRequest(op: Operation, seed: Seed, random: Random): InjectOptions {
  const segments = Object.fromEntries(op.pathParams.map((p) => [p, validSegment(op, p, seed, random)]));
  const query = op.query
    .filter((q) => q.required || random() < 0.3)
    .map((q) => `${q.name}=${encodeURIComponent(validQueryValue(q.name, q.schema, seed))}`);
  let body: Pick<InjectOptions, 'payload' | 'headers'> =
    op.body === null
      ? {}
      : op.body.contentType === 'application/json'
        ? {
            payload: JSON.stringify(validObject(op.body.schema, seed)),
            headers: { 'content-type': 'application/json' },
          }
        : {};

  const kinds = [
    ...(op.pathParams.length > 0 ? ['path'] : []),
    'query',
    ...(op.method === 'GET' ? [] : ['body', 'body', 'body']),
    'everything',
  ];
  const kind = pick(random, kinds);
  if (kind === 'path' || kind === 'everything') {
    for (const p of op.pathParams)
      if (kind === 'everything' || random() < 0.7) segments[p] = pick(random, BAD_SEGMENTS);
  }
  if (kind === 'query' || kind === 'everything') {
    const names = op.query.length > 0 ? op.query.map((q) => q.name) : ['q'];
    const name = pick(random, names);
    const parts = badQueryParts(name, random);
    // The bad value replaces the plausible one (a repeated name is one of the bad parts itself).
    const replaced = new Set([name, ...parts.map((part) => part.split('=')[0])]);
    query.splice(0, query.length, ...query.filter((part) => !replaced.has(part.split('=')[0]!)), ...parts);
  }
  if ((kind === 'body' || kind === 'everything') && op.method !== 'GET') {
    body = op.body?.contentType.startsWith('multipart/')
      ? malformedUpload(random)
      : malformedBody(op, seed, random);
  }

  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => segments[name]!);
  return {
    method: op.method as InjectOptions['method'],
    url: query.length > 0 ? `${path}?${query.join('&')}` : path,
    ...body,
  };
}

// --- what a reply must be --------------------------------------------------------------------

/**
 * Words of English error messages (Fastify's, zod's, Node's, JSON.parse's) that a Dutch message
 * never has. Type names (string, number, array) are left out: zod's Dutch locale uses them.
 */
const ENGLISH =
  /\b(the|are|not|but|expected|received|invalid|required|must|should|cannot|unexpected|unrecognized|too big|too small|found|of type|characters|failed|unsupported|exceeded|property|token|position|valid|set to)\b/i;

interface ErrorReply {
  error?: {
    code?: unknown;
    message?: unknown;
    details?: { problems?: Array<{ code?: unknown; message?: unknown }> };
  };
}

/** What is wrong with a reply: a 5xx, or a 4xx outside the error contract or not in Dutch; null when it is fine. */
function problemWith(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `status ${res.statusCode}`;
  if (res.statusCode < 400) return null;
  if (!/^application\/json/.test(String(res.headers['content-type']))) {
    return `a ${res.statusCode} with content-type ${res.headers['content-type']}`;
  }
  let body: ErrorReply;
  try {
    body = res.json();
  } catch {
    return `a ${res.statusCode} whose body is not JSON`;
  }
  if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'error') {
    return 'the body is not { error }';
  }
  const error = body.error;
  if (typeof error !== 'object' || error === null) return 'error is not an object';
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length > 0) return `error has the fields ${extra.join(', ')}`;
  if (!(ERROR_CODES as readonly unknown[]).includes(error.code))
    return `unknown error code ${String(error.code)}`;
  if (typeof error.message !== 'string' || error.message.trim() === '') return 'no message';
  const problems = error.details?.problems ?? [];
  if (!Array.isArray(problems)) return 'details.problems is not a list';
  for (const p of problems) {
    if (!([...PROBLEM_CODES, ...ERROR_CODES] as readonly unknown[]).includes(p.code)) {
      return `unknown problem code ${String(p.code)}`;
    }
    if (typeof p.message !== 'string' || p.message === '') return 'a problem without a message';
  }
  // The message may start with the field's path; only the words after it must be Dutch.
  const messages = [error.message, ...problems.map((p) => String(p.message))];
  const english = messages.find((m) => ENGLISH.test(m.replace(/^[\w.[\]-]+: /, '')));
  if (english !== undefined) return `an English message: ${english}`;
  return null;
}

/**
 * Every row of every table (rowsOf leaves sessions out), and the sessions by who they are: a
 * request may move a session's last-seen time, but a refused one must not start or end one.
 */
async function snapshot(db: TestApp['db']): Promise<Record<string, unknown[]>> {
  const sessions = await sql`select id, token_hash, user_id, share_link_id, csrf_token, created_at
    from sessions order by id`.execute(db);
  return { ...(await rowsOf(db)), sessions: sessions.rows.map((r) => JSON.stringify(r)) };
}

/** Injects as the signed-in projectleider, without the helpers' own contract check (this test does its own). */
function injectRaw(request: InjectOptions, app = t.app): Promise<LightMyRequestResponse> {
  return new Promise((done, fail) => {
    // With a callback, the checking wrapper of buildTestApp passes the reply through untouched.
    app.inject(request, (err, res) => (err || !res ? fail(err ?? new Error('no reply')) : done(res)));
  });
}

function describeRequest(options: InjectOptions): string {
  const payload =
    options.payload === undefined
      ? ''
      : Buffer.isBuffer(options.payload)
        ? ` <bytes ${options.payload.toString('hex')}>`
        : ` ${String(options.payload).slice(0, 300)}${String(options.payload).length > 300 ? '…' : ''}`;
  const type = (options.headers as Record<string, string> | undefined)?.['content-type'];
  return `${options.method} ${String(options.url).slice(0, 300)}${type ? ` [${type}]` : ''}${payload}`;
}

// --- the test --------------------------------------------------------------------------------

let seed: Seed;

beforeEach(async () => {
  uniqueCounter = 0;
  seed = await seedRegion();
});

describe('every route under malformed input', () => {
  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    'when %s gets malformed path ids, query values and bodies, then it never answers 5xx, every refusal speaks Dutch in the error contract and changes nothing',
    async (key, op) => {
      // Arrange
      const random = prng(SEED ^ hash(key));
      const failures: string[] = [];
      // This test's own app: testAppPerTest refills `t` for the next test, and a test that timed
      // out must not go on sending its requests to the next one.
      const { app, db } = t;
      let before = await snapshot(db);

      for (let i = 0; i < CASES_PER_OPERATION; i++) {
        const request = malformedRequest(op, seed, random);

        // Act
        const res = await injectRaw(request, app);

        // Assert (collected, so that one run lists every failing case)
        const where = `case ${i} (FUZZ_SEED=${SEED}): ${describeRequest(request)} → ${res.statusCode} ${res.body.slice(0, 400)}`;
        const problem = problemWith(res);
        if (problem !== null) failures.push(`${problem}; ${where}`);
        // A refused request must leave every row as it was; an accepted one may change them.
        const after = await snapshot(db);
        if (res.statusCode >= 400) {
          const changed = Object.keys(after).filter(
            (table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]),
          );
          if (changed.length > 0) failures.push(`a refused request changed ${changed.join(', ')}; ${where}`);
        }
        before = after;
      }
      expect(failures).toEqual([]);
      expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    },
    // A password is hashed for every accepted account or password change: slow on a busy machine.
    30_000 + CASES_PER_OPERATION * 1_000,
  );
});

describe('what the fuzzing found, fixed', () => {
  it.each([
    ['an invalid UTF-8 escape %FF', '/api/organisations/%FF'],
    ['an encoded lone surrogate %ED%A0%80', '/api/organisations/%ED%A0%80/quickscans'],
    ['an overlong encoding %C0%AE', '/api/sectors/%C0%AE%C0%AE'],
  ])('when a path holds %s, then the 400 speaks the error contract in Dutch', async (_what, url) => {
    // Act
    const res = await injectRaw({ method: 'GET', url });

    // Assert
    expect(problemWith(res), `${res.statusCode} ${res.body}`).toBeNull();
  });

  it('when a path id is longer than 100 characters, then the refusal speaks the error contract in Dutch', async () => {
    // Act
    const res = await injectRaw({ method: 'GET', url: `/api/organisations/${'9'.repeat(101)}` });

    // Assert
    expect(problemWith(res), `${res.statusCode} ${res.body}`).toBeNull();
  });

  it('when a JSON body does not parse, then the invalid_json message is Dutch only', async () => {
    // Act
    const res = await injectRaw({
      method: 'POST',
      url: '/api/sectors',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });

    // Assert
    expect(problemWith(res), `${res.statusCode} ${res.body}`).toBeNull();
  });
});
