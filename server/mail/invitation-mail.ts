import { formatDate } from '../domain/date-format.ts';
import { TIME_ZONE } from '../domain/quarter.ts';
import type { MailMessage } from './mailer.ts';

const clock = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });

/** "22 november 2026 om 11:00", in the region's time zone. */
function until(iso: string): string {
  return `${formatDate(iso)} om ${clock.format(new Date(iso))}`;
}

/** What an invitation or reset mail says. */
export interface InvitationMailInput {
  purpose: 'invite' | 'reset';
  to: string;
  /** Who made the link (their email), or null when it came from the command line. */
  invitedBy: string | null;
  regionName: string;
  link: string;
  expiresAt: string;
}

/** The Dutch mail with the one-time link: who sent it, for which region, and until when it works. */
export function invitationMail(input: InvitationMailInput): MailMessage {
  const who = input.invitedBy ?? `de projectleider van ${input.regionName}`;
  const common = [
    '',
    input.link,
    '',
    `De link werkt één keer en is geldig tot ${until(input.expiresAt)}. Daarna vraagt u de projectleider om een nieuwe link.`,
    'Kies een wachtwoord van minstens 12 tekens; een zin van een paar woorden is sterk en goed te onthouden.',
    '',
    'Heeft u dit niet verwacht? Dan kunt u deze mail negeren: er gebeurt niets zolang niemand de link opent.',
  ];
  if (input.purpose === 'invite') {
    return {
      to: input.to,
      subject: `Uitnodiging voor het VPT-schakelmodel van ${input.regionName}`,
      text: [
        'Goedendag,',
        '',
        `${who} nodigt u uit voor het VPT-schakelmodel van ${input.regionName}.`,
        'Via deze link kiest u zelf uw wachtwoord; daarna bent u meteen ingelogd:',
        ...common,
      ].join('\n'),
    };
  }
  return {
    to: input.to,
    subject: `Nieuw wachtwoord voor het VPT-schakelmodel van ${input.regionName}`,
    text: [
      'Goedendag,',
      '',
      `${who} heeft een link voor u gemaakt om een nieuw wachtwoord te kiezen voor het VPT-schakelmodel van ${input.regionName}.`,
      'Via deze link kiest u uw nieuwe wachtwoord; wie nog met uw account is ingelogd, wordt dan uitgelogd:',
      ...common,
    ].join('\n'),
  };
}
