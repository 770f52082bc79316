import { ApiError, get, patch, post } from '../api.ts';
import { field, h, notice, replace } from '../dom.ts';
import { formatDate, formatQuarter, quarterOfDate, quarterRange } from '../format.ts';
import type { View } from '../router.ts';
import { shiftQuarter } from './overview.ts';

// The projectleider's organisations: a list that can be searched, filtered and sorted (its state
// lives in the address, so back/forward and reload keep it), a page per organisation with its
// status, contact data, gear history, the edit form and archive/restore, and a page to add one.

export interface Organisation {
  id: number;
  name: string;
  sectorId: number;
  sector: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  notes: string | null;
  memberFrom: string;
  memberUntil: string | null;
  archived: boolean;
  archivedAt: string | null;
  version: number;
}
interface ListItem extends Organisation {
  member: boolean;
  gear: number | null;
  gearRecordedIn: string | null;
}
interface OrganisationList {
  quarter: string;
  items: ListItem[];
}
export interface Sector {
  id: number;
  name: string;
  organisationCount: number;
  version: number;
}
interface Status {
  quarter: string;
  member: boolean;
  gear: number | null;
  gearName: string | null;
  carriedFrom: string | null;
  source: 'quickscan' | 'import' | 'manual' | null;
  nextSteps: Array<{ key: string; text: string; gear: number }>;
  partial: string[];
  progress: { met: number; total: number };
}
interface History {
  from: string;
  to: string;
  quarters: Array<{
    quarter: string;
    member: boolean;
    gear: number | null;
    carriedFrom: string | null;
    source: 'quickscan' | 'import' | 'manual' | null;
  }>;
}

// ---------------------------------------------------------------------------------------------
// Small shared helpers (also used by the sectors page)

/** The API's messages start in lower case (they are also used mid-sentence); pages show sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toLocaleUpperCase('nl') + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError ? sentence(err.message) : fallback;
}

/** Marks a control as wrong and puts the message right under it, tied with aria-describedby. */
export function showFieldError(control: HTMLElement, message: string): void {
  const errorId = `${control.id}-error`;
  let el = document.getElementById(errorId);
  if (!el) {
    el = h('p', { class: 'org-field-error', id: errorId });
    control.insertAdjacentElement('afterend', el);
  }
  el.textContent = sentence(message);
  control.setAttribute('aria-invalid', 'true');
  const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  if (!described.includes(errorId))
    control.setAttribute('aria-describedby', [...described, errorId].join(' '));
}

export function clearFieldErrors(scope: HTMLElement): void {
  for (const el of scope.querySelectorAll('.org-field-error')) el.remove();
  for (const control of scope.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    const rest = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'));
    if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
    else control.removeAttribute('aria-describedby');
  }
}

/** The field problems in an API error: zod issues by path, and our own codes that concern one field. */
function fieldProblems(err: ApiError): Array<{ field: string; message: string }> {
  if (err.code === 'validation_failed') {
    const issues = (err.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
    return (issues ?? []).map((i) => ({ field: i.path.replace(/^body\.?/, ''), message: i.message }));
  }
  const one = (f: string) => [{ field: f, message: err.message }];
  switch (err.code) {
    case 'invalid_name':
    case 'duplicate_name':
      return one('name');
    case 'sector_not_found':
      return one('sectorId');
    case 'invalid_membership':
      return one('memberUntil');
    case 'gears_outside_membership':
      return one('memberFrom');
    default:
      return [];
  }
}

/**
 * Tables that turn into a list of cards on a phone (see app.css) keep their table semantics: a
 * table shown as blocks loses them in some browsers unless the roles are set explicitly.
 */
export function keepTableRoles(table: HTMLTableElement): void {
  table.setAttribute('role', 'table');
  const caption = table.querySelector('caption');
  if (caption) {
    caption.id ||= `${table.className.split(' ')[0]}-caption`;
    table.setAttribute('aria-labelledby', caption.id);
  }
  for (const g of table.querySelectorAll('thead, tbody')) g.setAttribute('role', 'rowgroup');
  for (const tr of table.querySelectorAll('tr')) tr.setAttribute('role', 'row');
  for (const th of table.querySelectorAll('thead th')) th.setAttribute('role', 'columnheader');
  for (const th of table.querySelectorAll('tbody th')) th.setAttribute('role', 'rowheader');
  for (const td of table.querySelectorAll('td')) td.setAttribute('role', 'cell');
}

const collator = new Intl.Collator('nl', { sensitivity: 'base', numeric: true });

/** Case- and accent-insensitive: "cafe" finds "Café". */
function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl').replace(/\s+/g, ' ').trim();
}

