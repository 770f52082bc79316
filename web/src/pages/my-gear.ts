// The organisation's own page: its gear, the next steps, what is in place and its history
// against the anonymous sector and region averages; prints on A4 (the chart redrawn at the width of the paper).
import type { Schakelmodel } from '../../../server/contracts/model.contract.ts';
import type {
  GearHistory,
  OrganisationPeriods,
  OrganisationStatus,
} from '../../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../../server/contracts/quickscan.contract.ts';
import type { Matrix } from '../../../server/contracts/report.contract.ts';
import { get } from '../api.ts';
import type { View } from '../router.ts';
import { actionPlanSection } from '../ui/action-plan.ts';
import type { Charts } from '../ui/charts.ts';
import { button, h } from '../ui/dom.ts';
import { formatQuarter } from '../ui/format.ts';
import { gearAge } from '../ui/gear-age.ts';
import { gearFill } from '../ui/gear-colours.ts';
import { incidentSection } from '../ui/incident-form.ts';
import { orgChartSection } from '../ui/org-chart.ts';
import { currentQuarter, notAfterNow, type Quarter } from '../ui/quarter-select.ts';
import { criterionResources, loadResources, type Resource } from '../ui/resources.ts';
import { timelineFacts } from '../ui/timeline.ts';

export async function renderMyGear(view: View): Promise<void> {
  const organisationId = view.session?.user.organisationId;
  if (!organisationId) {
    view.main.append(
      h('h1', null, 'Mijn versnelling'),
      h('p', null, 'Dit account hoort niet bij een organisatie.'),
    );
    return;
  }
  const quarter = currentQuarter();
  const [status, history, periods] = await Promise.all([
    get<OrganisationStatus>(`/api/organisations/${organisationId}/status?quarter=${quarter}`),
    get<GearHistory>(`/api/organisations/${organisationId}/history`),
    get<OrganisationPeriods>(`/api/organisations/${organisationId}/periods`),
  ]);
  const model = await get<Schakelmodel>(
    status.model ? `/api/models/${status.model.id}/${status.model.version}` : '/api/model',
  );
  // The charts module (with chart.js) is a chunk of its own, loaded beside the averages.
  const [charts, matrix, kast, quickscans] = await Promise.all([
    import('../ui/charts.ts'),
    averagesFor(history),
    // The apothekerskast is extra: the page works without it.
    loadResources().catch(() => []),
    get<Quickscan[]>(`/api/organisations/${organisationId}/quickscans`),
  ]);

  view.main.append(
    h('h1', null, `Mijn versnelling: ${status.name}`),
    h('p', { class: 'print-only' }, `Stand van ${formatQuarter(quarter)}, sector ${status.sector}`),
    nowSection(status, history, model),
    nextStepsSection(status, kast),
    await actionPlanSection(organisationId, view.session?.via === 'deellink' ? 'lezen' : 'organisatie', {
      heading: 'Ons actieplan',
    }),
    inPlaceSection(status, model),
    historySection(charts, status, history, matrix, quickscans),
    h(
      'section',
      { class: 'card' },
      h('h2', null, 'Uw lidmaatschap'),
      timelineFacts(periods.memberships, periods.sectors),
    ),
    // Its own incident figures: with an account, not through a read-only share link.
    ...(view.session?.via === 'deellink'
      ? []
      : [await incidentSection(organisationId, { firstQuarter: periods.memberships[0]?.from ?? quarter })]),
    h(
      'p',
      { class: 'no-print' },
      button('Afdrukken (A4)', () => window.print()),
    ),
  );
}

/** The anonymous averages over the history's quarters (a report reaches the current quarter at most). */
async function averagesFor(history: GearHistory): Promise<Matrix | null> {
  const to = notAfterNow(history.to);
  if (to < history.from) return null;
  return get<Matrix>(`/api/reports/matrix?from=${history.from}&to=${to}`);
}

/** The gear after this one, while there is one. */
function nextGear(status: OrganisationStatus): number | null {
  return status.gear !== null && status.gear < 5 ? status.gear + 1 : null;
}

/** The quarter the current gear was first reached: the start of the last run of that gear. */
function reachedIn(history: GearHistory, gear: number | null): Quarter | null {
  if (gear === null) return null;
  let since: Quarter | null = null;
  for (const q of history.quarters) {
    if (q.gear === gear) since ??= q.quarter;
    else since = null;
  }
  return since;
}

