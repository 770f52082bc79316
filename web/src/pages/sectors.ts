// The sectors of the region: how many organisations each has, add one, rename one in its row,
// and remove one that is empty (the API refuses a sector that has or had organisations).
import type { Sector, SectorInput, SectorPatch } from '../../../server/contracts/sector.contract.ts';
import { del, get, patch, post } from '../api.ts';
import type { View } from '../router.ts';
import { confirmed } from '../ui/dialog.ts';
import { button, field, h, notice, visuallyHidden } from '../ui/dom.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { problemsOf } from '../ui/problems.ts';
import { keepTableRoles, scrollBox } from '../ui/table.ts';

/** The page's parts and state: the list, the add form and the row being renamed (if any). */
interface SectorsPage {
  status: HTMLElement;
  addName: HTMLInputElement;
  table: HTMLTableElement;
  tbody: HTMLElement;
  /** Under the table when no sector has organisations yet: where they come from. */
  empty: HTMLElement;
  sectors: Sector[];
  renaming: { id: number; input: HTMLInputElement; original: string } | null;
}

export async function renderSectors(view: View): Promise<void> {
  const tbody = h('tbody', null);
  const page: SectorsPage = {
    status: h('div', { 'aria-live': 'polite', class: 'sector-status' }),
    addName: h('input', { id: 'sector-new', type: 'text', autocomplete: 'off', maxLength: 100 }),
    table: h(
      'table',
      { class: 'sector-table stack-rows stack-rows-nohead' },
      h('caption', null, 'Sectoren met het aantal actieve organisaties'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Sector'),
          h('th', { scope: 'col', class: 'num' }, 'Organisaties'),
          h('th', { scope: 'col' }, 'Acties'),
        ),
      ),
      tbody,
    ),
    tbody,
    empty: h('div'),
    sectors: [],
    renaming: null,
  };
  view.guardLeave(
    () =>
      page.addName.value.trim() !== '' ||
      (page.renaming !== null && page.renaming.input.value.trim() !== page.renaming.original),
  );
  view.main.append(
    h('h1', null, 'Sectoren'),
    h(
      'p',
      null,
      'Elke organisatie hoort bij één sector; de rapportages tonen de gemiddelde versnelling per sector. Een sector met organisaties kan niet worden verwijderd: verplaats die organisaties eerst naar een andere sector.',
    ),
    page.status,
    h('h2', null, 'Nieuwe sector'),
    addForm(page),
    h('h2', null, 'Alle sectoren'),
    scrollBox('Alle sectoren, scrollbaar', page.table),
    page.empty,
  );
  await refresh(page);
}

function say(page: SectorsPage, kind: 'ok' | 'error', text: string): void {
  page.status.replaceChildren(notice(kind, text));
}

async function refresh(page: SectorsPage): Promise<boolean> {
  try {
    page.sectors = await get<Sector[]>('/api/sectors');
  } catch (err) {
    say(page, 'error', errorText(err, 'De sectoren konden niet worden geladen.'));
    return false;
  }
  draw(page);
  return true;
}

function draw(page: SectorsPage): void {
  page.tbody.replaceChildren(
    ...(page.sectors.length === 0
      ? [
          h(
            'tr',
            null,
            h('td', { colSpan: 3 }, 'Er zijn nog geen sectoren. Voeg hierboven de eerste sector toe.'),
          ),
        ]
      : page.sectors.map((s) => (page.renaming?.id === s.id ? editRow(page, s) : viewRow(page, s)))),
  );
  keepTableRoles(page.table);
  page.empty.replaceChildren(
    page.sectors.length > 0 && page.sectors.every((s) => s.organisationCount === 0)
      ? h(
          'p',
          null,
          'Er zijn nog geen organisaties in een sector. ',
          h('a', { href: '/organisaties/nieuw' }, 'Voeg organisaties toe'),
          ' of ',
          h('a', { href: '/import-export' }, 'importeer de bestaande prestatielijst'),
          '.',
        )
      : '',
  );
}

/** Back to a row's button after the list is drawn again (or to the add field when it is gone). */
function focusAction(page: SectorsPage, id: number, action: 'rename' | 'delete'): void {
  const target = page.tbody.querySelector<HTMLElement>(`[data-sector="${id}"] .sector-${action}`);
  (target ?? page.addName).focus();
}

/** Shows a refused name next to its field, and the reason in the status line. */
function showNameError(page: SectorsPage, err: unknown, input: HTMLInputElement): void {
  const problems = problemsOf(err);
  placeProblems(problems, { name: input });
  say(page, 'error', problems[0] ? sentence(problems[0].message) : errorText(err, 'Opslaan lukte niet.'));
  input.focus();
}

