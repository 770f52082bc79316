// An organisation through time, as people read it: its membership periods ("Q4 2015 tot en met
// Q2 2016", "Q1 2017 tot nu") and its sector history ("Zorg vanaf Q4 2015"). The wording of a
// period is the domain's, so the pages say it as the server's messages do.
import type {
  MembershipPeriodDto,
  SectorPeriodDto,
} from '../../../server/contracts/organisation.contract.ts';
import { describePeriod, isMemberIn } from '../../../server/domain/timeline.ts';
import { h } from './dom.ts';
import { formatQuarter } from './format.ts';
import type { Quarter } from './quarter-select.ts';

/** "Q4 2015 tot en met Q2 2016", "Q1 2017 tot nu". */
export function periodText(period: MembershipPeriodDto): string {
  return describePeriod(period);
}

/** "Zorg vanaf Q4 2015". */
export function sectorPeriodText(period: SectorPeriodDto): string {
  return `${period.sector} vanaf ${formatQuarter(period.from)}`;
}

/** The open membership period (the organisation is a member now and has not left), if any. */
export function openPeriod(memberships: readonly MembershipPeriodDto[]): MembershipPeriodDto | null {
  return memberships.find((p) => p.until === null) ?? null;
}

/** The last membership period (the periods come sorted), if any. */
export function lastPeriod(memberships: readonly MembershipPeriodDto[]): MembershipPeriodDto | null {
  return memberships[memberships.length - 1] ?? null;
}

/** Whether the organisation was a member in `q`. */
export function isMemberInQuarter(memberships: readonly MembershipPeriodDto[], q: Quarter): boolean {
  return isMemberIn({ memberships }, q);
}

/** The sector the organisation had in `q` (the first sector also covers the quarters before it). */
export function sectorNameIn(history: readonly SectorPeriodDto[], q: Quarter): string | null {
  let name = history[0]?.sector ?? null;
  for (const s of history) {
    if (s.from > q) break;
    name = s.sector;
  }
  return name;
}

/** "lid Q4 2015 tot en met Q2 2016 en Q1 2017 tot nu" for a sentence; "geen lid" without periods. */
export function membershipSentence(memberships: readonly MembershipPeriodDto[]): string {
  if (memberships.length === 0) return 'geen lidmaatschap';
  const texts = memberships.map(periodText);
  const last = texts.pop();
  return `lid ${texts.length ? `${texts.join(', ')} en ${last}` : last}`;
}

/** A list of texts, or the one text on its own. */
function listOf(items: string[], className: string): HTMLElement {
  if (items.length === 1) return h('span', { class: className }, items[0]);
  return h('ul', { class: `timeline-list ${className}` }, ...items.map((t) => h('li', null, t)));
}

/**
 * The periods and the sector history as a definition list (read-only): "Lidmaatschap" with every
 * period, "Sector" with every sector from its quarter on.
 */
export function timelineFacts(
  memberships: readonly MembershipPeriodDto[],
  sectors: readonly SectorPeriodDto[],
): HTMLElement {
  return h(
    'dl',
    { class: 'timeline-facts' },
    h('dt', null, memberships.length > 1 ? 'Lidmaatschapsperiodes' : 'Lidmaatschap'),
    h(
      'dd',
      null,
      memberships.length === 0
        ? h('span', { class: 'org-empty' }, 'geen lidmaatschapsperiode')
        : listOf(memberships.map(periodText), 'timeline-periods'),
    ),
    h('dt', null, 'Sector'),
    h('dd', null, listOf(sectors.map(sectorPeriodText), 'timeline-sectors')),
  );
}
