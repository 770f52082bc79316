// The projectleider's organisations: a list that can be searched, filtered and sorted (its state
// lives in the address, so back/forward and reload keep it), a page per organisation with its
// status, contact data, gear history, the edit form and archive/restore, and a page to add one.
import type {
  ArchiveInput,
  GearHistory,
  OrganisationListItem as ListItem,
  Organisation,
  OrganisationInput,
  OrganisationList,
  OrganisationPatch,
  OrganisationStatus,
} from '../../../server/contracts/organisation.contract.ts';
import type { Quickscan, QuickscanSource } from '../../../server/contracts/quickscan.contract.ts';
import type { Matrix } from '../../../server/contracts/report.contract.ts';
import type { Sector } from '../../../server/contracts/sector.contract.ts';
import { ApiError, get, patch, post } from '../api.ts';
import type { View } from '../router.ts';
import { actionPlanSection } from '../ui/action-plan.ts';
import { contactHistorySection } from '../ui/contact-history.ts';
import { confirmed } from '../ui/dialog.ts';
import { button, type Child, field, focusOn, h, notice, replace, visuallyHidden } from '../ui/dom.ts';
import { formProblems } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { byName, formatDate, formatQuarter, searchKey } from '../ui/format.ts';
import { gearAge, isOldGear } from '../ui/gear-age.ts';
import { gearFill } from '../ui/gear-colours.ts';
import { defaultDiffQuarters, gearDiffSection } from '../ui/gear-diff.ts';
import { incidentSection } from '../ui/incident-form.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { orgChartSection } from '../ui/org-chart.ts';
import { type Problem, problemsOf } from '../ui/problems.ts';
import {
  currentQuarter,
  isQuarter,
  notAfterNow,
  type Quarter,
  quarterSelect,
  selectedQuarter,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { dataTable, keepTableRoles, scrollBox } from '../ui/table.ts';
import { periodText, timelineFacts } from '../ui/timeline.ts';
import { timelineActions } from '../ui/timeline-forms.ts';

/** Where the list was last: the back link of an organisation's page returns there. */
let lastListSearch = '';
/** A message for the next page shown ("Organisatie … is toegevoegd."). */
let flash: string | null = null;

const SOURCE: Record<QuickscanSource, string> = {
  quickscan: 'quickscan',
  import: 'import',
  manual: 'handmatig ingevoerd',
};

function backLink(): HTMLElement {
  return h(
    'p',
    { class: 'org-back' },
    h('a', { href: `/organisaties${lastListSearch}` }, 'Terug naar alle organisaties'),
  );
}

// ---------------------------------------------------------------------------------------------
// The list

type SortKey = 'naam' | 'sector' | 'versnelling' | 'lidsinds';
interface ListState {
  q: string;
  sector: string;
  gear: string; // '' = all, 'geen' = none yet, '1'..'5'
  archived: boolean;
  quarter: Quarter;
  sort: SortKey;
  dir: 'op' | 'af';
}

const SORT_LABELS: Record<SortKey, string> = {
  naam: 'Organisatie',
  sector: 'Sector',
  versnelling: 'Versnelling',
  lidsinds: 'Lid sinds',
};

function readState(query: URLSearchParams): ListState {
  const sort = query.get('sorteer');
  const quarter = query.get('kwartaal') ?? '';
  const gear = query.get('versnelling') ?? '';
  return {
    q: query.get('zoek') ?? '',
    sector: /^\d+$/.test(query.get('sector') ?? '') ? (query.get('sector') as string) : '',
    gear: /^([1-5]|geen)$/.test(gear) ? gear : '',
    archived: query.get('gearchiveerd') === 'ja',
    quarter: isQuarter(quarter) ? quarter : currentQuarter(),
    sort: sort && sort in SORT_LABELS ? (sort as SortKey) : 'naam',
    dir: query.get('richting') === 'af' ? 'af' : 'op',
  };
}

function writeState(state: ListState): string {
  const q = new URLSearchParams();
  if (state.q.trim()) q.set('zoek', state.q.trim());
  if (state.sector) q.set('sector', state.sector);
  if (state.gear) q.set('versnelling', state.gear);
  if (state.archived) q.set('gearchiveerd', 'ja');
  if (state.quarter !== currentQuarter()) q.set('kwartaal', state.quarter);
  if (state.sort !== 'naam') q.set('sorteer', state.sort);
  if (state.dir === 'af') q.set('richting', 'af');
  const s = q.toString();
  return s ? `?${s}` : '';
}

function compareItems(a: ListItem, b: ListItem, key: SortKey): number {
  switch (key) {
    case 'sector':
      return byName.compare(a.sector, b.sector);
    case 'versnelling':
      return (a.gear ?? 0) - (b.gear ?? 0);
    case 'lidsinds':
      return a.memberFrom < b.memberFrom ? -1 : a.memberFrom > b.memberFrom ? 1 : 0;
    default:
      return 0;
  }
}

/** The organisations that pass the filters, sorted as chosen. */
function visibleRows(list: OrganisationList, state: ListState): ListItem[] {
  const needle = searchKey(state.q);
  return list.items
    .filter((o) => !needle || searchKey(o.name).includes(needle))
    .filter((o) => !state.sector || String(o.sectorId) === state.sector)
    .filter((o) => !state.gear || (state.gear === 'geen' ? o.gear === null : String(o.gear) === state.gear))
    .sort((a, b) => {
      const c = compareItems(a, b, state.sort) || byName.compare(a.name, b.name);
      return state.dir === 'af' ? -c : c;
    });
}

function fetchList(state: ListState): Promise<OrganisationList> {
  const q = new URLSearchParams({ quarter: state.quarter });
  if (state.archived) q.set('includeArchived', 'true');
  return get<OrganisationList>(`/api/organisations?${q}`);
}

/** The list page: its state, the loaded list and the parts that are drawn again. */
interface ListPage {
  state: ListState;
  list: OrganisationList;
  status: HTMLElement;
  count: HTMLElement;
  table: HTMLTableElement;
  caption: HTMLElement;
  tbody: HTMLElement;
  sortHeaders: Map<SortKey, HTMLTableCellElement>;
  /** Typing in the search box replaces the history entry instead of adding one per key. */
  typing: boolean;
  /** Below the table: the button that shows every row when the list is long. */
  more: HTMLElement;
  showAll: boolean;
}

/** A long list (a national region) shows this many rows until the user asks for all. */
const FIRST_ROWS = 250;

export async function renderOrganisations(view: View): Promise<void> {
  const state = readState(view.query);
  lastListSearch = writeState(state);
  const status = h('div', { 'aria-live': 'polite' });
  view.main.append(
    h('h1', null, 'Organisaties'),
    h(
      'p',
      { class: 'org-toolbar' },
      h('a', { class: 'button', href: '/organisaties/nieuw' }, 'Organisatie toevoegen'),
    ),
    status,
  );
  let sectors: Sector[];
  let list: OrganisationList;
  try {
    [sectors, list] = await Promise.all([get<Sector[]>('/api/sectors'), fetchList(state)]);
  } catch (err) {
    status.append(notice('error', errorText(err, 'De organisaties konden niet worden geladen.')));
    return;
  }
  const page: ListPage = {
    state,
    list,
    status,
    count: h('p', { class: 'org-count', role: 'status' }),
    caption: h('caption', null),
    tbody: h('tbody', null),
    table: h('table'),
    sortHeaders: new Map(),
    typing: false,
    more: h('p', { class: 'org-more' }),
    showAll: false,
  };
  page.table = listTable(page);
  view.main.append(
    filterForm(page, sectors),
    page.count,
    scrollBox('Organisaties, scrollbaar', page.table),
    page.more,
  );
  drawTable(page);
}

function filterForm(page: ListPage, sectors: Sector[]): HTMLFormElement {
  const { state } = page;
  const search = h('input', { type: 'search', name: 'zoek', value: state.q, autocomplete: 'off' });
  const sectorSelect = h(
    'select',
    { name: 'sector' },
    h('option', { value: '' }, 'Alle sectoren'),
    ...sectors.map((s) =>
      h('option', { value: String(s.id), selected: String(s.id) === state.sector }, s.name),
    ),
  );
  const gearSelect = h(
    'select',
    { name: 'versnelling' },
    h('option', { value: '' }, 'Alle versnellingen'),
    h('option', { value: 'geen', selected: state.gear === 'geen' }, 'Nog geen versnelling'),
    ...[1, 2, 3, 4, 5].map((g) =>
      h('option', { value: String(g), selected: String(g) === state.gear }, `Versnelling ${g}`),
    ),
  );
  const quarter = quarterSelect({ selected: state.quarter, attrs: { name: 'kwartaal' } });
  const archived = h('input', { type: 'checkbox', id: 'org-archived', checked: state.archived });

  search.addEventListener('input', () => {
    state.q = search.value;
    commit(page, !page.typing);
    page.typing = true;
  });
  /** A choice in a select or the checkbox: a history entry of its own, and perhaps a new list. */
  const onChange = (control: HTMLElement, apply: () => void, reload = false) =>
    control.addEventListener('change', () => {
      page.typing = false;
      apply();
      commit(page, true);
      if (reload) void refetch(page);
    });
  onChange(sectorSelect, () => (state.sector = sectorSelect.value));
  onChange(gearSelect, () => (state.gear = gearSelect.value));
  onChange(quarter, () => (state.quarter = selectedQuarter(quarter) ?? state.quarter), true);
  onChange(archived, () => (state.archived = archived.checked), true);

  return h(
    'form',
    {
      class: 'controls org-filters',
      role: 'search',
      'aria-label': 'Organisaties zoeken en filteren',
      on: { submit: (e) => e.preventDefault() },
    },
    field('Zoek op naam', search),
    field('Sector', sectorSelect),
    field('Versnelling', gearSelect),
    field('Kwartaal', quarter),
    h(
      'div',
      { class: 'field org-check' },
      archived,
      h('label', { for: 'org-archived' }, 'Ook gearchiveerde tonen'),
    ),
  );
}

/** The table: the header stays (so a sort button keeps the focus), the body is drawn again. */
function listTable(page: ListPage): HTMLTableElement {
  const headerRow = h('tr', null);
  for (const key of Object.keys(SORT_LABELS) as SortKey[]) {
    const sort = () => {
      if (page.state.sort === key) page.state.dir = page.state.dir === 'op' ? 'af' : 'op';
      else {
        page.state.sort = key;
        page.state.dir = 'op';
      }
      commit(page, true);
    };
    const th = h(
      'th',
      { scope: 'col' },
      button([SORT_LABELS[key], h('span', { class: 'org-sort-icon', 'aria-hidden': 'true' })], sort, {
        class: 'org-sort',
      }),
    );
    page.sortHeaders.set(key, th);
    headerRow.append(th);
  }
  headerRow.append(h('th', { scope: 'col', class: 'stack-hide' }, 'Actie'));
  return h('table', { class: 'org-table stack-rows' }, page.caption, h('thead', null, headerRow), page.tbody);
}

function drawTable(page: ListPage): void {
  const { state, list } = page;
  const rows = visibleRows(list, state);
  for (const [key, th] of page.sortHeaders) {
    const icon = th.querySelector('.org-sort-icon') as HTMLElement;
    if (key === state.sort) {
      th.setAttribute('aria-sort', state.dir === 'op' ? 'ascending' : 'descending');
      icon.textContent = state.dir === 'op' ? ' ▲' : ' ▼';
    } else {
      th.removeAttribute('aria-sort');
      icon.textContent = ' ↕';
    }
  }
  const dirText = state.dir === 'op' ? 'oplopend' : 'aflopend';
  page.caption.textContent = `Organisaties met hun versnelling in ${formatQuarter(list.quarter)}, gesorteerd op ${SORT_LABELS[state.sort].toLowerCase()} (${dirText})`;
  page.count.textContent =
    rows.length === list.items.length
      ? `${rows.length} organisaties`
      : `${rows.length} van ${list.items.length} organisaties`;
  page.tbody.replaceChildren(
    ...(rows.length === 0
      ? [
          h(
            'tr',
            null,
            h(
              'td',
              { colSpan: 5 },
              list.items.length === 0
                ? [
                    `Er is geen organisatie die in ${formatQuarter(list.quarter)} lid is. `,
                    h('a', { href: '/organisaties/nieuw' }, 'Voeg een organisatie toe'),
                    ' of ',
                    h('a', { href: '/import-export' }, 'importeer de prestatielijst die u nu bijhoudt'),
                    '.',
                  ]
                : 'Geen organisaties gevonden met deze zoekopdracht en filters.',
            ),
          ),
        ]
      : (page.showAll ? rows : rows.slice(0, FIRST_ROWS)).map((o) => listRow(o, list.quarter))),
  );
  keepTableRoles(page.table);
  const hidden = page.showAll ? 0 : rows.length - FIRST_ROWS;
  page.more.replaceChildren(
    ...(hidden > 0
      ? [
          `De eerste ${FIRST_ROWS} van ${rows.length} organisaties staan hierboven. `,
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              on: {
                click: () => {
                  page.showAll = true;
                  drawTable(page);
                },
              },
            },
            `Toon alle ${rows.length}`,
          ),
        ]
      : []),
  );
}