function addForm(page: SectorsPage): HTMLFormElement {
  const addButton = h('button', { type: 'submit' }, 'Sector toevoegen');
  const form = h(
    'form',
    { class: 'controls sector-add', novalidate: true, 'aria-label': 'Sector toevoegen' },
    field('Naam van de nieuwe sector', page.addName),
    addButton,
  );
  // A corrected name no longer carries the old complaint.
  page.addName.addEventListener('input', () => clearFieldErrors(form));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    page.status.replaceChildren();
    addButton.disabled = true;
    try {
      const created = await post<Sector>('/api/sectors', { name: page.addName.value } satisfies SectorInput);
      page.addName.value = '';
      if (await refresh(page)) say(page, 'ok', `Sector ${created.name} is toegevoegd.`);
      page.addName.focus();
    } catch (err) {
      showNameError(page, err, page.addName);
    } finally {
      addButton.disabled = false;
    }
  });
  return form;
}

function viewRow(page: SectorsPage, s: Sector): HTMLElement {
  return h(
    'tr',
    { 'data-sector': String(s.id) },
    h('th', { scope: 'row' }, s.name),
    h(
      'td',
      { class: 'num', 'data-label': 'Organisaties' },
      s.organisationCount > 0
        ? h(
            'a',
            { href: `/organisaties?sector=${s.id}` },
            String(s.organisationCount),
            visuallyHidden(` organisaties in ${s.name} bekijken`),
          )
        : '0',
    ),
    h(
      'td',
      null,
      h(
        'div',
        { class: 'sector-actions' },
        button(['Hernoemen', visuallyHidden(` ${s.name}`)], () => startRename(page, s), {
          class: 'secondary sector-rename',
        }),
        s.deletable
          ? button(['Verwijderen', visuallyHidden(` ${s.name}`)], () => void remove(page, s), {
              class: 'danger sector-delete',
            })
          : h('span', { class: 'sector-note' }, 'Niet te verwijderen: heeft organisaties'),
      ),
    ),
  );
}

function editRow(page: SectorsPage, s: Sector): HTMLElement {
  const r = page.renaming!;
  const save = h('button', { type: 'submit' }, 'Opslaan');
  const form = h(
    'form',
    {
      class: 'sector-rename-form',
      novalidate: true,
      'aria-label': `${s.name} hernoemen`,
      on: {
        submit: (e) => {
          e.preventDefault();
          void saveRename(page, s, r.input, save);
        },
        keydown: (e) => {
          if ((e as KeyboardEvent).key === 'Escape') {
            e.preventDefault();
            cancelRename(page, s.id);
          }
        },
      },
    },
    field(`Nieuwe naam voor ${s.name}`, r.input),
    h(
      'div',
      { class: 'sector-actions' },
      save,
      button('Annuleren', () => cancelRename(page, s.id), { class: 'secondary' }),
    ),
  );
  return h('tr', { 'data-sector': String(s.id) }, h('td', { colSpan: 3 }, form));
}

function startRename(page: SectorsPage, s: Sector): void {
  const busy = page.renaming;
  if (busy && busy.input.value.trim() !== busy.original) {
    if (!confirmed('U was al een andere sector aan het hernoemen. Die wijziging laten vallen?')) {
      busy.input.focus();
      return;
    }
  }
  const input = h('input', {
    id: `sector-name-${s.id}`,
    type: 'text',
    value: s.name,
    autocomplete: 'off',
    maxLength: 100,
  });
  page.renaming = { id: s.id, input, original: s.name };
  page.status.replaceChildren();
  draw(page);
  input.focus();
  input.select();
}

function cancelRename(page: SectorsPage, id: number): void {
  page.renaming = null;
  draw(page);
  focusAction(page, id, 'rename');
}

async function saveRename(
  page: SectorsPage,
  s: Sector,
  input: HTMLInputElement,
  save: HTMLButtonElement,
): Promise<void> {
  clearFieldErrors(page.tbody);
  page.status.replaceChildren();
  save.disabled = true;
  try {
    const saved = await patch<Sector>(`/api/sectors/${s.id}`, { name: input.value } satisfies SectorPatch);
    page.renaming = null;
    if (await refresh(page)) {
      say(
        page,
        'ok',
        saved.name === s.name
          ? `De naam van ${s.name} is niet veranderd.`
          : `${s.name} heet nu ${saved.name}.`,
      );
      focusAction(page, s.id, 'rename');
    }
  } catch (err) {
    save.disabled = false;
    showNameError(page, err, input);
  }
}

async function remove(page: SectorsPage, s: Sector): Promise<void> {
  page.status.replaceChildren();
  if (!confirmed(`Sector ${s.name} verwijderen?`)) return;
  try {
    await del(`/api/sectors/${s.id}`);
  } catch (err) {
    say(page, 'error', errorText(err, 'Verwijderen lukte niet.'));
    focusAction(page, s.id, 'delete');
    return;
  }
  if (await refresh(page)) {
    say(page, 'ok', `Sector ${s.name} is verwijderd.`);
    page.addName.focus();
  }
}
