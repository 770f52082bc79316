import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../server/contracts/auth.contract.ts';
import type {
  CreatedInvitation,
  Invitation,
  InvitationInfo,
  ResetLink,
} from '../../server/contracts/invitation.contract.ts';
import { hashToken } from '../../server/security/tokens.ts';
import {
  buildTestApp,
  insertTestUser,
  startTestSession,
  TEST_NOW,
  TEST_PASSWORD,
  type TestApp,
} from '../helpers.ts';
import {
  call,
  clientFrom,
  clientOf,
  createOrg,
  expectError,
  expectFieldError,
  injectAs,
  postLogin,
} from './fixtures.ts';

const DAY = 86_400_000;
const NEW_PASSWORD = 'een eigen lang wachtwoord';

let t: TestApp;
let now: Date;

beforeEach(async () => {
  now = TEST_NOW;
  t = await buildTestApp({
    now: () => now,
    config: { publicUrl: 'https://vpt.regio.example', sessionIdleMs: 30 * DAY },
  });
});
afterEach(async () => {
  await t.close();
});

function invite(payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/invitations', payload });
}

async function invited(payload: Record<string, unknown>): Promise<CreatedInvitation & { token: string }> {
  const res = await invite(payload);
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as CreatedInvitation;
  return { ...body, token: tokenOf(body.link) };
}

/** The token is the part after '#': a fragment never reaches the server's logs. */
function tokenOf(link: string): string {
  const match = /^https:\/\/vpt\.regio\.example\/uitnodiging#([A-Za-z0-9_-]{43})$/.exec(link);
  expect(match, link).not.toBeNull();
  return match![1]!;
}

function lookup(token: string) {
  return t.anonymous({ method: 'POST', url: '/api/invitations/by-token', payload: { token } });
}

function accept(token: string, password = NEW_PASSWORD) {
  return t.anonymous({ method: 'POST', url: '/api/invitations/accept', payload: { token, password } });
}