function listRow(o: ListItem, quarter: Quarter): HTMLElement {
  return h(
    'tr',
    { class: o.archived ? 'org-archived-row' : undefined },
    h(
      'td',
      null,
      h('a', { href: `/organisaties/${o.id}` }, o.name),
      o.archived ? h('span', { class: 'org-tag' }, 'gearchiveerd') : null,
    ),
    h('td', { 'data-label': 'Sector' }, o.sector),
    h('td', { 'data-label': 'Versnelling' }, gearCell(o, quarter)),
    h(
      'td',
      { 'data-label': 'Lid sinds' },
      formatQuarter(o.memberFrom),
      o.memberUntil ? ` t/m ${formatQuarter(o.memberUntil)}` : '',
    ),
    h(
      'td',
      { class: 'org-row-action' },
      o.member && !o.archived
        ? h(
            'a',
            { href: `/quickscan?organisatie=${o.id}&kwartaal=${quarter}` },
            'Quickscan',
            visuallyHidden(` voor ${o.name}`),
          )
        : null,
    ),
  );
}

function gearCell(item: ListItem, quarter: Quarter): HTMLElement {
  if (item.gear === null) {
    return h(
      'span',
      { class: 'org-nogear' },
      item.member ? 'nog geen' : `geen lid in ${formatQuarter(quarter)}`,
    );
  }
  const age = gearAge(item.gearRecordedIn, item.ageQuarters, { brackets: true });
  return h(
    'span',
    null,
    h('span', { class: `org-gear ${gearFill(item.gear)}` }, String(item.gear)),
    age ? [' ', age] : null,
  );
}

