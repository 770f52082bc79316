import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedShareLink } from '../../server/contracts/share-link.contract.ts';
import { buildTestApp, insertTestUser, TEST_NOW, type TestApp } from '../helpers.ts';
import {
  call,
  createOrg,
  expectError,
  type Organisation,
  openShareLink,
  sessionCookie,
  setGear,
  signIn,
} from './fixtures.ts';

// --- helpers local to this file ------------------------------------------------------------

const DAY = 86_400_000;

function createLink(
  t: TestApp,
  orgId: number,
  payload: Record<string, unknown> = {},
): Promise<CreatedShareLink> {
  return call<CreatedShareLink>(
    t.app,
    { method: 'POST', url: `/api/organisations/${orgId}/share-links`, payload },
    201,
  );
}

function openLink(t: TestApp, token: string): Promise<LightMyRequestResponse> {
  return t.anonymous({ method: 'POST', url: '/api/auth/share', payload: { token } });
}

let t: TestApp;
let now: Date;

/** A projectleider app on a movable clock, with two organisations. */
async function arrange(): Promise<{ orgA: Organisation; orgB: Organisation }> {
  now = TEST_NOW;
  // The test projectleider's own session must survive the clock jumps of the expiry tests.
  t = await buildTestApp({ now: () => now, config: { sessionIdleMs: 60 * DAY } });
  const orgA = await createOrg(t.app, { name: 'Gemeente A' });
  const orgB = await createOrg(t.app, { name: 'Ziekenhuis B', sector: 'Zorg' });
  return { orgA, orgB };
}

afterEach(async () => {
  await t?.close();
});

// --- creating ------------------------------------------------------------------------------

