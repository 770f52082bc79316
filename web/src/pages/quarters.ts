// Closing quarters (kwartaal vaststellen): what is still missing in the next quarter to close,
// closing it (in order; several at once when earlier ones are still open), the closed quarters
// with their restatements, reopening the last one with a reason, and the history of it all.
import type { ClosedQuarter, QuartersOverview } from '../../../server/contracts/closing.contract.ts';
import type { Distribution, Worklist } from '../../../server/contracts/report.contract.ts';
import { get, post } from '../api.ts';
import type { View } from '../router.ts';
import { confirmed, openPanel } from '../ui/dialog.ts';
import { button, focusOn, h, notice, replace, uid } from '../ui/dom.ts';
import { clearFieldError, clearFieldErrors, placeProblems, showFieldError } from '../ui/field-errors.ts';
import { count, formatDateTime, formatQuarter, quarterRange } from '../ui/format.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { problemsOf } from '../ui/problems.ts';
import { type Quarter, quarterSelect, selectedQuarter } from '../ui/quarter-select.ts';
import { dataTable } from '../ui/table.ts';

interface QuartersPage {
  view: View;
  status: HTMLElement;
  content: HTMLElement;
  panel: HTMLElement;
}

export async function renderQuarters(view: View): Promise<void> {
  const page: QuartersPage = {
    view,
    status: h('div', { 'aria-live': 'polite' }),
    content: h('div', null),
    panel: h('div', null),
  };
  view.main.append(
    h('h1', null, 'Kwartalen vaststellen'),
    h(
      'p',
      null,
      'Als de quickscans van een kwartaal binnen zijn, stelt u het kwartaal vast: de cijfers worden bewaard zoals ze dan zijn, en het bestuur ziet bij dat kwartaal "vastgesteld". ' +
        'Een latere wijziging die de cijfers van een vastgesteld kwartaal verandert, vraagt om een reden en wordt een herziening: de vastgestelde cijfers blijven staan, de herziene komen ernaast.',
    ),
    page.status,
    page.content,
  );
  await draw(page);
}

async function draw(page: QuartersPage): Promise<void> {
  let overview: QuartersOverview;
  try {
    overview = await get<QuartersOverview>('/api/quarters');
  } catch (err) {
    replace(page.content, notice('error', errorText(err, 'De kwartalen konden niet worden geladen.')));
    return;
  }
  replace(
    page.content,
    await closeSection(page, overview),
    page.panel,
    closedSection(page, overview),
    historySection(overview),
  );
}

/** The next quarter to close, what is still missing in it, and the button. */
async function closeSection(page: QuartersPage, overview: QuartersOverview): Promise<HTMLElement> {
  const section = h(
    'section',
    { 'aria-labelledby': 'close-title' },
    h('h2', { id: 'close-title' }, 'Vaststellen'),
  );
  const next = overview.nextToClose;
  if (next === null || next > overview.current) {
    section.append(
      h(
        'p',
        null,
        next === null
          ? 'Er zijn nog geen leden, dus nog geen cijfers om vast te stellen.'
          : `Alle kwartalen tot en met ${formatQuarter(overview.current)} zijn vastgesteld.`,
      ),
    );
    return section;
  }
  const choice = quarterSelect({ from: next, to: overview.current, selected: next, attrs: { id: uid('q') } });
  const missing = h('div', { 'aria-live': 'polite' });
  const action = h('button', { type: 'button' }, '');
  const update = async (): Promise<void> => {
    const q = selectedQuarter(choice) ?? next;
    const quarters = quarterRange(next, q);
    action.textContent =
      quarters.length === 1
        ? `${formatQuarter(q)} vaststellen`
        : `${formatQuarter(next)} tot en met ${formatQuarter(q)} vaststellen (${quarters.length} kwartalen)`;
    replace(missing, await missingIn(q));
  };
  choice.addEventListener('change', () => void update());
  action.addEventListener('click', () => void close(page, next, selectedQuarter(choice) ?? next));
  section.append(
    h(
      'p',
      null,
      `Kwartalen worden op volgorde vastgesteld. Het eerstvolgende is ${formatQuarter(next)}; kiest u een later kwartaal, dan worden de open kwartalen ervóór ook vastgesteld.`,
    ),
    h('div', { class: 'field' }, h('label', { for: choice.id }, 'Vaststellen tot en met'), choice),
    missing,
    h('p', { class: 'actions' }, action),
  );
  await update();
  return section;
}

