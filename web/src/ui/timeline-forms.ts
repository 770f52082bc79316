// The projectleider's changes to an organisation's timeline, each a small panel (ui/dialog.ts):
// ending the membership (while a period is open), joining again (when none is open) and moving to
// another sector from a chosen quarter. Refusals land at their field by path (`from`, `until`,
// `memberUntil`, `sectorId` …); success draws the page again and says what changed.
import type {
  JoinInput,
  LeaveInput,
  MembershipPeriodDto,
  MoveInput,
  Organisation,
} from '../../../server/contracts/organisation.contract.ts';
import type { Sector } from '../../../server/contracts/sector.contract.ts';
import { ApiError, post } from '../api.ts';
import { confirmed, openPanel } from './dialog.ts';
import { button, field, focusOn, h, notice, replace } from './dom.ts';
import { formProblems } from './error-summary.ts';
import { clearFieldErrors, placeProblems } from './field-errors.ts';
import { formatQuarter } from './format.ts';
import { sentence } from './messages.ts';
import { problemsOf } from './problems.ts';
import {
  currentQuarter,
  type Quarter,
  quarterSelect,
  selectedQuarter,
  shiftQuarter,
} from './quarter-select.ts';
import { lastPeriod, openPeriod } from './timeline.ts';

export interface TimelineActionsOptions {
  org: Organisation;
  sectors: Sector[];
  /** Draws the page again with the organisation as it is now, and says `message`. */
  reload: (message: string) => Promise<void>;
  /** Unsaved changes elsewhere on the page that drawing it again would throw away. */
  formDirty: () => boolean;
}

/** How far ahead a join, leave or move may be planned. */
const AHEAD = 4;

/** The buttons that open the panels, and the place where a panel opens. */
export function timelineActions(options: TimelineActionsOptions): HTMLElement {
  const { org } = options;
  const container = h('div', { class: 'timeline-panel' });
  const open = openPeriod(org.memberships);
  const opener = (label: string, show: (returnTo: HTMLButtonElement) => void): HTMLButtonElement => {
    const b: HTMLButtonElement = button(label, () => show(b), { class: 'secondary' });
    return b;
  };
  const buttons = [
    open
      ? opener('Lidmaatschap beëindigen', (b) => leavePanel(container, b, options, open))
      : opener('Opnieuw lid', (b) => joinPanel(container, b, options)),
    opener('Naar een andere sector', (b) => movePanel(container, b, options)),
  ];
  return h('div', null, h('p', { class: 'actions' }, ...buttons), container);
}

/** A select of quarters from `from` up to a year ahead, newest first. */
function quarterChoice(id: string, from: Quarter, selected: Quarter): HTMLSelectElement {
  const to = shiftQuarter(currentQuarter(), AHEAD);
  return quarterSelect({ from: from <= to ? from : to, to, selected, attrs: { id } });
}

/** The later of two quarters. */
function later(a: Quarter, b: Quarter): Quarter {
  return a > b ? a : b;
}

function leavePanel(
  container: HTMLElement,
  opener: HTMLElement,
  options: TimelineActionsOptions,
  open: MembershipPeriodDto,
): void {
  const { org } = options;
  const until = quarterChoice('tl-until', open.from, later(currentQuarter(), open.from));
  const status = h('div', { 'aria-live': 'polite' });
  panel(container, opener, options, {
    title: 'Lidmaatschap beëindigen',
    intro: `${org.name} is lid sinds ${formatQuarter(open.from)}. Kies het laatste kwartaal als lid; eerdere periodes blijven zoals ze zijn.`,
    fields: [field('Lid tot en met', until, 'Het laatste kwartaal waarin de organisatie lid is.')],
    status,
    submitLabel: 'Lidmaatschap beëindigen',
    controls: { until, memberUntil: until, memberships: until },
    send: async () => {
      const q = selectedQuarter(until) ?? currentQuarter();
      await post<Organisation>(`/api/organisations/${org.id}/leave`, { until: q } satisfies LeaveInput);
      return `Het lidmaatschap van ${org.name} is beëindigd: lid tot en met ${formatQuarter(q)}.`;
    },
  });
}

function joinPanel(container: HTMLElement, opener: HTMLElement, options: TimelineActionsOptions): void {
  const { org } = options;
  const last = lastPeriod(org.memberships);
  const first = last?.until ? shiftQuarter(last.until, 1) : currentQuarter();
  const from = quarterChoice('tl-from', first, later(currentQuarter(), first));
  const status = h('div', { 'aria-live': 'polite' });
  panel(container, opener, options, {
    title: 'Opnieuw lid',
    intro: last?.until
      ? `${org.name} was lid tot en met ${formatQuarter(last.until)}. Een nieuwe periode begint op zijn vroegst in ${formatQuarter(first)}; een versnelling van vóór de onderbreking schuift niet door.`
      : `${org.name} is geen lid. Kies het eerste kwartaal van de nieuwe periode.`,
    fields: [field('Lid vanaf', from, 'Het eerste kwartaal van de nieuwe lidmaatschapsperiode.')],
    status,
    submitLabel: 'Opnieuw lid maken',
    controls: { from, memberFrom: from, memberships: from },
    send: async () => {
      const q = selectedQuarter(from) ?? currentQuarter();
      await post<Organisation>(`/api/organisations/${org.id}/join`, { from: q } satisfies JoinInput);
      return `${org.name} is weer lid vanaf ${formatQuarter(q)}.`;
    },
  });
}