/** Puts the state in the address (a new history entry, or replacing it while typing) and redraws. */
function commit(page: ListPage, push: boolean): void {
  lastListSearch = writeState(page.state);
  const url = `/organisaties${lastListSearch}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  drawTable(page);
}

async function refetch(page: ListPage): Promise<void> {
  page.status.replaceChildren();
  try {
    page.list = await fetchList(page.state);
  } catch (err) {
    page.status.append(notice('error', errorText(err, 'De organisaties konden niet worden geladen.')));
    return;
  }
  drawTable(page);
}

// ---------------------------------------------------------------------------------------------
// The form (add and edit)

interface OrganisationForm {
  element: HTMLFormElement;
  isDirty: () => boolean;
}

interface FormOptions {
  sectors: Sector[];
  org: Organisation | null;
  onSaved: (org: Organisation) => void;
  onReload?: () => void;
  /** Called when saving starts: an earlier "saved" message should not stay next to a new error. */
  onSubmit?: () => void;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The form's controls, by the name of their field in the API. */
function formControls(org: Organisation | null, sectors: Sector[]) {
  const now = currentQuarter();
  const text = (name: string, type: string, value: string | null, autocomplete = 'off') =>
    h('input', { id: `org-${name}`, type, value: value ?? '', autocomplete });
  const notes = h('textarea', { id: 'org-notes', rows: 4 });
  notes.value = org?.notes ?? '';
  const locked = org?.archived === true;
  return {
    name: text('name', 'text', org?.name ?? '', 'organization'),
    sectorId: h(
      'select',
      { id: 'org-sectorId' },
      org ? null : h('option', { value: '' }, 'Kies een sector'),
      ...sectors.map((s) => h('option', { value: String(s.id), selected: s.id === org?.sectorId }, s.name)),
    ),
    contactName: text('contactName', 'text', org?.contactName ?? null),
    contactEmail: text('contactEmail', 'email', org?.contactEmail ?? null),
    contactPhone: text('contactPhone', 'tel', org?.contactPhone ?? null),
    notes,
    memberFrom: quarterSelect({
      to: shiftQuarter(now, 4),
      selected: org?.memberFrom ?? now,
      attrs: { id: 'org-memberFrom', disabled: locked },
    }),
    memberUntil: quarterSelect({
      to: shiftQuarter(now, 8),
      selected: org?.memberUntil ?? null,
      empty: 'Nog lid (geen einde)',
      attrs: { id: 'org-memberUntil', disabled: locked },
    }),
  } satisfies Record<string, Control>;
}

type FormControls = ReturnType<typeof formControls>;

function organisationForm(options: FormOptions): OrganisationForm {
  const { org } = options;
  const controls = formControls(org, options.sectors);
  const snapshot = () =>
    Object.values(controls)
      .map((c) => c.value)
      .join('\u0000');
  const state = { clean: snapshot() };
  const status = h('div', { 'aria-live': 'polite', class: 'org-form-status' });
  const submit = h('button', { type: 'submit' }, org ? 'Wijzigingen opslaan' : 'Organisatie toevoegen');
  const form = formLayout(controls, org, status, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    status.replaceChildren();
    options.onSubmit?.();
    // What the page can see for itself is said at once, every field together, before sending.
    const problems = formProblemsBeforeSending(controls);
    if (problems.length > 0) {
      form.querySelector(':scope > .error-summary')?.remove();
      const shown = formProblems(problems, controls, { form, intro: 'Niet opgeslagen:' });
      form.prepend(shown.summary);
      shown.first?.focus();
      return;
    }
    const body = formBody(controls, org);
    if (!body) return;
    submit.disabled = true;
    try {
      const saved = org
        ? await patch<Organisation>(`/api/organisations/${org.id}`, {
            ...body,
            expectedVersion: org.version,
          } satisfies OrganisationPatch)
        : await post<Organisation>('/api/organisations', body);
      state.clean = snapshot();
      options.onSaved(saved);
    } catch (err) {
      showSaveError(err, { controls, status, submit, onReload: options.onReload });
    } finally {
      submit.disabled = false;
    }
  });
  return { element: form, isDirty: () => snapshot() !== state.clean };
}

/** The form's fields in their groups, with the status line and the button under them. */
function formLayout(
  controls: FormControls,
  org: Organisation | null,
  status: HTMLElement,
  submit: HTMLElement,
): HTMLFormElement {
  const locked = org?.archived === true;
  return h(
    'form',
    { class: 'org-form', novalidate: true, 'aria-label': org ? 'Gegevens wijzigen' : 'Nieuwe organisatie' },
    h(
      'fieldset',
      null,
      h('legend', null, 'Organisatie'),
      field('Naam', controls.name),
      field(
        'Sector',
        controls.sectorId,
        org && !locked
          ? `Een andere sector geldt vanaf het huidige kwartaal (${formatQuarter(currentQuarter())}); voor een ander kwartaal kiest u "Naar een andere sector" hierboven.`
          : undefined,
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Contactpersoon'),
      field('Naam contactpersoon', controls.contactName),
      field('E-mailadres', controls.contactEmail),
      field('Telefoonnummer', controls.contactPhone),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, org ? 'Lidmaatschap: de laatste periode' : 'Lidmaatschap'),
      field(
        org ? 'Lid sinds (laatste periode)' : 'Lid sinds',
        controls.memberFrom,
        locked
          ? 'Zet de organisatie eerst terug om het lidmaatschap te wijzigen.'
          : org
            ? 'Het eerste kwartaal van de laatste lidmaatschapsperiode; eerdere periodes staan onder "Lidmaatschap en sector".'
            : 'Het eerste kwartaal als lid van het netwerk.',
      ),
      field(
        org ? 'Lid tot en met (laatste periode)' : 'Lid tot en met',
        controls.memberUntil,
        locked ? undefined : 'Alleen invullen als het lidmaatschap eindigt.',
      ),
    ),
    field('Notities', controls.notes),
    status,
    h('p', null, submit),
  );
}

/** The problems the page sees itself: an empty name, no sector, an e-mail address that is none. */
function formProblemsBeforeSending(controls: FormControls): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ code: 'invalid_field', path, message });
  if (controls.name.value.trim() === '') problem('name', 'vul de naam van de organisatie in');
  if (!controls.sectorId.value) problem('sectorId', 'kies de sector van de organisatie');
  const email = controls.contactEmail as HTMLInputElement;
  if (email.value.trim() !== '' && !email.checkValidity()) {
    problem('contactEmail', 'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl');
  }
  return problems;
}

/** What the form sends; null (with the sector marked) when a new organisation has no sector yet. */
function formBody(controls: FormControls, org: Organisation | null): OrganisationInput | null {
  if (!controls.sectorId.value) {
    placeProblems(
      [{ code: 'invalid_field', path: 'sectorId', message: 'Kies de sector van de organisatie' }],
      controls,
    );
    return null;
  }
  return {
    name: controls.name.value,
    sectorId: Number(controls.sectorId.value),
    contactName: controls.contactName.value,
    contactEmail: controls.contactEmail.value.trim(),
    contactPhone: controls.contactPhone.value,
    notes: controls.notes.value,
    // An archived organisation's membership is locked (the selects are disabled).
    ...(org?.archived === true
      ? {}
      : {
          memberFrom: selectedQuarter(controls.memberFrom) ?? undefined,
          memberUntil: selectedQuarter(controls.memberUntil),
        }),
  };
}

/** Every problem next to its field; what has no field on this form goes in the message. */
function showSaveError(
  err: unknown,
  form: { controls: FormControls; status: HTMLElement; submit: HTMLElement; onReload?: () => void },
): void {
  if (!(err instanceof ApiError)) throw err;
  const problems = problemsOf(err);
  const formEl = form.status.closest('form');
  let first: HTMLElement | null = null;
  if (problems.length > 0 && formEl) {
    // Every problem beside its field and, at the top of the form, a summary linking to each.
    formEl.querySelector(':scope > .error-summary')?.remove();
    const shown = formProblems(problems, form.controls, { form: formEl, intro: 'Niet opgeslagen:' });
    formEl.prepend(shown.summary);
    first = shown.first;
    if (!first) shown.summary.querySelector('a')?.focus();
  } else {
    form.status.append(notice('error', sentence(err.message)));
  }
  if (err.code === 'version_conflict' && form.onReload) {
    form.status.append(h('p', null, button('Nieuwste versie laden', form.onReload, { class: 'secondary' })));
  }
  (first ?? form.submit).focus();
}

// ---------------------------------------------------------------------------------------------
// Adding

export async function renderNewOrganisation(view: View): Promise<void> {
  view.main.append(backLink(), h('h1', null, 'Organisatie toevoegen'));
  let sectors: Sector[];
  try {
    sectors = await get<Sector[]>('/api/sectors');
  } catch (err) {
    view.main.append(notice('error', errorText(err, 'De sectoren konden niet worden geladen.')));
    return;
  }
  const form = organisationForm({
    sectors,
    org: null,
    onSaved: (org) => {
      flash = `Organisatie ${org.name} is toegevoegd.`;
      view.navigate(`/organisaties/${org.id}`);
    },
  });
  view.guardLeave(form.isDirty);
  view.main.append(form.element);
}

// ---------------------------------------------------------------------------------------------
// One organisation

interface OrganisationData {
  org: Organisation;
  sectors: Sector[];
  status: OrganisationStatus;
  history: GearHistory;
}

export async function renderOrganisation(view: View): Promise<void> {
  const id = view.params.id ?? '';
  if (!/^\d+$/.test(id)) {
    notFound(view);
    return;
  }
  let form: OrganisationForm | null = null;
  view.guardLeave(() => form?.isDirty() ?? false);

  const load = async (message: string | null): Promise<void> => {
    const data = await loadOrganisation(view, id);
    if (data) form = drawOrganisation(view, data, message, reload);
  };
  const reload = async (message: string): Promise<void> => {
    await load(message);
    focusOn(view.main.querySelector<HTMLElement>('.notice.ok'));
  };
  const message = flash;
  flash = null;
  await load(message);
}

async function loadOrganisation(view: View, id: string): Promise<OrganisationData | null> {
  try {
    const [org, sectors, status, history] = await Promise.all([
      get<Organisation>(`/api/organisations/${id}`),
      get<Sector[]>('/api/sectors'),
      get<OrganisationStatus>(`/api/organisations/${id}/status?quarter=${currentQuarter()}`),
      get<GearHistory>(`/api/organisations/${id}/history`),
    ]);
    return { org, sectors, status, history };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      view.main.replaceChildren();
      notFound(view);
    } else {
      view.main.append(notice('error', errorText(err, 'De organisatie kon niet worden geladen.')));
    }
    return null;
  }
}

function drawOrganisation(
  view: View,
  { org, sectors, status, history }: OrganisationData,
  message: string | null,
  reload: (message: string) => Promise<void>,
): OrganisationForm {
  document.title = `${org.name} – VPT-schakelmodel`;
  const flashBox = h('div', { 'aria-live': 'polite' }, message ? notice('ok', message) : null);
  const form = organisationForm({
    sectors,
    org,
    onSaved: () => void reload('De wijzigingen zijn opgeslagen.'),
    onReload: () => void reload('De nieuwste versie is geladen. Voer uw wijzigingen opnieuw in.'),
    onSubmit: () => flashBox.replaceChildren(),
  });
  replace(
    view.main,
    backLink(),
    h('h1', null, org.name, org.archived ? h('span', { class: 'org-tag' }, 'gearchiveerd') : null),
    flashBox,
    org.archived
      ? notice(
          'info',
          `Deze organisatie is gearchiveerd${org.archivedAt ? ` op ${formatDate(org.archivedAt)}` : ''}. Ze staat niet meer in de actieve lijsten; haar geschiedenis blijft bewaard.`,
        )
      : null,
    org.archived ? restoreSection(org, reload) : null,
    statusSection(org, status),
    contactSection(org),
    membershipSection(org, sectors, reload, form.isDirty),
    later(chartSection(org, history), 'De grafiek van de versnelling'),
    historySection(history),
    later(actionPlanSection(org.id, org.archived ? 'lezen' : 'projectleider'), 'Het actieplan'),
    later(contactHistorySection(org.id, { canLog: !org.archived }), 'De contacthistorie'),
    incidentsPlaceholder(org),
    gearDiffSection(org.id, defaultDiffQuarters(history)),
    h('section', { class: 'org-section' }, h('h2', null, 'Gegevens wijzigen'), form.element),
    org.archived ? null : archiveSection(org, reload, form.isDirty),
  );
  return form;
}

/** A section loaded after the rest of the page is drawn; says so when it could not be loaded. */
function later(section: Promise<HTMLElement>, what: string): HTMLElement {
  const placeholder = h('div');
  void section.then(
    (el) => placeholder.replaceWith(el),
    () => placeholder.replaceWith(notice('error', `${what} kon niet worden geladen.`)),
  );
  return placeholder;
}

/** The incident figures, loaded after the rest of the page is drawn. */
function incidentsPlaceholder(org: Organisation): HTMLElement {
  const placeholder = h('div');
  void incidentSection(org.id, { firstQuarter: org.memberships[0]?.from ?? org.memberFrom }).then(
    (section) => placeholder.replaceWith(section),
    () => placeholder.replaceWith(notice('error', 'De incidentcijfers konden niet worden geladen.')),
  );
  return placeholder;
}

function notFound(view: View): void {
  view.main.append(
    h('h1', null, 'Deze organisatie bestaat niet'),
    h('p', null, h('a', { href: '/organisaties' }, 'Naar alle organisaties')),
  );
}

function statusSection(org: Organisation, status: OrganisationStatus): HTMLElement {
  const q = status.quarter;
  const recordedNow = status.gear !== null && status.carriedFrom === null;
  return h(
    'section',
    { class: 'card' },
    h('h2', null, `Stand in ${formatQuarter(q)}`),
    ...statusLines(org, status),
    status.member && !org.archived
      ? h(
          'p',
          null,
          h(
            'a',
            { class: 'button', href: `/quickscan?organisatie=${org.id}&kwartaal=${q}` },
            recordedNow ? `Quickscan ${formatQuarter(q)} bekijken of wijzigen` : 'Quickscan afnemen',
          ),
        )
      : null,
  );
}

function statusLines(org: Organisation, status: OrganisationStatus): HTMLElement[] {
  const q = status.quarter;
  if (!status.member)
    return [h('p', null, `${org.name} is in ${formatQuarter(q)} geen lid van het netwerk.`)];
  if (status.gear === null)
    return [h('p', null, 'Nog geen versnelling: er is nog geen quickscan vastgelegd.')];
  const lines: HTMLElement[] = [
    h(
      'p',
      { class: 'kpi' },
      'Versnelling ',
      h('strong', { class: `org-gear ${gearFill(status.gear)}` }, String(status.gear)),
      status.gearName ? ` – ${status.gearName}` : '',
    ),
    recordedLine(status),
  ];
  if (status.gear < 5 && status.progress.total > 0) {
    lines.push(
      h(
        'p',
        null,
        `Op weg naar versnelling ${status.gear + 1}: ${status.progress.met} van ${status.progress.total} criteria voldaan.`,
      ),
    );
  }
  if (status.nextSteps.length > 0) {
    lines.push(
      h('h3', null, 'Volgende stappen'),
      h(
        'ul',
        { class: 'org-steps' },
        ...status.nextSteps.map((s) =>
          h(
            'li',
            null,
            s.text,
            status.partial.includes(s.key) ? h('span', { class: 'badge' }, 'deels') : null,
          ),
        ),
      ),
    );
  }
  return lines;
}

/** "Vastgesteld in Q4 2026 (bron: quickscan)." or "Doorgeschoven uit Q1 2024, 11 kwartalen geleden …". */
function recordedLine(status: OrganisationStatus): HTMLElement {
  const age = gearAge(status.carriedFrom, status.ageQuarters);
  const source = status.source ? ` (bron: ${SOURCE[status.source]})` : '';
  if (!age) return h('p', null, `Vastgesteld in ${formatQuarter(status.quarter)}${source}.`);
  return h(
    'p',
    null,
    'Doorgeschoven ',
    age,
    `${source}.`,
    isOldGear(status.ageQuarters)
      ? ' Deze versnelling is ouder dan een jaar: tijd voor een nieuwe quickscan.'
      : '',
  );
}

function contactSection(org: Organisation): HTMLElement {
  const row = (label: string, value: Node | string | null) =>
    [
      h('dt', null, label),
      h('dd', null, value ?? h('span', { class: 'org-empty' }, 'niet ingevuld')),
    ] as const;
  return h(
    'section',
    { class: 'org-section' },
    h('h2', null, 'Gegevens'),
    h(
      'dl',
      { class: 'org-facts' },
      ...row('Sector', org.sector),
      ...row('Contactpersoon', org.contactName),
      ...row(
        'E-mailadres',
        org.contactEmail ? h('a', { href: `mailto:${org.contactEmail}` }, org.contactEmail) : null,
      ),
      ...row(
        'Telefoonnummer',
        org.contactPhone
          ? h('a', { href: `tel:${org.contactPhone.replace(/[^\d+]/g, '')}` }, org.contactPhone)
          : null,
      ),
      ...row('Notities', org.notes ? h('span', { class: 'org-notes' }, org.notes) : null),
    ),
  );
}

/** The membership periods and the sector history, with the panels that change them. */
function membershipSection(
  org: Organisation,
  sectors: Sector[],
  reload: (message: string) => Promise<void>,
  formDirty: () => boolean,
): HTMLElement {
  return h(
    'section',
    { class: 'org-section', 'aria-labelledby': 'org-timeline-kop' },
    h('h2', { id: 'org-timeline-kop' }, 'Lidmaatschap en sector'),
    timelineFacts(org.memberships, org.sectorHistory),
    org.archived
      ? h(
          'p',
          { class: 'hint' },
          'Zet de organisatie eerst terug om het lidmaatschap of de sector te wijzigen.',
        )
      : timelineActions({ org, sectors, reload, formDirty }),
  );
}

/**
 * The gear through time beside the anonymous sector and region averages, over a chosen period,
 * with the gap to the sector and the last quickscan: what the organisation sees on its own page.
 */
async function chartSection(org: Organisation, history: GearHistory): Promise<HTMLElement> {
  const to = notAfterNow(history.to);
  const [charts, matrix, quickscans] = await Promise.all([
    import('../ui/charts.ts'),
    to < history.from ? null : get<Matrix>(`/api/reports/matrix?from=${history.from}&to=${to}`),
    get<Quickscan[]>(`/api/organisations/${org.id}/quickscans`),
  ]);
  return orgChartSection(charts, {
    reader: 'projectleider',
    heading: 'Versnelling naast sector en regio',
    class: 'org-section',
    name: org.name,
    history,
    matrix,
    quickscans,
  });
}

type HistoryRow = GearHistory['quarters'][number];

/** What a row of the history says about its gear: where it came from, and how old it was then. */
function explainHistoryRow(r: HistoryRow): Child {
  if (!r.member) return 'geen lid';
  if (r.gear === null) return 'nog geen versnelling';
  const age = gearAge(r.carriedFrom, r.ageQuarters, { past: true });
  if (age) return ['doorgeschoven ', age];
  return r.source ? SOURCE[r.source] : '';
}

function historySection(history: GearHistory): HTMLElement {
  type Row = HistoryRow;
  const rows = [...history.quarters].reverse();
  // The sector per quarter, only when it changed within the period (otherwise it says nothing).
  const moved = new Set(rows.map((r) => r.sectorId)).size > 1;
  return h(
    'section',
    { class: 'org-section' },
    h('h2', null, 'Versnelling per kwartaal'),
    rows.length === 0
      ? h('p', null, 'Nog geen gegevens.')
      : scrollBox(
          'Versnelling per kwartaal, scrollbaar',
          dataTable<Row>({
            caption: `Versnelling per kwartaal, ${formatQuarter(history.from)} – ${formatQuarter(history.to)}, nieuwste eerst`,
            columns: [
              { head: 'Kwartaal', rowHeader: true, cell: (r) => formatQuarter(r.quarter) },
              {
                head: 'Versnelling',
                headClass: 'num',
                num: true,
                cell: (r) => (r.gear === null ? '–' : String(r.gear)),
              },
              moved && { head: 'Sector', cell: (r) => r.sector },
              { head: 'Toelichting', cell: explainHistoryRow },
            ],
            rows,
          }),
          'org-history',
        ),
  );
}

function archiveSection(
  org: Organisation,
  reload: (message: string) => Promise<void>,
  formDirty: () => boolean,
): HTMLElement {
  const now = currentQuarter();
  const until = quarterSelect({
    from: org.memberFrom <= now ? org.memberFrom : now,
    to: now,
    selected: org.memberUntil && org.memberUntil < now ? org.memberUntil : now,
    attrs: { id: 'org-archive-until' },
  });
  const status = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'danger' }, 'Archiveren');
  const form = h(
    'form',
    { class: 'controls', novalidate: true, 'aria-label': 'Organisatie archiveren' },
    field('Lid tot en met', until),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    status.replaceChildren();
    const question =
      `Weet u zeker dat u ${org.name} wilt archiveren? Het lidmaatschap eindigt na ${formatQuarter(selectedQuarter(until) ?? now)}.` +
      (formDirty() ? ' Uw niet-opgeslagen wijzigingen in het formulier gaan daarbij verloren.' : '');
    if (!confirmed(question)) return;
    submit.disabled = true;
    try {
      await post(`/api/organisations/${org.id}/archive`, {
        memberUntil: selectedQuarter(until) ?? undefined,
      } satisfies ArchiveInput);
      await reload(`${org.name} is gearchiveerd.`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      placeProblems(problemsOf(err), { memberUntil: until });
      status.append(notice('error', sentence(err.message)));
      submit.disabled = false;
      until.focus();
    }
  });
  return h(
    'section',
    { class: 'org-section' },
    h('h2', null, 'Archiveren'),
    h(
      'p',
      null,
      'Archiveren haalt de organisatie uit de actieve lijsten en beëindigt het lidmaatschap. De geschiedenis blijft bewaard en telt mee in de rapportages over eerdere kwartalen. U kunt de organisatie later terugzetten.',
    ),
    form,
    status,
  );
}

/** What the membership is after restoring: the periods as they were before archiving. */
function restoredMembership(org: Organisation): string {
  const last = org.memberships[org.memberships.length - 1];
  if (!last) return 'Ze heeft geen lidmaatschapsperiode; kies ‘Opnieuw lid’ als zij lid wordt.';
  return last.until === null
    ? `Ze is weer lid (${periodText(last)}).`
    : `Het lidmaatschap liep tot en met ${formatQuarter(last.until)}; kies ‘Opnieuw lid’ als zij weer lid wordt.`;
}

function restoreSection(org: Organisation, reload: (message: string) => Promise<void>): HTMLElement {
  const status = h('div', { 'aria-live': 'polite' });
  const restore = button('Terugzetten', async () => {
    status.replaceChildren();
    restore.disabled = true;
    try {
      const restored = await post<Organisation>(`/api/organisations/${org.id}/restore`);
      await reload(`${org.name} is teruggezet. ${restoredMembership(restored)}`);
    } catch (err) {
      status.append(notice('error', errorText(err, 'Terugzetten lukte niet.')));
      restore.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'org-section' },
    h('h2', null, 'Terugzetten'),
    h(
      'p',
      null,
      'Terugzetten brengt de organisatie terug in de actieve lijsten, met het lidmaatschap zoals het vóór het archiveren was.',
    ),
    h('p', null, restore),
    status,
  );
}