describe('POST /api/organisations/:id/share-links', () => {
  it('when the projectleider creates a link, then it answers 201 with a long random token and a /s/ url', async () => {
    // Arrange
    const { orgA } = await arrange();

    // Act
    const link = await createLink(t, orgA.id, { label: 'voor de directeur' });

    // Assert
    expect(link).toEqual({
      id: expect.any(Number),
      organisationId: orgA.id,
      label: 'voor de directeur',
      expiresAt: new Date(TEST_NOW.getTime() + 30 * DAY).toISOString(),
      revokedAt: null,
      active: true,
      createdBy: 'projectleider@test.example.org',
      createdAt: TEST_NOW.toISOString(),
      token: expect.any(String),
      url: expect.any(String),
    });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(link.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(link.url.endsWith(`/s/${link.token}`)).toBe(true);
  });

  it('when two links are created, then their tokens differ', async () => {
    // Arrange
    const { orgA } = await arrange();

    // Act
    const first = await createLink(t, orgA.id);
    const second = await createLink(t, orgA.id);

    // Assert
    expect(first.token).not.toBe(second.token);
  });

  it('when the links of an organisation are listed, then no token is shown again', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id, { expiresInDays: 7 });

    // Act
    const list = await call<Array<Record<string, unknown>>>(
      t.app,
      { method: 'GET', url: `/api/organisations/${orgA.id}/share-links` },
      200,
    );

    // Assert
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: link.id, active: true });
    expect(list[0]).not.toHaveProperty('token');
    expect(list[0]).not.toHaveProperty('url');
    expect(JSON.stringify(list)).not.toContain(link.token);
  });

  it('when the organisation does not exist, then it answers 404', async () => {
    // Arrange
    await arrange();

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations/99999/share-links',
      payload: {},
    });

    // Assert
    expectError(res, 404, 'organisation_not_found');
  });

  it.each([
    ['zero days', { expiresInDays: 0 }],
    ['more than a year', { expiresInDays: 367 }],
    ['a fraction of a day', { expiresInDays: 1.5 }],
    ['days as text', { expiresInDays: '30' }],
    ['a label of 201 characters', { label: 'x'.repeat(201) }],
    ['an unknown field', { organisationId: 2 }],
  ])('when the body has %s, then it answers 400 and creates nothing', async (_, payload) => {
    // Arrange
    const { orgA } = await arrange();

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${orgA.id}/share-links`,
      payload,
    });

    // Assert
    expectError(res, 400, 'validation_failed');
    expect(await t.db.selectFrom('share_links').selectAll().execute()).toEqual([]);
  });

  it('when bestuur or an anonymous client tries to create a link, then 403 and 401', async () => {
    // Arrange
    const { orgA } = await arrange();
    await insertTestUser(t.db, 'bestuurder@regio.example.org', 'bestuur');
    const board = await signIn(t, 'bestuurder@regio.example.org');

    // Act
    const asBoard = await board.inject({
      method: 'POST',
      url: `/api/organisations/${orgA.id}/share-links`,
      payload: {},
    });
    const asNobody = await t.anonymous({
      method: 'POST',
      url: `/api/organisations/${orgA.id}/share-links`,
      payload: {},
    });

    // Assert
    expectError(asBoard, 403, 'forbidden');
    expectError(asNobody, 401, 'unauthenticated');
    expect(await t.db.selectFrom('share_links').selectAll().execute()).toEqual([]);
  });
});

// --- opening -------------------------------------------------------------------------------

describe('opening a share link', () => {
  it('when an anonymous visitor posts the token, then they get a read-only organisatie session for that organisation', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);

    // Act
    const res = await openLink(t, link.token);

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      user: { email: null, role: 'organisatie', organisationId: orgA.id },
      csrfToken: expect.any(String),
      via: 'deellink',
    });
    const cookie = sessionCookie(res)?.line ?? null;
    expect(cookie).not.toBeNull();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('when the share session reads, then its own organisation answers 200 and another organisation 404', async () => {
    // Arrange
    const { orgA, orgB } = await arrange();
    await setGear(t.app, orgA.id, '2026-Q4', 3);
    await setGear(t.app, orgB.id, '2026-Q4', 4);
    const client = await openShareLink(t, (await createLink(t, orgA.id)).token);

    // Act
    const own = await client.inject({ method: 'GET', url: `/api/organisations/${orgA.id}/status` });
    const other = await client.inject({ method: 'GET', url: `/api/organisations/${orgB.id}/status` });
    const missing = await client.inject({ method: 'GET', url: '/api/organisations/99999/status' });
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });

    // Assert
    expect(own.statusCode, own.body).toBe(200);
    expectError(other, 404, 'organisation_not_found');
    expect(other.body).not.toContain('Ziekenhuis B');
    // Another organisation answers exactly like one that does not exist, apart from the id.
    expect(other.json().error.code).toBe(missing.json().error.code);
    expect(me.json()).toMatchObject({
      user: { email: null, role: 'organisatie', organisationId: orgA.id },
      via: 'deellink',
    });
  });

  it('when the share session tries to change something, then it answers 403 and nothing is written', async () => {
    // Arrange
    const { orgA } = await arrange();
    const client = await openShareLink(t, (await createLink(t, orgA.id)).token);

    // Act
    const gear = await client.inject({
      method: 'PUT',
      url: `/api/organisations/${orgA.id}/gears/2026-Q4`,
      payload: { gear: 5 },
    });
    const link = await client.inject({
      method: 'POST',
      url: `/api/organisations/${orgA.id}/share-links`,
      payload: {},
    });

    // Assert
    expectError(gear, 403, 'forbidden');
    expectError(link, 403, 'forbidden');
    expect(await t.db.selectFrom('quickscans').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('share_links').selectAll().execute()).toHaveLength(1);
  });

  it('when the link is opened in a browser at /s/<token>, then it sets the session cookie and opens the organisation page', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);

    // Act
    const res = await t.anonymous({ method: 'GET', url: `/s/${link.token}` });

    // Assert
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/mijn-versnelling');
    const cookie = sessionCookie(res)?.value ?? null;
    expect(cookie).toBeTruthy();
    expect(sessionCookie(res)?.line ?? null).toMatch(/HttpOnly/i);
    // The page asks who is signed in: the link's organisation, read-only.
    const session = await t.anonymous({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `vpt_sessie=${cookie}` },
    });
    expect(session.json().session).toMatchObject({
      user: { role: 'organisatie', organisationId: orgA.id },
      via: 'deellink',
    });
    const status = await t.anonymous({
      method: 'GET',
      url: `/api/organisations/${orgA.id}/status`,
      headers: { cookie: `vpt_sessie=${cookie}` },
    });
    expect(status.statusCode, status.body).toBe(200);
  });

  it('when the token is unknown, then both ways of opening answer 404', async () => {
    // Arrange
    await arrange();
    const madeUp = 'A'.repeat(43);

    // Act
    const api = await openLink(t, madeUp);
    const browser = await t.anonymous({ method: 'GET', url: `/s/${madeUp}` });

    // Assert
    expectError(api, 404, 'share_link_not_found');
    expect(browser.statusCode).toBe(404);
    expect(sessionCookie(api)).toBeNull();
    expect(sessionCookie(browser)).toBeNull();
  });
});

// --- revoking and expiry -------------------------------------------------------------------

describe('DELETE /api/share-links/:id', () => {
  it('when a link is revoked, then its token answers 404 and the session already opened with it ends at once', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);
    const client = await openShareLink(t, link.token);
    expect(
      (await client.inject({ method: 'GET', url: `/api/organisations/${orgA.id}/status` })).statusCode,
    ).toBe(200);

    // Act
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/share-links/${link.id}` });

    // Assert
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: link.id, active: false, revokedAt: TEST_NOW.toISOString() });
    expectError(await openLink(t, link.token), 404, 'share_link_not_found');
    expect((await t.anonymous({ method: 'GET', url: `/s/${link.token}` })).statusCode).toBe(404);
    expectError(
      await client.inject({ method: 'GET', url: `/api/organisations/${orgA.id}/status` }),
      401,
      'unauthenticated',
    );
  });

  it('when a revoked link is opened, then the answer is identical to an unknown token', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);
    await call(t.app, { method: 'DELETE', url: `/api/share-links/${link.id}` }, 200);

    // Act
    const revoked = await openLink(t, link.token);
    const unknown = await openLink(t, 'B'.repeat(43));

    // Assert
    expect(revoked.statusCode).toBe(404);
    expect(revoked.body).toBe(unknown.body);
  });

  it('when a revoked link is opened in a browser, then the page says so with a 404 and no session', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);
    await call(t.app, { method: 'DELETE', url: `/api/share-links/${link.id}` }, 200);

    // Act
    const res = await t.anonymous({
      method: 'GET',
      url: `/s/${link.token}`,
      headers: { accept: 'text/html,application/xhtml+xml' },
    });

    // Assert: the app's page (which shows "Deze deellink werkt niet (meer)"), not a JSON error.
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<main id="main"');
    expect(sessionCookie(res)?.value ?? null).toBeNull();
  });

  it('when a link is revoked twice, then the second time answers 409', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);
    await call(t.app, { method: 'DELETE', url: `/api/share-links/${link.id}` }, 200);

    // Act
    const again = await t.app.inject({ method: 'DELETE', url: `/api/share-links/${link.id}` });

    // Assert
    expectError(again, 409, 'already_revoked');
  });

  it('when the link does not exist, then it answers 404', async () => {
    // Arrange
    await arrange();

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: '/api/share-links/99999' });

    // Assert
    expectError(res, 404, 'share_link_not_found');
  });

  it('when one of two links is revoked, then the other keeps working', async () => {
    // Arrange
    const { orgA } = await arrange();
    const keep = await createLink(t, orgA.id);
    const drop = await createLink(t, orgA.id);
    const kept = await openShareLink(t, keep.token);

    // Act
    await call(t.app, { method: 'DELETE', url: `/api/share-links/${drop.id}` }, 200);

    // Assert
    expect((await openLink(t, keep.token)).statusCode).toBe(200);
    expect((await kept.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });

  it('when links are created and revoked, then the change history names the projectleider', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id);
    await call(t.app, { method: 'DELETE', url: `/api/share-links/${link.id}` }, 200);

    // Act
    const { items } = await call<{ items: Array<{ action: string; actor: string; entityId: number }> }>(
      t.app,
      { method: 'GET', url: '/api/audit?entity=share_link' },
      200,
    );

    // Assert
    expect(items.map((i) => [i.action, i.entityId, i.actor])).toEqual([
      ['revoke', link.id, 'projectleider@test.example.org'],
      ['create', link.id, 'projectleider@test.example.org'],
    ]);
    expect(JSON.stringify(items)).not.toContain(link.token);
  });
});