function currentQuarter(): string {
  return quarterOfDate(new Date());
}

/** A select of quarters, newest first; the selected value is always among the options. */
function quarterSelect(
  from: string,
  to: string,
  selected: string | null,
  empty?: string,
  attrs: Record<string, unknown> = {},
): HTMLSelectElement {
  let quarters = quarterRange(from, to);
  if (selected && !quarters.includes(selected)) quarters = [...quarters, selected].sort();
  const select = h('select', attrs);
  if (empty !== undefined) select.append(h('option', { value: '', selected: !selected }, empty));
  for (const q of quarters.reverse()) {
    select.append(h('option', { value: q, selected: q === selected }, formatQuarter(q)));
  }
  return select;
}

function gearText(
  item: { gear: number | null; gearRecordedIn: string | null; member: boolean },
  quarter: string,
) {
  if (item.gear === null) return item.member ? 'nog geen' : `geen lid in ${formatQuarter(quarter)}`;
  return item.gearRecordedIn && item.gearRecordedIn !== quarter
    ? `${item.gear} (uit ${formatQuarter(item.gearRecordedIn)})`
    : String(item.gear);
}

function gearCell(item: ListItem, quarter: string): HTMLElement {
  if (item.gear === null) return h('span', { class: 'org-nogear' }, gearText(item, quarter));
  const carried = item.gearRecordedIn && item.gearRecordedIn !== quarter;
  return h(
    'span',
    null,
    h('span', { class: `org-gear org-gear-${item.gear}` }, String(item.gear)),
    carried
      ? h('span', { class: 'org-carried' }, ` (uit ${formatQuarter(item.gearRecordedIn ?? '')})`)
      : null,
  );
}

/** Where the list was last: the back link of an organisation's page returns there. */
let lastListSearch = '';
/** A message for the next page shown ("Organisatie … is toegevoegd."). */
let flash: string | null = null;

// ---------------------------------------------------------------------------------------------
// The list

type SortKey = 'naam' | 'sector' | 'versnelling' | 'lidsinds';
interface ListState {
  q: string;
  sector: string;
  gear: string; // '' = all, 'geen' = none yet, '1'..'5'
  archived: boolean;
  quarter: string;
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
    quarter: /^\d{4}-Q[1-4]$/.test(quarter) ? quarter : currentQuarter(),
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
      return collator.compare(a.sector, b.sector);
    case 'versnelling':
      return (a.gear ?? 0) - (b.gear ?? 0);
    case 'lidsinds':
      return a.memberFrom < b.memberFrom ? -1 : a.memberFrom > b.memberFrom ? 1 : 0;
    default:
      return 0;
  }
}

