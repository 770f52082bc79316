// "Waarom veranderde de versnelling?": the criteria whose answer changed between the quickscans
// behind an organisation's gears in two quarters (met → not met and back), with the reason when
// there are no answers (a gear recorded directly, or no gear). The section asks the API; the
// renderer draws one answer and is used wherever a diff is shown.
import type { CriterionChange, GearDiff } from '../../../server/contracts/gear-diff.contract.ts';
import type { GearHistory } from '../../../server/contracts/organisation.contract.ts';
import { type DiffAnswer, MET_CHANGE_TEXT, metChange } from '../../../server/domain/answer-diff.ts';
import { get } from '../api.ts';
import { field, h, notice, replace, visuallyHidden } from './dom.ts';
import { formatQuarter } from './format.ts';
import { gearFill } from './gear-colours.ts';
import { errorText } from './messages.ts';
import {
  currentQuarter,
  type Quarter,
  quarterSelect,
  REVERSED_PERIOD,
  selectedQuarter,
  shiftQuarter,
} from './quarter-select.ts';
import { dataTable } from './table.ts';

const ANSWER_TEXT: Record<NonNullable<DiffAnswer>, string> = {
  ja: 'ja',
  deels: 'deels',
  nee: 'nee',
  nvt: 'n.v.t.',
};

/** "ja", "n.v.t.", or "geen antwoord" for an unanswered criterion or a side without answers. */
export function answerText(answer: DiffAnswer): string {
  return answer === null ? 'geen antwoord' : ANSWER_TEXT[answer];
}

/** "nu voldaan", "niet meer voldaan", "nog steeds voldaan", "nog steeds niet voldaan". */
export function metText(change: Pick<CriterionChange, 'fromMet' | 'toMet'>): string {
  return MET_CHANGE_TEXT[metChange(change)];
}

/** "nee → ja", with the arrow said in words for screen readers. */
export function beforeAfter(before: string, after: string): HTMLElement {
  return h(
    'span',
    null,
    before,
    h('span', { 'aria-hidden': 'true' }, ' → '),
    visuallyHidden(' wordt '),
    after,
  );
}

const ORIGIN_TEXT: Record<NonNullable<GearDiff['fromOrigin']>, string> = {
  quickscan: 'quickscan',
  import: 'rechtstreeks vastgelegd, import',
  manual: 'rechtstreeks vastgelegd, handmatig',
};

/** One side: "Q1 2016: versnelling [2] (quickscan)" or "(quickscan uit Q4 2015)"; "geen versnelling". */
function gearSide(
  quarter: Quarter,
  gear: number | null,
  recordedIn: Quarter | null,
  origin: GearDiff['fromOrigin'],
): HTMLElement {
  if (gear === null) return h('span', null, `${formatQuarter(quarter)}: geen versnelling`);
  const where = recordedIn && recordedIn !== quarter ? ` uit ${formatQuarter(recordedIn)}` : '';
  return h(
    'span',
    null,
    `${formatQuarter(quarter)}: versnelling `,
    h('strong', { class: `org-gear ${gearFill(gear)}` }, String(gear)),
    origin ? ` (${ORIGIN_TEXT[origin]}${where})` : '',
  );
}

/** The two gears, the explanation, and a table of the changed criteria. */
export function renderGearDiff(diff: GearDiff): HTMLElement {
  const from = formatQuarter(diff.from);
  const to = formatQuarter(diff.to);
  return h(
    'div',
    { class: 'gear-diff' },
    h(
      'p',
      null,
      gearSide(diff.from, diff.fromGear, diff.fromRecordedIn, diff.fromOrigin),
      h('span', { 'aria-hidden': 'true' }, ' → '),
      visuallyHidden(', daarna '),
      gearSide(diff.to, diff.toGear, diff.toRecordedIn, diff.toOrigin),
    ),
    diff.comparable ? h('p', null, diff.explanation) : notice('info', diff.explanation),
    diff.changes.length === 0
      ? null
      : dataTable<CriterionChange>({
          class: 'stack-cards gear-diff-table',
          caption: `Criteria met een ander antwoord in ${to} dan in ${from}`,
          columns: [
            {
              head: 'Criterium',
              rowHeader: true,
              cell: (c) => [h('strong', null, c.criterion), c.text ? ` ${c.text}` : ''],
            },
            { head: from, label: from, cell: (c) => answerText(c.from) },
            { head: to, label: to, cell: (c) => answerText(c.to) },
            { head: 'Voldaan', label: 'Voldaan', cell: metText },
          ],
          rows: diff.changes,
        }),
  );
}