/** Who still has no quickscan in the quarter: shown before closing, with a link to each. */
async function missingIn(quarter: Quarter): Promise<HTMLElement> {
  try {
    const [worklist, distribution] = await Promise.all([
      get<Worklist>(`/api/reports/worklist?quarter=${quarter}`),
      get<Distribution>(`/api/reports/distribution?from=${quarter}&to=${quarter}`),
    ]);
    if ((distribution.quarters[0]?.members ?? 0) === 0) {
      return notice(
        'info',
        `In ${formatQuarter(quarter)} waren er geen leden: er valt niets te controleren. `,
        h('a', { href: '/organisaties/nieuw' }, 'Voeg organisaties toe'),
        ' of ',
        h('a', { href: '/import-export' }, 'importeer de prestatielijst'),
        '.',
      );
    }
    if (worklist.items.length === 0) {
      return notice(
        'ok',
        `Alle leden hebben een quickscan of versnelling in ${formatQuarter(worklist.quarter)}.`,
      );
    }
    const shown = worklist.items.slice(0, 20);
    return h(
      'div',
      { class: 'notice info' },
      h(
        'p',
        null,
        `Nog geen quickscan in ${formatQuarter(worklist.quarter)}: ${count(worklist.items.length, 'organisatie', 'organisaties')}. ` +
          'Bij vaststellen telt van deze leden de laatst bekende versnelling mee (doorgeschoven), of geen als er nog geen is.',
      ),
      h(
        'ul',
        null,
        ...shown.map((i) =>
          h(
            'li',
            null,
            h('a', { href: `/quickscan?organisatie=${i.id}&kwartaal=${worklist.quarter}` }, i.name),
            ` (${i.sector})`,
          ),
        ),
        worklist.items.length > shown.length
          ? h('li', null, `en nog ${worklist.items.length - shown.length}`)
          : null,
      ),
    );
  } catch (err) {
    return notice('error', errorText(err, 'Kon niet nagaan welke quickscans nog ontbreken.'));
  }
}

async function close(page: QuartersPage, next: Quarter, quarter: Quarter): Promise<void> {
  const several = quarter !== next;
  const what = several
    ? `${formatQuarter(next)} tot en met ${formatQuarter(quarter)}`
    : formatQuarter(quarter);
  if (!confirmed(`${what} vaststellen? De cijfers worden bewaard zoals ze nu zijn.`)) return;
  try {
    const closed = await post<ClosedQuarter[]>(`/api/quarters/${quarter}/close`, { includeEarlier: several });
    await draw(page);
    // The button is gone with the redrawn section: the message takes the focus.
    const done = notice('ok', `${closed.map((c) => formatQuarter(c.quarter)).join(', ')} vastgesteld.`);
    replace(page.status, done);
    focusOn(done);
  } catch (err) {
    replace(page.status, notice('error', errorText(err, 'Vaststellen is niet gelukt.')));
  }
}

