// An organisation's contact history on its page: when the last house visit was, and every activity
// of the network it took part in, newest first, with a way to log a new one.
import type { Activity } from '../../../server/contracts/network.contract.ts';
import { ACTIVITY_KIND_NAMES } from '../../../server/domain/network-work.ts';
import { localDate } from '../../../server/domain/quarter.ts';
import { get } from '../api.ts';
import { h, notice } from './dom.ts';
import { formatDate } from './format.ts';
import { errorText } from './messages.ts';
import { dataTable } from './table.ts';

/** "vandaag", "2 weken geleden", "3 maanden geleden", "1 jaar en 2 maanden geleden". */
export function agoText(date: string, today: Date = new Date()): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const then = Date.UTC(y, m - 1, d);
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const days = Math.round((now - then) / 86_400_000);
  if (days < 0) return 'gepland';
  if (days === 0) return 'vandaag';
  if (days < 14) return days === 1 ? 'gisteren' : `${days} dagen geleden`;
  if (days < 60) return `${Math.floor(days / 7)} weken geleden`;
  const months = (today.getFullYear() - y) * 12 + (today.getMonth() + 1 - m) - (today.getDate() < d ? 1 : 0);
  if (months < 12) return `${months} maanden geleden`;
  const years = Math.floor(months / 12);
  const rest = months - years * 12;
  return `${years} jaar${rest > 0 ? ` en ${rest} ${rest === 1 ? 'maand' : 'maanden'}` : ''} geleden`;
}

export async function contactHistorySection(
  organisationId: number,
  options: { canLog: boolean },
): Promise<HTMLElement> {
  const section = h(
    'section',
    { class: 'org-section contact-history' },
    h('h2', null, 'Contact met het netwerk'),
  );
  let activities: Activity[];
  try {
    activities = await get<Activity[]>(`/api/activities?organisationId=${organisationId}`);
  } catch (err) {
    section.append(notice('error', errorText(err, 'De contacthistorie kon niet worden geladen.')));
    return section;
  }
  const today = localDate(new Date());
  const lastVisit = activities.find((a) => a.kind === 'huisbezoek' && a.date <= today);
  section.append(
    h(
      'p',
      { class: 'kpi' },
      lastVisit
        ? [
            'Laatste huisbezoek: ',
            h('strong', null, agoText(lastVisit.date)),
            ` (${formatDate(lastVisit.date)}: ${lastVisit.title})`,
          ]
        : 'Nog geen huisbezoek vastgelegd.',
    ),
    activities.length === 0
      ? h('p', null, 'Er zijn nog geen activiteiten met deze organisatie vastgelegd.')
      : dataTable<Activity>({
          caption: 'Activiteiten met deze organisatie, nieuwste eerst',
          class: 'stack-cards',
          columns: [
            { head: 'Datum', cell: (a) => formatDate(a.date), rowHeader: true },
            { head: 'Soort', label: 'Soort', cell: (a) => ACTIVITY_KIND_NAMES[a.kind] },
            {
              head: 'Wat',
              label: 'Wat',
              cell: (a) => [a.title, a.notes ? h('span', { class: 'hint' }, ` – ${a.notes}`) : null],
            },
            {
              head: 'Maatregelen',
              label: 'Maatregelen',
              cell: (a) => a.measures.map((m) => m.name).join(', ') || '–',
            },
          ],
          rows: activities,
        }),
  );
  if (options.canLog) {
    section.append(
      h(
        'p',
        { class: 'no-print' },
        h('a', { href: `/netwerk?organisatie=${organisationId}` }, 'Activiteit vastleggen'),
      ),
    );
  }
  return section;
}
