import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { REQUIRE_TWO_FACTOR, type RequireTwoFactor } from './contracts/auth.contract.ts';
import { SCHAKELMODEL_V2 } from './domain/models/schakelmodel-v2.ts';
import { type Schakelmodel, schakelmodelSchema } from './domain/schakelmodel.ts';

export interface Config {
  databasePath: string;
  host: string;
  port: number;
  regionName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** The active schakelmodel: the built-in version 2, or the region's own file from SCHAKELMODEL_PATH. */
  model: Schakelmodel;
  /** Where the model came from, for the start-up log. */
  modelSource: string;
  /** A session ends after this much inactivity. */
  sessionIdleMs: number;
  /** Secure cookies: always, never, or when the request came in over https (`auto`, behind a proxy with TRUST_PROXY). */
  cookieSecure: 'auto' | 'always' | 'never';
  /** Fastify's trustProxy: false, true, a hop count, or addresses/CIDRs of the proxy. */
  trustProxy: boolean | number | string;
  /**
   * The address people use to reach the app, for the setup, share and invitation links; default
   * http://localhost:PORT, required when HOST is not a loopback address.
   */
  publicUrl: string;
  /** Outgoing mail (invitations, reset links): an smtp(s):// address and the sender; null: links are shown to copy. */
  mail: { smtpUrl: string; from: string } | null;
  /**
   * Sign-in limits, counting failures only (server/security/login-throttle.ts): failed attempts per
   * IP address in each window; failures of one account before each further attempt must wait
   * (2, 4, 8 … seconds, at most one window); failed share-link opens per IP address, counted apart.
   */
  loginLimitPerIp: number;
  loginLimitPerAccount: number;
  loginLimitWindowMs: number;
  loginLimitSharePerIp: number;
  /** Who must sign in with a second step (TOTP): nobody, projectleiders, or every account. */
  requireTwoFactor: RequireTwoFactor;
  /** Scheduled backups: where, how often and how many to keep; off when `backupDir` is null. */
  backup: { dir: string; everyHours: number; keep: number } | null;
}

const envSchema = z.object({
  DATABASE_PATH: z.string().trim().min(1).default('data/vpt.sqlite'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'gebruik een poortnummer van 1 tot 65535')
    .default('3000')
    .transform(Number)
    .pipe(z.number().int().min(1).max(65535)),
  REGION_NAME: z.string().trim().min(1).max(100).default('VPT-regio'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  SCHAKELMODEL_PATH: z.string().trim().min(1).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(8 * 60),
  COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  TRUST_PROXY: z.string().trim().min(1).default('false'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_URL moet een http(s)-adres zijn' }).optional(),
  // Failed attempts only: an office of people signing in behind one address stays far below.
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(300),
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(5),
  LOGIN_LIMIT_SHARE_PER_IP: z.coerce.number().int().min(1).max(100_000).default(300),
  LOGIN_LIMIT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  REQUIRE_2FA: z.enum(REQUIRE_TWO_FACTOR).default('off'),
  BACKUP_DIR: z.string().trim().min(1).optional(),
  BACKUP_EVERY_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(14),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error:
        'SMTP_URL moet een smtp://- of smtps://-adres zijn, bijvoorbeeld smtp://gebruiker:wachtwoord@mail.regio.nl:587',
    })
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(254).optional(),
});

/** Addresses only this machine can reach: there a link to localhost works, elsewhere it does not. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function readTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  - ${i.path.join('.') || '(geheel)'}: ${i.message}`).join('\n');
}

/** Reads and validates a region's model file; the message says what to fix. */
export function loadModelFile(path: string): Schakelmodel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`SCHAKELMODEL_PATH: kan '${path}' niet lezen als JSON: ${(e as Error).message}`);
  }
  const parsed = schakelmodelSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `SCHAKELMODEL_PATH: '${path}' is geen geldig schakelmodel:\n${describeIssues(parsed.error)}`,
    );
  }
  return Object.freeze(parsed.data);
}

/** The only place that reads the environment. Throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`ongeldige configuratie:\n${describeIssues(parsed.error)}`);
  const e = parsed.data;
  const problems: string[] = [];
  if (!e.PUBLIC_URL && !isLoopbackHost(e.HOST)) {
    problems.push(
      `  - PUBLIC_URL: verplicht als de server luistert op een ander adres dan 127.0.0.1, ::1 of localhost (HOST=${e.HOST}); ` +
        'geef het adres waarop mensen de app openen, bijvoorbeeld PUBLIC_URL=https://vpt.regio.nl, want de links in uitnodigingen en deellinks wijzen daarheen',
    );
  }
  if (e.SMTP_URL && !e.PUBLIC_URL) {
    problems.push(
      '  - PUBLIC_URL: verplicht als SMTP_URL is ingesteld: de links in de mail moeten wijzen naar het adres waarop mensen de app openen (niet localhost), bijvoorbeeld PUBLIC_URL=https://vpt.regio.nl',
    );
  }
  if (e.SMTP_URL && !e.MAIL_FROM) {
    problems.push(
      '  - MAIL_FROM: verplicht als SMTP_URL is ingesteld: het afzenderadres van de mail, bijvoorbeeld MAIL_FROM="VPT-regio <noreply@regio.nl>"',
    );
  }
  if (problems.length) throw new ConfigError(`ongeldige configuratie:\n${problems.join('\n')}`);
  const model = e.SCHAKELMODEL_PATH ? loadModelFile(e.SCHAKELMODEL_PATH) : SCHAKELMODEL_V2;
  return Object.freeze({
    databasePath: e.DATABASE_PATH,
    host: e.HOST,
    port: e.PORT,
    regionName: e.REGION_NAME,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    model,
    modelSource: e.SCHAKELMODEL_PATH ?? 'ingebouwd (versie 2)',
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: readTrustProxy(e.TRUST_PROXY),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    loginLimitPerIp: e.LOGIN_LIMIT_PER_IP,
    loginLimitPerAccount: e.LOGIN_LIMIT_PER_ACCOUNT,
    loginLimitWindowMs: e.LOGIN_LIMIT_WINDOW_MINUTES * 60_000,
    loginLimitSharePerIp: e.LOGIN_LIMIT_SHARE_PER_IP,
    requireTwoFactor: e.REQUIRE_2FA,
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : null,
    backup: e.BACKUP_DIR
      ? { dir: e.BACKUP_DIR, everyHours: e.BACKUP_EVERY_HOURS, keep: e.BACKUP_KEEP }
      : null,
  });
}

/** A config for tests and tools: defaults, with the given fields replaced. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), logLevel: 'silent', ...overrides };
}