export async function renderOrganisations(view: View): Promise<void> {
  const state = readState(view.query);
  lastListSearch = writeState(state);
  const status = h('div', { 'aria-live': 'polite' });
  view.main.append(
    h('h1', null, 'Organisaties'),
    h(
      'p',
      { class: 'org-toolbar' },
      h('a', { class: 'org-button', href: '/organisaties/nieuw' }, 'Organisatie toevoegen'),
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

  // --- the filter controls
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
  const quarterSel = quarterSelect('2010-Q1', currentQuarter(), state.quarter, undefined, {
    name: 'kwartaal',
  });
  const archived = h('input', { type: 'checkbox', id: 'org-archived', checked: state.archived });
  const filters = h(
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
    field('Kwartaal', quarterSel),
    h(
      'div',
      { class: 'field org-check' },
      archived,
      h('label', { for: 'org-archived' }, 'Ook gearchiveerde tonen'),
    ),
  );

  // --- the table: the header stays (so a sort button keeps focus), the body is redrawn
  const count = h('p', { class: 'org-count', role: 'status' });
  const caption = h('caption', null);
  const tbody = h('tbody', null);
  const sortHeaders = new Map<SortKey, HTMLTableCellElement>();
  const headerRow = h('tr', null);
  for (const key of Object.keys(SORT_LABELS) as SortKey[]) {
    const indicator = h('span', { class: 'org-sort-icon', 'aria-hidden': 'true' });
    const th = h(
      'th',
      { scope: 'col' },
      h(
        'button',
        {
          type: 'button',
          class: 'org-sort',
          on: {
            click: () => {
              if (state.sort === key) state.dir = state.dir === 'op' ? 'af' : 'op';
              else {
                state.sort = key;
                state.dir = 'op';
              }
              commit(true);
            },
          },
        },
        SORT_LABELS[key],
        indicator,
      ),
    );
    sortHeaders.set(key, th);
    headerRow.append(th);
  }
  headerRow.append(h('th', { scope: 'col', class: 'org-stack-hide' }, 'Actie'));
  const table = h('table', { class: 'org-table org-stack' }, caption, h('thead', null, headerRow), tbody);

  view.main.append(filters, count, h('div', { class: 'table-scroll org-scroll' }, table));

  function drawTable(): void {
    const needle = searchKey(state.q);
    const rows = list.items
      .filter((o) => !needle || searchKey(o.name).includes(needle))
      .filter((o) => !state.sector || String(o.sectorId) === state.sector)
      .filter((o) => !state.gear || (state.gear === 'geen' ? o.gear === null : String(o.gear) === state.gear))
      .sort((a, b) => {
        const c = compareItems(a, b, state.sort) || collator.compare(a.name, b.name);
        return state.dir === 'af' ? -c : c;
      });
    for (const [key, th] of sortHeaders) {
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
    caption.textContent = `Organisaties met hun versnelling in ${formatQuarter(list.quarter)}, gesorteerd op ${SORT_LABELS[state.sort].toLowerCase()} (${dirText})`;
    count.textContent =
      rows.length === list.items.length
        ? `${rows.length} organisaties`
        : `${rows.length} van ${list.items.length} organisaties`;
    tbody.replaceChildren(
      ...(rows.length === 0
        ? [
            h(
              'tr',
              null,
              h('td', { colSpan: 5 }, 'Geen organisaties gevonden met deze zoekopdracht en filters.'),
            ),
          ]
        : rows.map((o) =>
            h(
              'tr',
              { class: o.archived ? 'org-archived-row' : undefined },
              h(
                'td',
                null,
                h('a', { href: `/organisaties/${o.id}` }, o.name),
                o.archived ? h('span', { class: 'org-tag' }, 'gearchiveerd') : null,
              ),
              h('td', { 'data-label': 'Sector' }, o.sector),
              h('td', { 'data-label': 'Versnelling' }, gearCell(o, list.quarter)),
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
                      { href: `/quickscan?organisatie=${o.id}&kwartaal=${list.quarter}` },
                      'Quickscan',
                      h('span', { class: 'org-vh' }, ` voor ${o.name}`),
                    )
                  : null,
              ),
            ),
          )),
    );
    keepTableRoles(table);
  }

  /** Puts the state in the address (a new history entry, or replacing it while typing) and redraws. */
  let typing = false;
  function commit(push: boolean): void {
    const url = `/organisaties${writeState(state)}`;
    lastListSearch = writeState(state);
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    drawTable();
  }

  async function refetch(): Promise<void> {
    status.replaceChildren();
    try {
      list = await fetchList(state);
    } catch (err) {
      status.append(notice('error', errorText(err, 'De organisaties konden niet worden geladen.')));
      return;
    }
    drawTable();
  }

  search.addEventListener('input', () => {
    state.q = search.value;
    commit(!typing);
    typing = true;
  });
  const discrete =
    (apply: () => void, reload = false) =>
    () => {
      typing = false;
      apply();
      commit(true);
      if (reload) void refetch();
    };
  sectorSelect.addEventListener(
    'change',
    discrete(() => {
      state.sector = sectorSelect.value;
    }),
  );
  gearSelect.addEventListener(
    'change',
    discrete(() => {
      state.gear = gearSelect.value;
    }),
  );
  quarterSel.addEventListener(
    'change',
    discrete(() => {
      state.quarter = quarterSel.value;
    }, true),
  );
  archived.addEventListener(
    'change',
    discrete(() => {
      state.archived = archived.checked;
    }, true),
  );

  drawTable();
}

function fetchList(state: ListState): Promise<OrganisationList> {
  const q = new URLSearchParams({ quarter: state.quarter });
  if (state.archived) q.set('includeArchived', 'true');
  return get<OrganisationList>(`/api/organisations?${q}`);
}

// ---------------------------------------------------------------------------------------------
// The form (add and edit)

interface OrganisationForm {
  element: HTMLFormElement;
  isDirty: () => boolean;
}

function organisationForm(options: {
  sectors: Sector[];
  org: Organisation | null;
  onSaved: (org: Organisation) => void;
  onReload?: () => void;
  /** Called when saving starts: an earlier "saved" message should not stay next to a new error. */
  onSubmit?: () => void;
}): OrganisationForm {
  const { org, sectors } = options;
  const now = currentQuarter();
  const name = h('input', {
    id: 'org-name',
    type: 'text',
    value: org?.name ?? '',
    autocomplete: 'organization',
  });
  const sector = h(
    'select',
    { id: 'org-sectorId' },
    org ? null : h('option', { value: '' }, 'Kies een sector'),
    ...sectors.map((s) => h('option', { value: String(s.id), selected: s.id === org?.sectorId }, s.name)),
  );
  const contactName = h('input', {
    id: 'org-contactName',
    type: 'text',
    value: org?.contactName ?? '',
    autocomplete: 'off',
  });
  const contactEmail = h('input', {
    id: 'org-contactEmail',
    type: 'email',
    value: org?.contactEmail ?? '',
    autocomplete: 'off',
  });
  const contactPhone = h('input', {
    id: 'org-contactPhone',
    type: 'tel',
    value: org?.contactPhone ?? '',
    autocomplete: 'off',
  });
  const notes = h('textarea', { id: 'org-notes', rows: 4 });
  notes.value = org?.notes ?? '';
  const lockMembership = org?.archived === true;
  const memberFrom = quarterSelect('2010-Q1', shiftQuarter(now, 4), org?.memberFrom ?? now, undefined, {
    id: 'org-memberFrom',
    disabled: lockMembership,
  });
  const memberUntil = quarterSelect(
    '2010-Q1',
    shiftQuarter(now, 8),
    org?.memberUntil ?? null,
    'Nog lid (geen einde)',
    {
      id: 'org-memberUntil',
      disabled: lockMembership,
    },
  );
  const controls: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {
    name,
    sectorId: sector,
    contactName,
    contactEmail,
    contactPhone,
    notes,
    memberFrom,
    memberUntil,
  };
  const snapshot = () =>
    Object.values(controls)
      .map((c) => c.value)
      .join('\u0000');
  let clean = snapshot();

  const status = h('div', { 'aria-live': 'polite', class: 'org-form-status' });
  const submit = h('button', { type: 'submit' }, org ? 'Wijzigingen opslaan' : 'Organisatie toevoegen');

  const form = h(
    'form',
    { class: 'org-form', novalidate: true, 'aria-label': org ? 'Gegevens wijzigen' : 'Nieuwe organisatie' },
    h('fieldset', null, h('legend', null, 'Organisatie'), field('Naam', name), field('Sector', sector)),
    h(
      'fieldset',
      null,
      h('legend', null, 'Contactpersoon'),
      field('Naam contactpersoon', contactName),
      field('E-mailadres', contactEmail),
      field('Telefoonnummer', contactPhone),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Lidmaatschap'),
      field(
        'Lid sinds',
        memberFrom,
        lockMembership
          ? 'Zet de organisatie eerst terug om het lidmaatschap te wijzigen.'
          : 'Het eerste kwartaal als lid van het netwerk.',
      ),
      field(
        'Lid tot en met',
        memberUntil,
        lockMembership ? undefined : 'Alleen invullen als het lidmaatschap eindigt.',
      ),
    ),
    field('Notities', notes),
    status,
    h('p', null, submit),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    status.replaceChildren();
    options.onSubmit?.();
    const body: Record<string, unknown> = {
      name: name.value,
      contactName: contactName.value,
      contactEmail: contactEmail.value.trim(),
      contactPhone: contactPhone.value,
      notes: notes.value,
    };
    if (sector.value) body.sectorId = Number(sector.value);
    else if (!org) {
      showFieldError(sector, 'Kies de sector van de organisatie');
      status.append(notice('error', 'De organisatie is niet opgeslagen: kies eerst een sector.'));
      sector.focus();
      return;
    }
    if (!lockMembership) {
      body.memberFrom = memberFrom.value;
      body.memberUntil = memberUntil.value || null;
    }
    submit.disabled = true;
    try {
      const saved = org
        ? await patch<Organisation>(`/api/organisations/${org.id}`, { ...body, expectedVersion: org.version })
        : await post<Organisation>('/api/organisations', body);
      clean = snapshot();
      options.onSaved(saved);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const problems = fieldProblems(err);
      let first: HTMLElement | null = null;
      const unplaced: string[] = [];
      for (const p of problems) {
        const control = controls[p.field];
        if (control) {
          showFieldError(control, p.message);
          first ??= control;
        } else unplaced.push(p.message);
      }
      const summary =
        err.code === 'validation_failed'
          ? unplaced.length
            ? `Niet opgeslagen: ${unplaced.map(sentence).join(' ')}`
            : 'Niet opgeslagen: controleer de velden met een foutmelding.'
          : sentence(err.message);
      status.append(notice('error', summary));
      if (err.code === 'version_conflict' && options.onReload) {
        status.append(
          h(
            'p',
            null,
            h(
              'button',
              { type: 'button', class: 'secondary', on: { click: options.onReload } },
              'Nieuwste versie laden',
            ),
          ),
        );
      }
      (first ?? submit).focus();
    } finally {
      submit.disabled = false;
    }
  });

  return { element: form, isDirty: () => snapshot() !== clean };
}

