import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, loadConfig } from '../server/config.ts';

describe('PUBLIC_URL and the address the server listens on', () => {
  it.each(['127.0.0.1', '::1', '[::1]', 'localhost', 'LOCALHOST', '127.0.1.1'])(
    'when HOST is the loopback address %s, then PUBLIC_URL may be left out and links point to localhost',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
      expect(loadConfig({ HOST: host, PORT: '3100' }).publicUrl).toBe('http://localhost:3100');
    },
  );

  it.each(['0.0.0.0', '192.168.1.20', '::', 'vpt.regio.nl'])(
    'when HOST is %s without PUBLIC_URL, then the start is refused with a Dutch message naming PUBLIC_URL',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
      const start = () => loadConfig({ HOST: host });
      expect(start).toThrow(ConfigError);
      expect(start).toThrow(
        /PUBLIC_URL: verplicht als de server luistert op een ander adres dan 127\.0\.0\.1, ::1 of localhost/,
      );
    },
  );

  it('when HOST is public and PUBLIC_URL is given, then links use it without a trailing slash', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'https://vpt.regio.nl/' }).publicUrl).toBe(
      'https://vpt.regio.nl',
    );
  });
});

describe('SMTP_URL and MAIL_FROM', () => {
  it('when no SMTP_URL is set, then no mail is sent (links are shown to copy)', () => {
    expect(loadConfig({}).mail).toBeNull();
  });

  it('when SMTP_URL and MAIL_FROM are set, then mail goes through that server', () => {
    const config = loadConfig({
      SMTP_URL: 'smtp://regio:geheim@mail.regio.nl:587',
      MAIL_FROM: 'noreply@regio.nl',
      PUBLIC_URL: 'https://vpt.regio.nl',
    });
    expect(config.mail).toEqual({
      smtpUrl: 'smtp://regio:geheim@mail.regio.nl:587',
      from: 'noreply@regio.nl',
    });
  });

  it('when SMTP_URL is set without PUBLIC_URL, then the start is refused: mailed links would point to localhost', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.regio.nl:587', MAIL_FROM: 'noreply@regio.nl' })).toThrow(
      /PUBLIC_URL: verplicht als SMTP_URL is ingesteld/,
    );
  });

  it('when SMTP_URL is set without MAIL_FROM, then the start is refused naming MAIL_FROM', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.regio.nl:587' })).toThrow(
      /MAIL_FROM: verplicht als SMTP_URL/,
    );
  });

  it('when SMTP_URL is not an smtp address, then the start is refused without repeating its password', () => {
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'https://regio:geheim@mail.regio.nl', MAIL_FROM: 'noreply@regio.nl' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/SMTP_URL: SMTP_URL moet een smtp:\/\/- of smtps:\/\/-adres zijn/);
    expect(message).not.toContain('geheim');
  });
});
