import { loadConfig } from '../../server/config.ts';
import { idSchema } from '../../server/contracts/common.contract.ts';
import { createInvitationBody } from '../../server/contracts/invitation.contract.ts';
import { formatDateTime } from '../../server/domain/date-format.ts';
import { ValidationError } from '../../server/errors.ts';
import { createMailer } from '../../server/mail/mailer.ts';
import {
  createInvitation,
  createResetLink,
  type LinkDelivery,
} from '../../server/services/invitations.service.ts';
import type { CommandRun } from './commands.ts';
import { UsageError } from './io.ts';

/** An id typed on the command line, or a Dutch refusal naming it. */
function idArgument(raw: string | undefined, what: string): number {
  if (raw === undefined || raw.trim() === '') throw new UsageError(`${what} ontbreekt`);
  const parsed = idSchema.safeParse(raw.trim());
  if (!parsed.success) {
    throw new ValidationError(`${what} '${raw}' is geen geldig id: gebruik een positief geheel getal`);
  }
  return parsed.data;
}

/**
 * Runs `work` with the configured way of delivering links: mail when SMTP_URL is set (closed
 * afterwards), otherwise none, and the link is printed to pass on.
 */
async function withDelivery<T>(
  io: CommandRun['io'],
  work: (delivery: LinkDelivery) => Promise<T>,
): Promise<T> {
  const config = loadConfig(io.env);
  const mailer = createMailer(config.mail);
  try {
    return await work({
      publicUrl: config.publicUrl,
      regionName: config.regionName,
      mailer,
      invitedBy: null,
      onMailError: (err) =>
        io.stderr(`let op: de mail kon niet worden verstuurd: ${(err as Error).message}\n`),
    });
  } finally {
    mailer?.close();
  }
}

/** The link in a few Dutch lines: where it goes, whether it was mailed, until when it works. */
function linkText(
  what: string,
  r: { link: string; expiresAt: string; mailed: boolean; email: string },
): string {
  return [
    `${what} voor ${r.email}, geldig tot ${formatDateTime(r.expiresAt)}, eenmalig te gebruiken:`,
    '',
    `  ${r.link}`,
    '',
    r.mailed
      ? `de link is ook per mail naar ${r.email} gestuurd`
      : 'de link is niet gemaild: geef hem op een veilige manier door (alleen nu te zien)',
  ].join('\n');
}

/**
 * `user invite --email E --role R [--organisation ID] [--json]`, for the command table in
 * commands.ts: `'user invite': command(userInviteCommand)`. Prints `{ link, expiresAt, … }`.
 */
export const userInviteCommand = {
  usage: 'user invite --email E --role projectleider|bestuur|organisatie [--organisation ID] [--json]',
  summary:
    'iemand uitnodigen: een eenmalige link (7 dagen geldig) waar hij of zij zelf een wachtwoord kiest; ' +
    'gemaild als SMTP_URL is ingesteld, anders om door te geven',
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    organisation: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async (
    { ctx, io }: CommandRun,
    values: { email?: string; role?: string; organisation?: string; json?: boolean },
  ): Promise<void> => {
    if (!values.email?.trim()) throw new UsageError('--email is verplicht');
    if (!values.role?.trim()) throw new UsageError('--role is verplicht');
    const body = createInvitationBody.parse({
      email: values.email,
      role: values.role,
      organisationId:
        values.organisation === undefined ? undefined : idArgument(values.organisation, '--organisation'),
    });
    const created = await withDelivery(io, (delivery) => createInvitation(ctx, body, delivery));
    io.stdout(
      values.json ? `${JSON.stringify(created, null, 2)}\n` : `${linkText('uitnodiging', created)}\n`,
    );
  },
} as const;

/**
 * `user reset-link ID [--json]`, for the command table in commands.ts:
 * `'user reset-link': command(userResetLinkCommand)`. Prints `{ link, expiresAt, … }`.
 */
export const userResetLinkCommand = {
  usage: 'user reset-link ID [--json]',
  summary:
    'een resetlink voor een vergeten wachtwoord (7 dagen geldig, eenmalig); gebruiken beëindigt de sessies van het account',
  options: { json: { type: 'boolean' } },
  positionals: 1,
  run: async ({ ctx, io }: CommandRun, values: { json?: boolean }, [raw]: string[]): Promise<void> => {
    const userId = idArgument(raw, 'het id van het account');
    const created = await withDelivery(io, (delivery) => createResetLink(ctx, userId, delivery));
    io.stdout(values.json ? `${JSON.stringify(created, null, 2)}\n` : `${linkText('resetlink', created)}\n`);
  },
} as const;
