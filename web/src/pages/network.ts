// The projectleider's work in the network (issue 13): the actions past their due moment across the
// region, logging an activity (a house visit, a meeting, a workshop, advice) with the
// organisations involved and the measures touched, and the log itself with filters.

import type { Action, Activity } from '../../../server/contracts/network.contract.ts';
import type { OrganisationList } from '../../../server/contracts/organisation.contract.ts';
import { MEASURES } from '../../../server/domain/measures.ts';
import {
  ACTIVITY_KIND_NAMES,
  ACTIVITY_KINDS,
  type ActivityKind,
} from '../../../server/domain/network-work.ts';
import { localDate } from '../../../server/domain/quarter.ts';
import { del, get, post } from '../api.ts';
import type { View } from '../router.ts';
import { dueText } from '../ui/action-plan.ts';
import { button, type Child, field, h, notice, replace, uid } from '../ui/dom.ts';
import { errorSummary, focusLink } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { formatDate } from '../ui/format.ts';
import { errorText } from '../ui/messages.ts';
import { problemsOf } from '../ui/problems.ts';
import {
  askedQuarter,
  currentQuarter,
  isQuarter,
  type Quarter,
  quarterSelect,
  selectedQuarter,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { dataTable, scrollBox } from '../ui/table.ts';

type Org = { id: number; name: string };

export async function renderNetwork(view: View): Promise<void> {
  const canEdit = view.session?.user.role === 'projectleider';
  const preselected = Number(view.query.get('organisatie')) || null;
  const filter = {
    organisationId: Number(view.query.get('filter-organisatie')) || null,
    kind: (ACTIVITY_KINDS as readonly string[]).includes(view.query.get('soort') ?? '')
      ? (view.query.get('soort') as ActivityKind)
      : null,
    from: askedQuarter(view.query, 'van'),
    to: askedQuarter(view.query, 'tot'),
  };
  // Without a chosen period or organisation: the last four quarters (a region logs hundreds a year).
  const defaulted = !filter.from && !filter.to && !filter.organisationId && !view.query.has('alles');
  if (defaulted) filter.from = shiftQuarter(currentQuarter(), -3);
  view.main.append(
    h('h1', null, 'Netwerk'),
    h(
      'p',
      null,
      'Het werk dat de versnellingen in beweging brengt: huisbezoeken, bijeenkomsten, workshops en advies, en de acties die met de organisaties zijn afgesproken.',
    ),
  );
  let overdue: Action[];
  let orgs: Org[];
  try {
    const [o, list] = await Promise.all([
      get<Action[]>('/api/actions?overdue=true'),
      get<OrganisationList>('/api/organisations?includeArchived=true'),
    ]);
    overdue = o;
    orgs = list.items
      .map((i) => ({ id: i.id, name: i.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  } catch (err) {
    view.main.append(notice('error', errorText(err, 'De gegevens konden niet worden geladen.')));
    return;
  }
  const listBox = h('div', { 'aria-live': 'polite' });
  const reloadList = async () => {
    const query = new URLSearchParams();
    if (filter.organisationId) query.set('organisationId', String(filter.organisationId));
    if (filter.kind) query.set('kind', filter.kind);
    if (filter.from) query.set('from', filter.from);
    if (filter.to) query.set('to', filter.to);
    try {
      const activities = await get<Activity[]>(`/api/activities?${query}`);
      replace(listBox, activitiesTable(activities, canEdit, reloadList));
    } catch (err) {
      replace(listBox, notice('error', errorText(err, 'De activiteiten konden niet worden geladen.')));
    }
  };
  view.main.append(
    overdueSection(overdue),
    canEdit ? activityForm(orgs, preselected, reloadList) : '',
    h(
      'section',
      { 'aria-labelledby': 'activities-title' },
      h('h2', { id: 'activities-title' }, 'Activiteiten'),
      filterForm(view, orgs, filter),
      defaulted
        ? h(
            'p',
            { class: 'hint' },
            'De activiteiten van de laatste vier kwartalen; kies een periode of organisatie voor andere, of ',
            h('a', { href: '/netwerk?alles=1' }, 'toon alles'),
            '.',
          )
        : null,
      listBox,
    ),
  );
  await reloadList();
}

function overdueSection(actions: Action[]): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'overdue-title' },
    h('h2', { id: 'overdue-title' }, `Acties over hun termijn (${actions.length})`),
    actions.length === 0
      ? h('p', null, 'Geen afgesproken acties over hun termijn.')
      : scrollBox(
          'Acties over hun termijn, scrollbaar',
          dataTable<Action>({
            caption: 'Open of lopende acties waarvan de termijn voorbij is',
            class: 'stack-cards',
            columns: [
              {
                head: 'Organisatie',
                rowHeader: true,
                cell: (a) => h('a', { href: `/organisaties/${a.organisationId}` }, a.organisation),
              },
              { head: 'Actie', label: 'Actie', cell: (a) => `${a.title} (criterium ${a.criterion})` },
              { head: 'Eigenaar', label: 'Eigenaar', cell: (a) => a.owner ?? '–' },
              { head: 'Termijn', label: 'Termijn', cell: (a) => dueText(a) },
              { head: 'Status', label: 'Status', cell: (a) => a.status },
            ],
            rows: actions,
          }),
        ),
  );
}

function activityForm(orgs: Org[], preselected: number | null, reload: () => Promise<void>): HTMLElement {
  const date = h('input', {
    type: 'date',
    name: 'date',
    id: uid('date'),
    value: localDate(new Date()),
  });
  const kind = h(
    'select',
    { name: 'kind', id: uid('kind') },
    ...ACTIVITY_KINDS.map((k) => h('option', { value: k }, ACTIVITY_KIND_NAMES[k])),
  );
  const title = h('input', { type: 'text', name: 'title', id: uid('title'), maxLength: 300 });
  const organisations = h(
    'select',
    { name: 'organisationIds', id: uid('organisationIds'), multiple: true, size: 8, class: 'select-fit' },
    ...orgs.map((o) => h('option', { value: String(o.id), selected: o.id === preselected }, o.name)),
  );
  const measureBoxes = MEASURES.map((m) => {
    const box = h('input', { type: 'checkbox', name: 'measures', value: m.key, id: uid(`measure-${m.key}`) });
    return {
      box,
      element: h('div', { class: 'field import-check' }, box, h('label', { for: box.id }, m.name)),
    };
  });
  const measures = h(
    'fieldset',
    { id: uid('measures'), tabIndex: -1 },
    h('legend', null, 'VPT-maatregelen waar het over ging'),
    ...measureBoxes.map((m) => m.element),
  );
  const notes = h('textarea', { name: 'notes', id: uid('notes'), rows: 3, maxLength: 5000 });
  const summary = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const controls: Record<string, HTMLElement> = {
    date,
    kind,
    title,
    organisationIds: organisations,
    measures,
    notes,
  };
  const labels: Record<string, string> = {
    date: 'Datum',
    kind: 'Soort',
    title: 'Omschrijving',
    organisationIds: 'Organisaties',
    measures: 'Maatregelen',
    notes: 'Verslag',
  };
  const form = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          clearFieldErrors(form);
          replace(summary);
          replace(status);
          void post<Activity>('/api/activities', {
            date: date.value,
            kind: kind.value,
            title: title.value,
            organisationIds: [...organisations.selectedOptions].map((o) => Number(o.value)),
            measures: measureBoxes.filter((m) => m.box.checked).map((m) => m.box.value),
            notes: notes.value.trim() || null,
          }).then(
            (a) => {
              title.value = '';
              notes.value = '';
              for (const m of measureBoxes) m.box.checked = false;
              replace(
                status,
                notice('ok', `De activiteit "${a.title}" van ${formatDate(a.date)} is vastgelegd.`),
              );
              void reload();
            },
            (err: unknown) => {
              const problems = problemsOf(err);
              const { first, unplaced } = placeProblems(problems, controls);
              const items: Child[] = problems
                .filter((p) => p.path !== undefined && controls[p.path])
                .map((p) => focusLink(controls[p.path!]!, `${labels[p.path!]}: ${p.message}`));
              for (const p of unplaced) items.push(p.message);
              if (items.length === 0) items.push(errorText(err, 'Opslaan lukte niet; probeer het opnieuw.'));
              replace(summary, errorSummary('Nog niet vastgelegd:', items));
              (first ?? summary).focus?.();
            },
          );
        },
      },
    },
    h('h2', null, 'Activiteit vastleggen'),
    status,
    field(labels.date!, date),
    field(labels.kind!, kind),
    field(labels.title!, title),
    field(
      labels.organisationIds!,
      organisations,
      'Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen; geen: een activiteit voor het hele netwerk.',
    ),
    orgs.length === 0
      ? h(
          'p',
          { class: 'hint' },
          'Er zijn nog geen organisaties om te kiezen: ',
          h('a', { href: '/organisaties/nieuw' }, 'voeg organisaties toe'),
          '. Een activiteit voor het hele netwerk kan al wel.',
        )
      : null,
    measures,
    field(labels.notes!, notes),
    summary,
    h('p', null, h('button', { type: 'submit' }, 'Activiteit vastleggen')),
  );
  return form;
}