// ---------------------------------------------------------------------------------------------
// Adding

export async function renderNewOrganisation(view: View): Promise<void> {
  view.main.append(
    h(
      'p',
      { class: 'org-back' },
      h('a', { href: `/organisaties${lastListSearch}` }, 'Terug naar alle organisaties'),
    ),
    h('h1', null, 'Organisatie toevoegen'),
  );
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

const SOURCE: Record<string, string> = {
  quickscan: 'quickscan',
  import: 'import',
  manual: 'handmatig ingevoerd',
};

export async function renderOrganisation(view: View): Promise<void> {
  const id = view.params.id ?? '';
  if (!/^\d+$/.test(id)) {
    notFound(view);
    return;
  }
  let form: OrganisationForm | null = null;
  view.guardLeave(() => form?.isDirty() ?? false);

  async function load(message: string | null): Promise<void> {
    const quarter = currentQuarter();
    let org: Organisation;
    let sectors: Sector[];
    let status: Status;
    let history: History;
    try {
      [org, sectors, status, history] = await Promise.all([
        get<Organisation>(`/api/organisations/${id}`),
        get<Sector[]>('/api/sectors'),
        get<Status>(`/api/organisations/${id}/status?quarter=${quarter}`),
        get<History>(`/api/organisations/${id}/history`),
      ]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        view.main.replaceChildren();
        notFound(view);
      } else {
        view.main.append(notice('error', errorText(err, 'De organisatie kon niet worden geladen.')));
      }
      return;
    }
    document.title = `${org.name} – VPT-schakelmodel`;
    const flashBox = h('div', { 'aria-live': 'polite' }, message ? notice('ok', message) : null);
    form = organisationForm({
      sectors,
      org,
      onSaved: () => void reload('De wijzigingen zijn opgeslagen.'),
      onReload: () => void reload('De nieuwste versie is geladen. Voer uw wijzigingen opnieuw in.'),
      onSubmit: () => flashBox.replaceChildren(),
    });
    replace(
      view.main,
      h(
        'p',
        { class: 'org-back' },
        h('a', { href: `/organisaties${lastListSearch}` }, 'Terug naar alle organisaties'),
      ),
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
      historySection(history),
      h('section', { class: 'org-section' }, h('h2', null, 'Gegevens wijzigen'), form.element),
      org.archived ? null : archiveSection(org, reload, () => form?.isDirty() ?? false),
    );
  }

  async function reload(message: string): Promise<void> {
    await load(message);
    const box = view.main.querySelector<HTMLElement>('.notice.ok');
    if (box) {
      box.tabIndex = -1;
      box.focus();
    }
  }

  const message = flash;
  flash = null;
  await load(message);
}

function notFound(view: View): void {
  view.main.append(
    h('h1', null, 'Deze organisatie bestaat niet'),
    h('p', null, h('a', { href: '/organisaties' }, 'Naar alle organisaties')),
  );
}

function statusSection(org: Organisation, status: Status): HTMLElement {
  const q = status.quarter;
  const lines: HTMLElement[] = [];
  if (!status.member) {
    lines.push(h('p', null, `${org.name} is in ${formatQuarter(q)} geen lid van het netwerk.`));
  } else if (status.gear === null) {
    lines.push(h('p', null, `Nog geen versnelling: er is nog geen quickscan vastgelegd.`));
  } else {
    lines.push(
      h(
        'p',
        { class: 'kpi' },
        'Versnelling ',
        h('strong', { class: `org-gear org-gear-${status.gear}` }, String(status.gear)),
        status.gearName ? ` – ${status.gearName}` : '',
      ),
      h(
        'p',
        null,
        status.carriedFrom
          ? `Vastgesteld in ${formatQuarter(status.carriedFrom)} en doorgeschoven naar ${formatQuarter(q)}`
          : `Vastgesteld in ${formatQuarter(q)}`,
        status.source ? ` (bron: ${SOURCE[status.source] ?? status.source}).` : '.',
      ),
    );
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
  }
  const recordedNow = status.gear !== null && status.carriedFrom === null;
  return h(
    'section',
    { class: 'card' },
    h('h2', null, `Stand in ${formatQuarter(q)}`),
    ...lines,
    status.member && !org.archived
      ? h(
          'p',
          null,
          h(
            'a',
            { class: 'org-button', href: `/quickscan?organisatie=${org.id}&kwartaal=${q}` },
            recordedNow ? `Quickscan ${formatQuarter(q)} bekijken of wijzigen` : 'Quickscan afnemen',
          ),
        )
      : null,
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
      ...row('Lid sinds', formatQuarter(org.memberFrom)),
      ...row('Lid tot en met', org.memberUntil ? formatQuarter(org.memberUntil) : 'nog lid'),
      ...row('Notities', org.notes ? h('span', { class: 'org-notes' }, org.notes) : null),
    ),
  );
}