function nowSection(status: OrganisationStatus, history: GearHistory, model: Schakelmodel): HTMLElement {
  const since = reachedIn(history, status.gear);
  const next = nextGear(status);
  return h(
    'section',
    { class: 'card' },
    h('h2', null, 'Waar staat u nu?'),
    status.gear === null
      ? h('p', null, 'Er is nog geen quickscan vastgelegd. De projectleider neemt die samen met u af.')
      : h(
          'p',
          { class: 'kpi' },
          'Versnelling ',
          h('strong', null, String(status.gear)),
          `: ${status.gearName ?? ''}`,
          since ? ` (sinds ${formatQuarter(since)})` : '',
          '.',
        ),
    carriedLine(status),
    gearbox(model, status.gear),
    next
      ? h(
          'p',
          null,
          h(
            'label',
            { for: 'progress' },
            `Op weg naar versnelling ${next}: ${status.progress.met} van ${status.progress.total} criteria voldaan`,
          ),
          h('progress', { id: 'progress', max: status.progress.total, value: status.progress.met }),
        )
      : status.gear === 5
        ? h('p', null, 'U zit in de hoogste versnelling. Houd de ketensamenwerking vast en blijf evalueren.')
        : null,
  );
}

/** "Deze versnelling is doorgeschoven uit Q1 2024, 11 kwartalen geleden." for a carried gear. */
function carriedLine(status: OrganisationStatus): HTMLElement | null {
  const age = gearAge(status.carriedFrom, status.ageQuarters);
  return age ? h('p', null, 'De versnelling komt van uw laatste quickscan: ', age, '.') : null;
}

function gearbox(model: Schakelmodel, current: number | null): HTMLElement {
  return h(
    'ol',
    { class: 'gearbox', 'aria-label': 'Het schakelmodel: versnelling 1 tot en met 5' },
    ...model.gears.map((g) =>
      h(
        'li',
        {
          class: g.gear === current ? `gear ${gearFill(g.gear)} current` : 'gear',
          'aria-current': g.gear === current ? 'step' : undefined,
        },
        h('span', { class: 'gear-number' }, String(g.gear)),
        h('span', { class: 'gear-name' }, g.name),
        g.gear === current ? h('span', { class: 'gear-here' }, 'huidige versnelling') : null,
      ),
    ),
  );
}

function nextStepsSection(status: OrganisationStatus, kast: readonly Resource[]): HTMLElement {
  const next = nextGear(status);
  return h(
    'section',
    { class: 'card' },
    h('h2', null, next ? `Volgende stappen naar versnelling ${next}` : 'Volgende stappen'),
    status.nextSteps.length === 0
      ? h(
          'p',
          null,
          status.gear === null
            ? 'Na de eerste quickscan ziet u hier wat u als volgende kunt doen.'
            : 'Er zijn geen volgende stappen: alles is op orde.',
        )
      : h(
          'ol',
          { class: 'steps' },
          ...status.nextSteps.map((step) =>
            h(
              'li',
              null,
              h('strong', null, step.text),
              status.partial.includes(step.key) ? h('span', { class: 'badge' }, 'deels gedaan') : null,
              h('p', null, step.guidance),
              criterionResources(kast, step),
            ),
          ),
        ),
  );
}

function inPlaceSection(status: OrganisationStatus, model: Schakelmodel): HTMLElement {
  const criteria = new Map(model.gears.flatMap((g) => g.criteria.map((c) => [c.key, c.text] as const)));
  return h(
    'section',
    { class: 'card' },
    h('h2', null, 'Wat er al staat'),
    status.met.length === 0
      ? h('p', null, 'Nog niets vastgelegd.')
      : h('ul', { class: 'in-place' }, ...status.met.map((key) => h('li', null, criteria.get(key) ?? key))),
  );
}

/**
 * The organisation's gear per quarter against the average of the sector it had in that quarter
 * (an organisation that moved is compared with its old sector before the move) and the region,
 * over a period it chooses, with the gap to the sector, the last quickscan and whom to ask.
 */
function historySection(
  charts: Charts,
  status: OrganisationStatus,
  history: GearHistory,
  matrix: Matrix | null,
  quickscans: readonly Quickscan[],
): HTMLElement {
  return orgChartSection(charts, {
    reader: 'own',
    heading: 'Uw versnelling door de tijd',
    name: status.name,
    history,
    matrix,
    quickscans,
    extra: [h('span', { class: 'org-contact' }, contactSentence(quickscans))],
  });
}

/**
 * Whom to ask: the person who took the latest quickscan (its "afgenomen door"), who knows the
 * organisation's answers; else the region's projectleider in general.
 */
function contactSentence(quickscans: readonly Quickscan[]): string {
  const ask = 'Vragen over uw versnelling, of tijd voor een nieuwe quickscan? Neem contact op met';
  const by = [...quickscans]
    .filter((q) => q.conductedBy !== null && q.conductedBy.trim() !== '')
    .sort((a, b) => (a.quarter < b.quarter ? -1 : a.quarter > b.quarter ? 1 : 0))
    .pop()?.conductedBy;
  return by
    ? `${ask} ${by.trim()}, die uw laatste quickscan afnam, of met de projectleider van uw VPT-regio.`
    : `${ask} de projectleider van uw VPT-regio.`;
}