describe('inviting a person', () => {
  it('when a person is invited and uses the link, then they choose their password and are signed in', async () => {
    const org = await createOrg(t.app, { name: 'Gemeente Eigenstad', memberFrom: '2016-Q1' });
    const inv = await invited({
      email: 'Nieuw@Eigenstad.example',
      role: 'organisatie',
      organisationId: org.id,
    });
    expect(inv).toMatchObject({
      email: 'Nieuw@Eigenstad.example',
      role: 'organisatie',
      organisationId: org.id,
      expiresAt: new Date(TEST_NOW.getTime() + 7 * DAY).toISOString(),
      mailed: false,
    });

    const info = await lookup(inv.token);
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toEqual({
      purpose: 'invite',
      email: 'Nieuw@Eigenstad.example',
      role: 'organisatie',
      organisationName: 'Gemeente Eigenstad',
      expiresAt: inv.expiresAt,
    } satisfies InvitationInfo);

    const res = await accept(inv.token);
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as Session).user).toEqual({
      email: 'Nieuw@Eigenstad.example',
      role: 'organisatie',
      organisationId: org.id,
    });
    const client = clientFrom(t, res);
    const me = await client.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.json().user.email).toBe('Nieuw@Eigenstad.example');
    // The chosen password works for signing in later.
    expect((await postLogin(t, 'nieuw@eigenstad.example', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('when an invitation is made, then only the hash of its token is stored', async () => {
    const inv = await invited({ email: 'b@regio.example', role: 'bestuur' });
    const rows = await t.db.selectFrom('invitations').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashToken(inv.token));
    expect(JSON.stringify(rows)).not.toContain(inv.token);
  });

  it('when a link has been used once, then it is refused the second time with one Dutch message', async () => {
    const inv = await invited({ email: 'b@regio.example', role: 'bestuur' });
    expect((await accept(inv.token)).statusCode).toBe(201);
    const again = expectError(await accept(inv.token, 'nog een ander wachtwoord'), 404, 'invitation_invalid');
    expect(again.error.message).toMatch(/vraag de projectleider om een nieuwe link/);
    expectError(await lookup(inv.token), 404, 'invitation_invalid');
  });

  it('when seven days have passed, then the link no longer works and is not listed as open', async () => {
    const inv = await invited({ email: 'b@regio.example', role: 'bestuur' });
    now = new Date(TEST_NOW.getTime() + 7 * DAY - 60_000);
    expect((await lookup(inv.token)).statusCode).toBe(200);
    now = new Date(TEST_NOW.getTime() + 7 * DAY);
    expectError(await lookup(inv.token), 404, 'invitation_invalid');
    expectError(await accept(inv.token), 404, 'invitation_invalid');
    expect(await call<Invitation[]>(t.app, { method: 'GET', url: '/api/invitations' }, 200)).toEqual([]);
    expect(
      await t.db.selectFrom('users').select('id').where('email', '=', 'b@regio.example').execute(),
    ).toEqual([]);
  });

  it('when an invitation is revoked, then its link answers exactly like an unknown one', async () => {
    const inv = await invited({ email: 'b@regio.example', role: 'bestuur' });
    const list = await call<Invitation[]>(t.app, { method: 'GET', url: '/api/invitations' }, 200);
    expect(list.map((i) => i.id)).toEqual([inv.id]);
    expect(JSON.stringify(list)).not.toContain(inv.token);
    await call(t.app, { method: 'DELETE', url: `/api/invitations/${inv.id}` }, 204);
    const revoked = await accept(inv.token);
    const unknown = await accept('A'.repeat(43));
    expectError(revoked, 404, 'invitation_invalid');
    expect(revoked.body).toBe(unknown.body);
    expectError(
      await t.app.inject({ method: 'DELETE', url: `/api/invitations/${inv.id}` }),
      409,
      'already_revoked',
    );
    expectError(
      await t.app.inject({ method: 'DELETE', url: '/api/invitations/999' }),
      404,
      'invitation_not_found',
    );
  });

  it('when the same address is invited again, then the earlier link stops working', async () => {
    const first = await invited({ email: 'b@regio.example', role: 'bestuur' });
    const second = await invited({ email: 'B@Regio.example', role: 'projectleider' });
    expectError(await lookup(first.token), 404, 'invitation_invalid');
    const list = await call<Invitation[]>(t.app, { method: 'GET', url: '/api/invitations' }, 200);
    expect(list.map((i) => i.id)).toEqual([second.id]);
    expect((await accept(second.token)).json().user.role).toBe('projectleider');
  });

  it('when the address already has an account, then the invitation is refused next to the email field', async () => {
    await insertTestUser(t.db, 'bestaand@regio.example', 'bestuur');
    const body = expectFieldError(
      await invite({ email: 'Bestaand@regio.example', role: 'bestuur' }),
      409,
      'duplicate_email',
      'email',
    );
    expect(body.error.message).toMatch(/er bestaat al een account met e-mailadres/);
    expect(await t.db.selectFrom('invitations').selectAll().execute()).toEqual([]);
  });

  it('when the role organisatie has no organisation, then the invitation is refused next to that field', async () => {
    expectFieldError(
      await invite({ email: 'o@regio.example', role: 'organisatie' }),
      400,
      'organisation_required',
      'organisationId',
    );
  });

  it('when the chosen password is too weak, then it is refused next to the field and the link keeps working', async () => {
    const inv = await invited({ email: 'b@regio.example', role: 'bestuur' });
    expectFieldError(await accept(inv.token, 'wachtwoord123'), 400, 'weak_password', 'password');
    expectFieldError(await accept(inv.token, 'kort'), 400, 'weak_password', 'password');
    expect((await accept(inv.token)).statusCode).toBe(201);
  });

  it('when a link is made, used and revoked, then the history records it without ever holding the token', async () => {
    const used = await invited({ email: 'b@regio.example', role: 'bestuur' });
    const revoked = await invited({ email: 'c@regio.example', role: 'bestuur' });
    await accept(used.token);
    await call(t.app, { method: 'DELETE', url: `/api/invitations/${revoked.id}` }, 204);
    const rows = await t.db.selectFrom('revisions').selectAll().orderBy('id').execute();
    const all = JSON.stringify(rows);
    for (const token of [used.token, revoked.token]) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(hashToken(token));
    }
    expect(rows.map((r) => [r.entity, r.action, r.actor])).toEqual([
      ['invitation', 'create', 'projectleider@test.example.org'],
      ['invitation', 'create', 'projectleider@test.example.org'],
      ['user', 'create', 'b@regio.example'],
      ['invitation', 'revoke', 'projectleider@test.example.org'],
    ]);
  });
});