describe('share-link expiry', () => {
  it('when the link is opened just before its expiry, then it still works', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id, { expiresInDays: 1 });
    now = new Date(TEST_NOW.getTime() + DAY - 60_000);

    // Act
    const res = await openLink(t, link.token);

    // Assert
    expect(res.statusCode, res.body).toBe(200);
  });

  it('when the clock passes expiresInDays, then the token answers 404 both ways', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id, { expiresInDays: 1 });
    now = new Date(TEST_NOW.getTime() + DAY + 1);

    // Act
    const api = await openLink(t, link.token);
    const browser = await t.anonymous({ method: 'GET', url: `/s/${link.token}` });

    // Assert
    expectError(api, 404, 'share_link_not_found');
    expect(browser.statusCode).toBe(404);
    const listed = await call<Array<{ active: boolean }>>(
      t.app,
      { method: 'GET', url: `/api/organisations/${orgA.id}/share-links` },
      200,
    );
    expect(listed.map((l) => l.active)).toEqual([false]);
  });

  it('when a session opened with the link is still in use as the link expires, then that session ends too', async () => {
    // Arrange
    const { orgA } = await arrange();
    const link = await createLink(t, orgA.id, { expiresInDays: 1 });
    now = new Date(TEST_NOW.getTime() + DAY - 5 * 60_000);
    const client = await openShareLink(t, link.token);
    now = new Date(TEST_NOW.getTime() + DAY + 60_000);

    // Act
    const res = await client.inject({ method: 'GET', url: `/api/organisations/${orgA.id}/status` });

    // Assert
    expectError(res, 401, 'unauthenticated');
  });
});