function filterForm(
  view: View,
  orgs: Org[],
  filter: {
    organisationId: number | null;
    kind: ActivityKind | null;
    from: Quarter | null;
    to: Quarter | null;
  },
): HTMLElement {
  const org = h(
    'select',
    { name: 'filter-organisatie', id: uid('filter-org'), class: 'select-fit' },
    h('option', { value: '' }, 'Alle organisaties'),
    ...orgs.map((o) =>
      h('option', { value: String(o.id), selected: o.id === filter.organisationId }, o.name),
    ),
  );
  const kind = h(
    'select',
    { name: 'soort', id: uid('filter-kind') },
    h('option', { value: '' }, 'Alle soorten'),
    ...ACTIVITY_KINDS.map((k) =>
      h('option', { value: k, selected: k === filter.kind }, ACTIVITY_KIND_NAMES[k]),
    ),
  );
  const from = quarterSelect({
    selected: filter.from,
    empty: 'Vanaf het begin',
    attrs: { id: uid('filter-from') },
  });
  const to = quarterSelect({ selected: filter.to, empty: 'Tot nu', attrs: { id: uid('filter-to') } });
  return h(
    'form',
    {
      class: 'controls no-print',
      on: {
        submit: (event) => {
          event.preventDefault();
          const q = new URLSearchParams();
          if (org.value) q.set('filter-organisatie', org.value);
          if (kind.value) q.set('soort', kind.value);
          const f = selectedQuarter(from);
          const t = selectedQuarter(to);
          if (f && isQuarter(f)) q.set('van', f);
          if (t && isQuarter(t)) q.set('tot', t);
          view.navigate(`/netwerk?${q}`);
        },
      },
    },
    field('Organisatie', org),
    field('Soort', kind),
    field('Van', from),
    field('Tot en met', to),
    h('button', { type: 'submit' }, 'Toon'),
  );
}