function historySection(history: History): HTMLElement {
  const rows = [...history.quarters].reverse();
  return h(
    'section',
    { class: 'org-section' },
    h('h2', null, 'Versnelling per kwartaal'),
    rows.length === 0
      ? h('p', null, 'Nog geen gegevens.')
      : h(
          'div',
          {
            class: 'table-scroll org-scroll org-history',
            // The box scrolls by itself: keyboard users reach it with Tab and scroll with the arrows.
            tabindex: '0',
            role: 'region',
            'aria-label': 'Versnelling per kwartaal, scrollbaar',
          },
          h(
            'table',
            null,
            h(
              'caption',
              null,
              `Versnelling per kwartaal, ${formatQuarter(history.from)} – ${formatQuarter(history.to)}, nieuwste eerst`,
            ),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Kwartaal'),
                h('th', { scope: 'col', class: 'num' }, 'Versnelling'),
                h('th', { scope: 'col' }, 'Toelichting'),
              ),
            ),
            h(
              'tbody',
              null,
              ...rows.map((r) =>
                h(
                  'tr',
                  null,
                  h('th', { scope: 'row' }, formatQuarter(r.quarter)),
                  h('td', { class: 'num' }, r.gear === null ? '–' : String(r.gear)),
                  h(
                    'td',
                    null,
                    !r.member
                      ? 'geen lid'
                      : r.gear === null
                        ? 'nog geen versnelling'
                        : r.carriedFrom
                          ? `doorgeschoven uit ${formatQuarter(r.carriedFrom)}`
                          : (SOURCE[r.source ?? ''] ?? ''),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

function archiveSection(
  org: Organisation,
  reload: (message: string) => Promise<void>,
  formDirty: () => boolean,
): HTMLElement {
  const now = currentQuarter();
  const last = org.memberUntil && org.memberUntil < now ? org.memberUntil : now;
  const from = org.memberFrom <= now ? org.memberFrom : now;
  const until = quarterSelect(from, now, last, undefined, { id: 'org-archive-until' });
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'org-danger' }, 'Archiveren');
  const form = h(
    'form',
    { class: 'controls', novalidate: true, 'aria-label': 'Organisatie archiveren' },
    field('Lid tot en met', until),
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    status.replaceChildren();
    const question =
      `Weet u zeker dat u ${org.name} wilt archiveren? Het lidmaatschap eindigt na ${formatQuarter(until.value)}.` +
      (formDirty() ? ' Uw niet-opgeslagen wijzigingen in het formulier gaan daarbij verloren.' : '');
    if (!window.confirm(question)) return;
    button.disabled = true;
    try {
      await post(`/api/organisations/${org.id}/archive`, { memberUntil: until.value });
      await reload(`${org.name} is gearchiveerd.`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (['invalid_membership', 'gears_outside_membership', 'validation_failed'].includes(err.code)) {
        showFieldError(
          until,
          err.code === 'validation_failed' ? 'Kies een kwartaal uit de lijst' : err.message,
        );
      }
      status.append(notice('error', sentence(err.message)));
      button.disabled = false;
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

function restoreSection(org: Organisation, reload: (message: string) => Promise<void>): HTMLElement {
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button' }, 'Terugzetten');
  button.addEventListener('click', async () => {
    status.replaceChildren();
    button.disabled = true;
    try {
      await post(`/api/organisations/${org.id}/restore`);
      await reload(
        `${org.name} is teruggezet.${org.memberUntil ? ` Het lidmaatschap loopt nog tot en met ${formatQuarter(org.memberUntil)}; pas 'Lid tot en met' aan als zij weer lid is.` : ''}`,
      );
    } catch (err) {
      status.append(notice('error', errorText(err, 'Terugzetten lukte niet.')));
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'org-section' },
    h('h2', null, 'Terugzetten'),
    h(
      'p',
      null,
      'Terugzetten brengt de organisatie terug in de actieve lijsten. Het lidmaatschap blijft zoals het is; pas daarna zo nodig ‘Lid tot en met’ aan.',
    ),
    h('p', null, button),
    status,
  );
}