function movePanel(container: HTMLElement, opener: HTMLElement, options: TimelineActionsOptions): void {
  const { org, sectors } = options;
  const sectorId = h(
    'select',
    { id: 'tl-sectorId' },
    h('option', { value: '' }, 'Kies een sector'),
    ...sectors.map((s) => h('option', { value: String(s.id) }, s.name)),
  );
  const start = org.memberships[0]?.from ?? org.memberFrom;
  const from = quarterChoice('tl-move-from', start, currentQuarter());
  const status = h('div', { 'aria-live': 'polite' });
  panel(container, opener, options, {
    title: 'Naar een andere sector',
    intro: `${org.name} hoort nu bij ${org.sector}. De nieuwe sector geldt vanaf het gekozen kwartaal; de kwartalen ervoor houden hun sector, ook in de rapportages.`,
    fields: [
      field('Nieuwe sector', sectorId),
      field('Vanaf kwartaal', from, `Standaard het huidige kwartaal (${formatQuarter(currentQuarter())}).`),
    ],
    status,
    submitLabel: 'Sector wijzigen',
    controls: { sectorId, from },
    send: async () => {
      const sector = sectors.find((s) => String(s.id) === sectorId.value);
      if (!sector) {
        placeProblems([{ code: 'invalid_field', path: 'sectorId', message: 'kies de nieuwe sector' }], {
          sectorId,
        });
        return null;
      }
      const q = selectedQuarter(from) ?? currentQuarter();
      await post<Organisation>(`/api/organisations/${org.id}/move`, {
        sectorId: sector.id,
        from: q,
      } satisfies MoveInput);
      return `${org.name} hoort vanaf ${formatQuarter(q)} bij ${sector.name}.`;
    },
  });
}

interface PanelSpec {
  title: string;
  intro: string;
  fields: HTMLElement[];
  status: HTMLElement;
  submitLabel: string;
  /** The panel's controls by the API's field names, for placing the problems of a refusal. */
  controls: Record<string, HTMLElement>;
  /** Sends the change; the message to show afterwards, or null when it was not sent. */
  send: () => Promise<string | null>;
}

function panel(
  container: HTMLElement,
  opener: HTMLElement,
  options: TimelineActionsOptions,
  spec: PanelSpec,
): void {
  openPanel(container, {
    title: spec.title,
    body: [h('p', null, spec.intro), ...spec.fields, spec.status],
    submitLabel: spec.submitLabel,
    returnFocus: () => opener,
    onSubmit: async () => {
      const form = container.querySelector('form');
      if (form) clearFieldErrors(form);
      replace(spec.status);
      if (
        options.formDirty() &&
        !confirmed(
          'Uw niet-opgeslagen wijzigingen in het formulier "Gegevens wijzigen" gaan verloren. Doorgaan?',
        )
      )
        return false;
      try {
        const message = await spec.send();
        if (message === null) {
          refusedFocus(spec, 'Niet opgeslagen: controleer de melding bij het veld.');
          return false;
        }
        // The page is drawn again (and the panel with it), the message gets the focus.
        await options.reload(message);
        return false;
      } catch (err) {
        showRefusal(err, spec);
        return false;
      }
    },
  });
}

/** Every problem at its field; the server's message in the status when it says more. */
function showRefusal(err: unknown, spec: PanelSpec): void {
  if (!(err instanceof ApiError)) throw err;
  const problems = problemsOf(err);
  if (problems.length === 0) {
    replace(spec.status, notice('error', `Niet opgeslagen: ${sentence(err.message)}`));
    focusOn(spec.status.querySelector<HTMLElement>('.notice'));
    return;
  }
  // Every problem at its field, and a summary that links to each and follows the form.
  const form = spec.status.closest('form') ?? spec.status;
  const { summary, first } = formProblems(problems, spec.controls, { form, intro: 'Niet opgeslagen:' });
  replace(spec.status, summary);
  (first ?? summary.querySelector('a') ?? summary).focus();
}

function refusedFocus(spec: PanelSpec, text: string): void {
  replace(spec.status, notice('error', text));
  const invalid = Object.values(spec.controls).find((c) => c.getAttribute('aria-invalid') === 'true');
  invalid?.focus();
}