function activitiesTable(activities: Activity[], canEdit: boolean, reload: () => Promise<void>): Child {
  if (activities.length === 0)
    return h(
      'p',
      null,
      canEdit
        ? 'Geen activiteiten gevonden. Leg er een vast met het formulier hierboven, of kies een andere periode of organisatie, of '
        : 'Geen activiteiten gevonden. Kies een andere periode of organisatie, of ',
      h('a', { href: '/netwerk?alles=1' }, 'toon alles'),
      '.',
    );
  return scrollBox(
    'Activiteiten, scrollbaar',
    dataTable<Activity>({
      caption: `${activities.length} ${activities.length === 1 ? 'activiteit' : 'activiteiten'}, nieuwste eerst`,
      class: 'stack-cards',
      columns: [
        { head: 'Datum', rowHeader: true, cell: (a) => formatDate(a.date) },
        { head: 'Soort', label: 'Soort', cell: (a) => ACTIVITY_KIND_NAMES[a.kind] },
        {
          head: 'Omschrijving',
          label: 'Omschrijving',
          cell: (a) => [a.title, a.notes ? h('span', { class: 'hint' }, ` – ${a.notes}`) : null],
        },
        {
          head: 'Organisaties',
          label: 'Organisaties',
          cell: (a) =>
            a.organisations.length === 0 ? 'het hele netwerk' : a.organisations.map((o) => o.name).join(', '),
        },
        {
          head: 'Maatregelen',
          label: 'Maatregelen',
          cell: (a) => a.measures.map((m) => m.name).join(', ') || '–',
        },
        canEdit && {
          head: 'Verwijderen',
          label: 'Verwijderen',
          cell: (a) =>
            button(
              [
                'Verwijderen',
                h('span', { class: 'visually-hidden' }, `: ${a.title} van ${formatDate(a.date)}`),
              ],
              () => {
                if (!window.confirm(`De activiteit "${a.title}" van ${formatDate(a.date)} verwijderen?`))
                  return;
                void del(`/api/activities/${a.id}`).then(reload, (err: unknown) =>
                  window.alert(errorText(err, 'Verwijderen lukte niet; probeer het opnieuw.')),
                );
              },
              { class: 'secondary' },
            ),
        },
      ],
      rows: activities,
    }),
  );
}