/**
 * The two quarters a diff starts with: the organisation's last two quarters with a quickscan of
 * their own, else its last two recorded gears, else the last one and now.
 */
export function defaultDiffQuarters(history: GearHistory): { from: Quarter; to: Quarter } {
  const now = currentQuarter();
  const own = history.quarters.filter((q) => q.gear !== null && q.carriedFrom === null && q.quarter <= now);
  const quickscans = own.filter((q) => q.source === 'quickscan').map((q) => q.quarter);
  const recorded = quickscans.length >= 2 ? quickscans : own.map((q) => q.quarter);
  const [from, to] = recorded.slice(-2);
  if (from && to) return { from, to };
  if (from) return { from, to: now };
  return { from: shiftQuarter(now, -1), to: now };
}

/** "5 criteria met een ander antwoord tussen Q1 2016 en Q3 2016." for the status line. */
function statusText(diff: GearDiff): string {
  const n = diff.changes.length;
  const what = n === 0 ? 'Geen criteria' : n === 1 ? '1 criterium' : `${n} criteria`;
  return `${what} met een ander antwoord tussen ${formatQuarter(diff.from)} en ${formatQuarter(diff.to)}.`;
}

/**
 * The section "Waarom veranderde de versnelling?" for one organisation: two quarter pickers and
 * the diff of the quickscans behind their gears, shown at once for the starting quarters and again
 * for every choice ("Vergelijken"). Only the latest request's answer is drawn.
 */
export function gearDiffSection(organisationId: number, start: { from: Quarter; to: Quarter }): HTMLElement {
  const fromSelect = quarterSelect({ selected: start.from, attrs: { name: 'van' } });
  const toSelect = quarterSelect({ selected: start.to, attrs: { name: 'tot' } });
  const status = h('div', { 'aria-live': 'polite' });
  const result = h('div');
  let asked = 0;
  const show = async () => {
    const from = selectedQuarter(fromSelect) ?? start.from;
    const to = selectedQuarter(toSelect) ?? start.to;
    const request = ++asked;
    toSelect.removeAttribute('aria-invalid');
    if (to < from) {
      toSelect.setAttribute('aria-invalid', 'true');
      replace(status, notice('error', REVERSED_PERIOD));
      result.replaceChildren();
      return;
    }
    try {
      const diff = await get<GearDiff>(`/api/organisations/${organisationId}/diff?from=${from}&to=${to}`);
      if (request !== asked) return;
      replace(status, h('p', { class: 'visually-hidden' }, statusText(diff)));
      replace(result, renderGearDiff(diff));
    } catch (err) {
      if (request !== asked) return;
      result.replaceChildren();
      replace(status, notice('error', errorText(err, 'De vergelijking kon niet worden geladen.')));
    }
  };
  const form = h(
    'form',
    {
      class: 'controls',
      'aria-label': 'Twee kwartalen vergelijken',
      on: {
        submit: (event) => {
          event.preventDefault();
          void show();
        },
      },
    },
    field('Van kwartaal', fromSelect),
    field('Naar kwartaal', toSelect),
    h('button', { type: 'submit' }, 'Vergelijken'),
  );
  void show();
  return h(
    'section',
    { class: 'org-section', 'aria-labelledby': 'gear-diff-kop' },
    h('h2', { id: 'gear-diff-kop' }, 'Waarom veranderde de versnelling?'),
    h(
      'p',
      null,
      'Welke criteria een ander antwoord kregen tussen de quickscans achter de versnellingen van twee kwartalen. Een doorgeschoven versnelling komt van de laatste quickscan ervoor.',
    ),
    form,
    status,
    result,
  );
}
