import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import type { CreatedInvitation, ResetLink } from '../../server/contracts/invitation.contract.ts';
import { buildTestApp, insertTestUser, TEST_NOW, type TestApp } from '../helpers.ts';
import { call } from '../http/fixtures.ts';

/** A mail as the SMTP server received it. */
interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** A real SMTP server on a free local port, keeping what it receives (plain, with a login). */
async function startSmtpSink(): Promise<{ server: SMTPServer; port: number; mails: Received[] }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    // No certificate on a test port: plain SMTP, with the login allowed over it.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'regio' && auth.password === 'geheim') callback(null, { user: auth.username });
      else callback(new Error('verkeerde login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, mails };
}

/** The headers (unfolded) and the text of a plain mail, its quoted-printable decoded. */
function readMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers, text: body.replace(/\r\n/g, '\n') };
}

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let t: TestApp;

beforeEach(async () => {
  smtp = await startSmtpSink();
  const config = loadConfig({
    SMTP_URL: `smtp://regio:geheim@127.0.0.1:${smtp.port}`,
    MAIL_FROM: 'VPT Hollands Midden <noreply@regio.example>',
    PUBLIC_URL: 'https://vpt.regio.example',
    REGION_NAME: 'Hollands Midden',
  });
  t = await buildTestApp({
    config: { mail: config.mail, publicUrl: config.publicUrl, regionName: config.regionName },
  });
});
afterEach(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
});

describe('mail with SMTP configured', () => {
  it('when a person is invited, then they get a Dutch mail with the link and the date it stops working', async () => {
    const inv = await call<CreatedInvitation>(
      t.app,
      {
        method: 'POST',
        url: '/api/invitations',
        payload: { email: 'nieuw@eigenstad.example', role: 'bestuur' },
      },
      201,
    );
    expect(inv.mailed).toBe(true);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['nieuw@eigenstad.example']);
    expect(mail.from).toBe('noreply@regio.example');
    expect(mail.user).toBe('regio');
    const { headers, text } = readMail(mail.raw);
    expect(headers.to).toBe('nieuw@eigenstad.example');
    expect(headers.subject).toBe('Uitnodiging voor het VPT-schakelmodel van Hollands Midden');
    expect(text).toContain(
      'projectleider@test.example.org nodigt u uit voor het VPT-schakelmodel van Hollands Midden',
    );
    expect(text).toContain(inv.link);
    expect(inv.link).toMatch(/^https:\/\/vpt\.regio\.example\/uitnodiging#/);
    // TEST_NOW + 7 days = 22 November 2026, 11:00 in Dutch time; a Dutch date, not ISO.
    expect(inv.expiresAt).toBe(new Date(TEST_NOW.getTime() + 7 * 86_400_000).toISOString());
    expect(text).toContain('geldig tot 22 november 2026 om 11:00');
    expect(text).not.toContain(inv.expiresAt);
    expect(text).toContain('De link werkt één keer');
  });

  it('when a reset link is made, then the account gets a mail about a new password', async () => {
    const userId = await insertTestUser(t.db, 'vergeten@regio.example', 'bestuur');
    const link = await call<ResetLink>(
      t.app,
      { method: 'POST', url: `/api/users/${userId}/reset-link` },
      201,
    );
    expect(link.mailed).toBe(true);
    const { headers, text } = readMail(smtp.mails[0]!.raw);
    expect(headers.subject).toBe('Nieuw wachtwoord voor het VPT-schakelmodel van Hollands Midden');
    expect(text).toContain(link.link);
    expect(text).toContain('nieuw wachtwoord');
  });

  it('when the mail server cannot be reached, then the invitation is still made and the link is shown to copy', async () => {
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    const inv = await call<CreatedInvitation>(
      t.app,
      {
        method: 'POST',
        url: '/api/invitations',
        payload: { email: 'nieuw@eigenstad.example', role: 'bestuur' },
      },
      201,
    );
    expect(inv.mailed).toBe(false);
    expect(inv.link).toMatch(/^https:\/\/vpt\.regio\.example\/uitnodiging#[A-Za-z0-9_-]{43}$/);
    smtp = await startSmtpSink();
  });
});