/** The closed quarters, newest first; the last one can be reopened. */
function closedSection(page: QuartersPage, overview: QuartersOverview): HTMLElement {
  const section = h(
    'section',
    { 'aria-labelledby': 'closed-title' },
    h('h2', { id: 'closed-title' }, 'Vastgestelde kwartalen'),
  );
  if (overview.closed.length === 0) {
    section.append(h('p', null, 'Nog geen kwartaal vastgesteld.'));
    return section;
  }
  const last = overview.closed[overview.closed.length - 1]!;
  const rows = [...overview.closed].reverse();
  section.append(
    dataTable<ClosedQuarter>({
      caption: 'Vastgestelde kwartalen, nieuwste eerst',
      // On a phone each row is a card whose cells carry their own labels: no heading row above.
      class: 'stack-rows stack-rows-nohead',
      columns: [
        { head: 'Kwartaal', cell: (c) => formatQuarter(c.quarter), rowHeader: true },
        { head: 'Vastgesteld op', cell: (c) => formatDateTime(c.closedAt), label: 'Vastgesteld op' },
        { head: 'Door', cell: (c) => c.closedBy, label: 'Door' },
        {
          head: 'Herzieningen',
          cell: (c) => (c.restatementCount === 0 ? 'geen' : String(c.restatementCount)),
          num: true,
          label: 'Herzieningen',
        },
        {
          head: 'Actie',
          cell: (c) =>
            c.quarter === last.quarter
              ? button(
                  `Heropenen`,
                  (event) => openReopen(page, c.quarter, event.currentTarget as HTMLElement),
                  {
                    class: 'secondary',
                    'aria-label': `${formatQuarter(c.quarter)} heropenen`,
                  },
                )
              : '',
          // The button says what it does; only the last closed quarter has one.
        },
      ],
      rows,
    }),
  );
  return section;
}

function openReopen(page: QuartersPage, quarter: Quarter, opener: HTMLElement): void {
  const reason = h('textarea', { id: uid('heropen'), name: 'reason', rows: 3, maxlength: 500 });
  reason.addEventListener('input', () => clearFieldError(reason));
  openPanel(page.panel, {
    title: `${formatQuarter(quarter)} heropenen`,
    body: [
      h(
        'p',
        null,
        'Een heropend kwartaal kan weer vrij worden gewijzigd en later opnieuw worden vastgesteld. De eerdere vaststelling en haar herzieningen blijven in de geschiedenis.',
      ),
      h('div', { class: 'field' }, h('label', { for: reason.id }, 'Reden'), reason),
    ],
    submitLabel: 'Heropenen',
    returnFocus: () => opener,
    onSubmit: async () => {
      clearFieldErrors(page.panel);
      if (reason.value.trim() === '') {
        showFieldError(reason, 'geef de reden om te heropenen');
        reason.focus();
        return false;
      }
      try {
        await post(`/api/quarters/${quarter}/reopen`, { reason: reason.value.trim() });
      } catch (err) {
        const { first, unplaced } = placeProblems(problemsOf(err), { reason });
        if (first) first.focus();
        else
          replace(
            page.status,
            notice('error', sentence(unplaced[0]?.message ?? errorText(err, 'Heropenen is niet gelukt.'))),
          );
        return false;
      }
      await draw(page);
      // The opener is gone with the redrawn table: the message takes the focus.
      const done = notice('ok', `${formatQuarter(quarter)} is heropend.`);
      replace(page.status, done);
      focusOn(done);
      return true;
    },
  });
}

/** Every closing, reopened ones included, with who and why. */
function historySection(overview: QuartersOverview): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'Geschiedenis'),
    overview.history.length === 0
      ? h('p', null, 'Nog niets vastgesteld of heropend.')
      : h(
          'ul',
          null,
          ...overview.history.map((c) =>
            h(
              'li',
              null,
              `${formatQuarter(c.quarter)} vastgesteld op ${formatDateTime(c.closedAt)} door ${c.closedBy}`,
              c.restatementCount > 0
                ? `, daarna ${count(c.restatementCount, 'herziening', 'herzieningen')}`
                : '',
              c.reopenedAt
                ? `; heropend op ${formatDateTime(c.reopenedAt)} door ${c.reopenedBy} (reden: ${c.reopenReason})`
                : '',
            ),
          ),
        ),
  );
}