describe('a reset link for a forgotten password', () => {
  it('when the reset link is used, then the new password works, the old one does not, and old sessions end', async () => {
    const userId = await insertTestUser(t.db, 'vergeten@regio.example', 'bestuur');
    const old = clientOf(t, await startTestSession(t.app, userId));
    expect((await old.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);

    const link = await call<ResetLink>(
      t.app,
      { method: 'POST', url: `/api/users/${userId}/reset-link` },
      201,
    );
    expect(link).toMatchObject({ email: 'vergeten@regio.example', mailed: false });
    const token = tokenOf(link.link);
    expect((await lookup(token)).json()).toMatchObject({ purpose: 'reset', email: 'vergeten@regio.example' });

    const res = await accept(token);
    expect(res.statusCode, res.body).toBe(200);
    const fresh = clientFrom(t, res);
    expect((await fresh.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await old.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await postLogin(t, 'vergeten@regio.example', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await postLogin(t, 'vergeten@regio.example', NEW_PASSWORD)).statusCode).toBe(200);
    expectError(await accept(token, 'nog een ander wachtwoord'), 404, 'invitation_invalid');

    const reset = await t.db
      .selectFrom('revisions')
      .selectAll()
      .where('entity', '=', 'user')
      .where('action', '=', 'password_reset')
      .execute();
    expect(reset.map((r) => [r.entity_id, r.actor])).toEqual([[userId, 'vergeten@regio.example']]);
  });

  it('when a second reset link is made, then the first stops working', async () => {
    const userId = await insertTestUser(t.db, 'vergeten@regio.example', 'bestuur');
    const first = await call<ResetLink>(
      t.app,
      { method: 'POST', url: `/api/users/${userId}/reset-link` },
      201,
    );
    await call<ResetLink>(t.app, { method: 'POST', url: `/api/users/${userId}/reset-link` }, 201);
    expectError(await lookup(tokenOf(first.link)), 404, 'invitation_invalid');
  });

  it('when the password is set another way or the account is disabled, then an open reset link stops working (also after enabling again)', async () => {
    const userId = await insertTestUser(t.db, 'vergeten@regio.example', 'bestuur');
    const link = (url: string) => call<ResetLink>(t.app, { method: 'POST', url }, 201);
    const first = await link(`/api/users/${userId}/reset-link`);
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/users/${userId}/password`,
        payload: { password: 'een ander lang wachtwoord' },
      },
      200,
    );
    expectError(await lookup(tokenOf(first.link)), 404, 'invitation_invalid');

    const second = await link(`/api/users/${userId}/reset-link`);
    await call(t.app, { method: 'PATCH', url: `/api/users/${userId}`, payload: { disabled: true } }, 200);
    await call(t.app, { method: 'PATCH', url: `/api/users/${userId}`, payload: { disabled: false } }, 200);
    expectError(await accept(tokenOf(second.link)), 404, 'invitation_invalid');
  });

  it('when the account is unknown or disabled, then no reset link is made', async () => {
    expectError(
      await t.app.inject({ method: 'POST', url: '/api/users/999/reset-link' }),
      404,
      'user_not_found',
    );
    const userId = await insertTestUser(t.db, 'uit@regio.example', 'bestuur');
    await call(t.app, { method: 'PATCH', url: `/api/users/${userId}`, payload: { disabled: true } }, 200);
    expectError(
      await t.app.inject({ method: 'POST', url: `/api/users/${userId}/reset-link` }),
      409,
      'user_disabled',
    );
  });

  it('when the account has two-factor sign-in, then the reset link sets the password but the code is still asked', async () => {
    const userId = await insertTestUser(t.db, 'twee@regio.example', 'bestuur');
    await t.db
      .updateTable('users')
      .set({ totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled_at: TEST_NOW.toISOString() })
      .where('id', '=', userId)
      .execute();
    const link = await call<ResetLink>(
      t.app,
      { method: 'POST', url: `/api/users/${userId}/reset-link` },
      201,
    );
    const res = await accept(tokenOf(link.link));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ twoFactor: 'required' });
    expect(res.headers['set-cookie'] ?? '').not.toMatch(/vpt_sessie=[^;]/);
  });
});

describe('who may make links', () => {
  it('when the bestuur or an organisatie account tries, then it gets 403 and nothing is made', async () => {
    const org = await createOrg(t.app, { name: 'Gemeente Eigenstad', memberFrom: '2016-Q1' });
    const userId = await insertTestUser(t.db, 'iemand@regio.example', 'bestuur');
    for (const who of ['bestuur', { organisatie: org.id }] as const) {
      const requests = [
        { method: 'GET' as const, url: '/api/invitations' },
        {
          method: 'POST' as const,
          url: '/api/invitations',
          payload: { email: 'x@regio.example', role: 'projectleider' },
        },
        { method: 'DELETE' as const, url: '/api/invitations/1' },
        { method: 'POST' as const, url: `/api/users/${userId}/reset-link` },
      ];
      for (const request of requests) expectError(await injectAs(t, who, request), 403, 'forbidden');
    }
    expect(await t.db.selectFrom('invitations').selectAll().execute()).toEqual([]);
  });

  it('when nobody is signed in, then making links answers 401 and using one needs no session', async () => {
    expectError(
      await t.anonymous({
        method: 'POST',
        url: '/api/invitations',
        payload: { email: 'x@regio.example', role: 'bestuur' },
      }),
      401,
      'unauthenticated',
    );
    expectError(await lookup('A'.repeat(43)), 404, 'invitation_invalid');
  });
});
