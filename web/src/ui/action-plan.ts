// The action plan of one organisation: the actions agreed on criteria of the model, with owner,
// due moment, status and note. The projectleider agrees, changes and removes them; the
// organisation's own account changes the status and note of its actions; a share link reads.
// An action whose criterion a later quickscan shows as met is offered to be closed.
import type { Schakelmodel } from '../../../server/contracts/model.contract.ts';
import type { Action } from '../../../server/contracts/network.contract.ts';
import {
  ACTION_STATUS_NAMES,
  ACTION_STATUSES,
  type ActionStatus,
} from '../../../server/domain/network-work.ts';
import { ApiError, del, get, patch, post } from '../api.ts';
import { button, type Child, field, h, notice, replace, uid } from './dom.ts';
import { errorSummary, focusLink } from './error-summary.ts';
import { clearFieldErrors, placeProblems } from './field-errors.ts';
import { formatDate, formatQuarter } from './format.ts';
import { problemsOf } from './problems.ts';
import { dataTable } from './table.ts';

export type ActionPlanMode = 'projectleider' | 'organisatie' | 'lezen';

function messageOf(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

/** "Q1 2027", "31 maart 2027" or "geen termijn". */
export function dueText(a: Pick<Action, 'due'>): string {
  if (a.due.quarter) return formatQuarter(a.due.quarter);
  if (a.due.date) return formatDate(a.due.date);
  return 'geen termijn';
}

export async function actionPlanSection(
  organisationId: number,
  mode: ActionPlanMode,
  options: { heading?: string } = {},
): Promise<HTMLElement> {
  const section = h('section', { class: 'card action-plan', 'aria-labelledby': uid('actions-title') });
  const titleId = section.getAttribute('aria-labelledby')!;
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  section.append(
    h('h2', { id: titleId }, options.heading ?? 'Actieplan'),
    h(
      'p',
      { class: 'hint' },
      mode === 'organisatie'
        ? 'De acties die u met de projectleider heeft afgesproken. U kunt per actie de status en een notitie bijwerken.'
        : 'De acties die met de organisatie zijn afgesproken, per criterium van het schakelmodel.',
    ),
    status,
    list,
  );
  const model = mode === 'projectleider' ? await get<Schakelmodel>('/api/model') : null;

  const load = async (message?: string): Promise<void> => {
    try {
      const actions = await get<Action[]>(`/api/organisations/${organisationId}/actions`);
      replace(list, actionsTable(actions));
      if (message) replace(status, notice('ok', message));
    } catch (err) {
      replace(status, notice('error', messageOf(err, 'De acties konden niet worden geladen.')));
    }
  };

  function actionsTable(actions: Action[]): Child {
    if (actions.length === 0) return h('p', null, 'Er zijn nog geen acties afgesproken.');
    return dataTable<Action>({
      caption: 'Afgesproken acties, open eerst',
      class: 'stack-cards',
      columns: [
        {
          head: 'Actie',
          rowHeader: true,
          cell: (a) => [
            h('strong', null, a.title),
            h('br'),
            h(
              'span',
              { class: 'hint' },
              `Criterium ${a.criterion}${a.criterionText ? `: ${a.criterionText}` : ''}`,
            ),
          ],
        },
        { head: 'Eigenaar', label: 'Eigenaar', cell: (a) => a.owner ?? '–' },
        {
          head: 'Termijn',
          label: 'Termijn',
          cell: (a) => [dueText(a), a.overdue ? h('strong', { class: 'status-bad' }, ' (verlopen)') : null],
        },
        {
          head: 'Status',
          label: 'Status',
          cell: (a) => (mode === 'lezen' ? statusText(a) : statusForm(a)),
        },
        mode === 'projectleider' && {
          head: 'Verwijderen',
          label: 'Verwijderen',
          cell: (a) =>
            button(
              ['Verwijderen', h('span', { class: 'visually-hidden' }, `: ${a.title}`)],
              () =>
                window.confirm(`De actie "${a.title}" verwijderen?`) &&
                void del(`/api/organisations/${organisationId}/actions/${a.id}`).then(
                  () => load(`De actie "${a.title}" is verwijderd.`),
                  (err: unknown) =>
                    replace(status, notice('error', messageOf(err, 'Verwijderen lukte niet.'))),
                ),
              { class: 'secondary' },
            ),
        },
      ],
      rows: actions,
    });
  }

  function statusText(a: Action): Child {
    return [ACTION_STATUS_NAMES[a.status], a.note ? h('span', { class: 'hint' }, ` – ${a.note}`) : null];
  }

  /** Status and note of one action, saved with the version it was read at. */
  function statusForm(a: Action): HTMLElement {
    const select = h(
      'select',
      { name: 'status', id: uid('status') },
      ...ACTION_STATUSES.map((s) =>
        h('option', { value: s, selected: s === a.status }, ACTION_STATUS_NAMES[s]),
      ),
    );
    const note = h('input', {
      type: 'text',
      name: 'note',
      id: uid('note'),
      value: a.note ?? '',
      maxLength: 2000,
    });
    const summary = h('div');
    const save = async (body: { status: ActionStatus; note: string | null }) => {
      clearFieldErrors(form);
      replace(summary);
      try {
        await patch<Action>(`/api/organisations/${organisationId}/actions/${a.id}`, {
          ...body,
          expectedVersion: a.version,
        });
        await load(`De actie "${a.title}" is bijgewerkt.`);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'version_conflict') {
          // Someone else changed it meanwhile: show the current state rather than a form that cannot save.
          await load();
          replace(
            status,
            notice(
              'error',
              `De actie "${a.title}" is intussen gewijzigd; dit is de nieuwste stand. Pas haar zo nodig opnieuw aan.`,
            ),
          );
          return;
        }
        const problems = problemsOf(err);
        const { first, unplaced } = placeProblems(problems, { status: select, note });
        const items: Child[] = problems
          .filter((p) => p.path === 'status' || p.path === 'note')
          .map((p) => focusLink(p.path === 'status' ? select : note, p.message));
        for (const p of unplaced) items.push(p.message);
        if (items.length === 0) items.push(messageOf(err, 'Opslaan lukte niet; probeer het opnieuw.'));
        replace(summary, errorSummary('Nog niet opgeslagen:', items));
        (first ?? summary).focus?.();
      }
    };
    const form = h(
      'form',
      {
        class: 'action-status no-print',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            void save({ status: select.value as ActionStatus, note: note.value.trim() || null });
          },
        },
      },
      field(`Status van "${a.title}"`, select),
      field('Notitie', note),
      summary,
      h('button', { type: 'submit', class: 'secondary' }, 'Opslaan'),
    );
    const met = a.criterionMet
      ? h(
          'p',
          { class: 'notice info' },
          `Criterium ${a.criterion} is voldaan in de quickscan van ${formatQuarter(a.criterionMet.quarter)}. `,
          button('Actie afsluiten (klaar)', () => void save({ status: 'klaar', note: a.note }), {
            class: 'secondary',
          }),
        )
      : null;
    return h('div', null, h('p', { class: 'print-only' }, statusText(a)), met, form);
  }

  if (mode === 'projectleider' && model) section.append(addForm(model));

  function addForm(m: Schakelmodel): HTMLElement {
    const criterion = h(
      'select',
      { name: 'criterion', id: uid('criterion'), class: 'select-fit' },
      ...m.gears.flatMap((g) =>
        g.criteria.map((c) => h('option', { value: c.key }, `${c.key} (versnelling ${g.gear}): ${c.text}`)),
      ),
    );
    const title = h('input', { type: 'text', name: 'title', id: uid('title'), maxLength: 300 });
    const owner = h('input', { type: 'text', name: 'owner', id: uid('owner'), maxLength: 200 });
    const due = h('input', { type: 'text', name: 'due', id: uid('due'), size: 12 });
    const summary = h('div');
    const controls: Record<string, HTMLElement> = { criterion, title, owner, due };
    const labels: Record<string, string> = {
      criterion: 'Criterium',
      title: 'Wat',
      owner: 'Wie (bij de organisatie)',
      due: 'Termijn',
    };
    const form = h(
      'form',
      {
        class: 'no-print',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            clearFieldErrors(form);
            replace(summary);
            void post<Action>(`/api/organisations/${organisationId}/actions`, {
              criterion: criterion.value,
              title: title.value,
              owner: owner.value.trim() || null,
              due: due.value.trim() || null,
            }).then(
              (a) => {
                title.value = '';
                owner.value = '';
                due.value = '';
                void load(`De actie "${a.title}" is afgesproken.`);
              },
              (err: unknown) => {
                const problems = problemsOf(err);
                const { first, unplaced } = placeProblems(problems, controls);
                const items: Child[] = problems
                  .filter((p) => p.path !== undefined && controls[p.path])
                  .map((p) => focusLink(controls[p.path!]!, `${labels[p.path!]}: ${p.message}`));
                for (const p of unplaced) items.push(p.message);
                if (items.length === 0)
                  items.push(messageOf(err, 'Opslaan lukte niet; probeer het opnieuw.'));
                replace(summary, errorSummary('Nog niet afgesproken:', items));
                (first ?? summary).focus?.();
              },
            );
          },
        },
      },
      h('h3', null, 'Actie afspreken'),
      field(labels.criterion!, criterion),
      field(labels.title!, title),
      field(labels.owner!, owner),
      field(labels.due!, due, 'Een kwartaal (2027-Q1) of een datum (2027-03-31); leeg: geen termijn.'),
      summary,
      h('p', null, h('button', { type: 'submit' }, 'Actie afspreken')),
    );
    return form;
  }

  await load();
  return section;
}
