import { ApiError, del, get, patch, post } from '../api.ts';
import { field, h, notice } from '../dom.ts';
import type { View } from '../router.ts';
import {
  clearFieldErrors,
  errorText,
  keepTableRoles,
  type Sector,
  sentence,
  showFieldError,
} from './organisations.ts';

// The sectors of the region: how many organisations each has, add one, rename one in its row,
// and remove one that is empty (the API refuses a sector that has or had organisations).

const NAME_ERRORS = ['invalid_name', 'duplicate_name', 'validation_failed'];

export async function renderSectors(view: View): Promise<void> {
  const status = h('div', { 'aria-live': 'polite', class: 'sector-status' });
  const addName = h('input', { id: 'sector-new', type: 'text', autocomplete: 'off', maxLength: 100 });
  const addButton = h('button', { type: 'submit' }, 'Sector toevoegen');
  const addForm = h(
    'form',
    { class: 'controls sector-add', novalidate: true, 'aria-label': 'Sector toevoegen' },
    field('Naam van de nieuwe sector', addName),
    addButton,
  );
  const tbody = h('tbody', null);
  const table = h(
    'table',
    { class: 'sector-table org-stack org-stack-nohead' },
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
  );
  view.main.append(
    h('h1', null, 'Sectoren'),
    h(
      'p',
      null,
      'Elke organisatie hoort bij één sector; de rapportages tonen de gemiddelde versnelling per sector. Een sector met organisaties kan niet worden verwijderd: verplaats die organisaties eerst naar een andere sector.',
    ),
    status,
    h('h2', null, 'Nieuwe sector'),
    addForm,
    h('h2', null, 'Alle sectoren'),
    h('div', { class: 'table-scroll org-scroll' }, table),
  );

  let sectors: Sector[] = [];
  /** The row being renamed and its input, if any. */
  let renaming: { id: number; input: HTMLInputElement; original: string } | null = null;
  view.guardLeave(
    () =>
      addName.value.trim() !== '' || (renaming !== null && renaming.input.value.trim() !== renaming.original),
  );

  function say(kind: 'ok' | 'error', text: string): void {
    status.replaceChildren(notice(kind, text));
  }

  async function refresh(): Promise<boolean> {
    try {
      sectors = await get<Sector[]>('/api/sectors');
    } catch (err) {
      say('error', errorText(err, 'De sectoren konden niet worden geladen.'));
      return false;
    }
    draw();
    return true;
  }

  function focusAction(id: number, action: 'rename' | 'delete' | 'first'): void {
    const target =
      action === 'first'
        ? null
        : tbody.querySelector<HTMLElement>(
            `[data-sector="${id}"] .sector-${action === 'rename' ? 'rename' : 'delete'}`,
          );
    (target ?? addName).focus();
  }

  function draw(): void {
    tbody.replaceChildren(
      ...(sectors.length === 0
        ? [h('tr', null, h('td', { colSpan: 3 }, 'Er zijn nog geen sectoren.'))]
        : sectors.map((s) => (renaming?.id === s.id ? editRow(s) : viewRow(s)))),
    );
    keepTableRoles(table);
  }

  function viewRow(s: Sector): HTMLElement {
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
              h('span', { class: 'org-vh' }, ` organisaties in ${s.name} bekijken`),
            )
          : '0',
      ),
      h(
        'td',
        null,
        h(
          'div',
          { class: 'sector-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary sector-rename',
              on: { click: () => startRename(s) },
            },
            'Hernoemen',
            h('span', { class: 'org-vh' }, ` ${s.name}`),
          ),
          s.organisationCount === 0
            ? h(
                'button',
                { type: 'button', class: 'org-danger sector-delete', on: { click: () => void remove(s) } },
                'Verwijderen',
                h('span', { class: 'org-vh' }, ` ${s.name}`),
              )
            : h('span', { class: 'sector-note' }, 'Niet te verwijderen: heeft organisaties'),
        ),
      ),
    );
  }

  function editRow(s: Sector): HTMLElement {
    const r = renaming!;
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
            void saveRename(s, r.input, save);
          },
          keydown: (e) => {
            if ((e as KeyboardEvent).key === 'Escape') {
              e.preventDefault();
              cancelRename(s.id);
            }
          },
        },
      },
      field(`Nieuwe naam voor ${s.name}`, r.input),
      h(
        'div',
        { class: 'sector-actions' },
        save,
        h(
          'button',
          { type: 'button', class: 'secondary', on: { click: () => cancelRename(s.id) } },
          'Annuleren',
        ),
      ),
    );
    return h('tr', { 'data-sector': String(s.id) }, h('td', { colSpan: 3 }, form));
  }

  function startRename(s: Sector): void {
    if (renaming && renaming.input.value.trim() !== renaming.original) {
      if (!window.confirm('U was al een andere sector aan het hernoemen. Die wijziging laten vallen?')) {
        renaming.input.focus();
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
    renaming = { id: s.id, input, original: s.name };
    status.replaceChildren();
    draw();
    input.focus();
    input.select();
  }

  function cancelRename(id: number): void {
    renaming = null;
    draw();
    focusAction(id, 'rename');
  }

  async function saveRename(s: Sector, input: HTMLInputElement, button: HTMLButtonElement): Promise<void> {
    clearFieldErrors(tbody);
    status.replaceChildren();
    button.disabled = true;
    try {
      const saved = await patch<Sector>(`/api/sectors/${s.id}`, { name: input.value });
      renaming = null;
      if (await refresh()) {
        say(
          'ok',
          saved.name === s.name
            ? `De naam van ${s.name} is niet veranderd.`
            : `${s.name} heet nu ${saved.name}.`,
        );
        focusAction(s.id, 'rename');
      }
    } catch (err) {
      button.disabled = false;
      if (!(err instanceof ApiError)) throw err;
      if (NAME_ERRORS.includes(err.code)) showFieldError(input, nameMessage(err));
      say('error', sentence(err.code === 'validation_failed' ? nameMessage(err) : err.message));
      input.focus();
    }
  }

  async function remove(s: Sector): Promise<void> {
    status.replaceChildren();
    if (!window.confirm(`Sector ${s.name} verwijderen?`)) return;
    try {
      await del(`/api/sectors/${s.id}`);
    } catch (err) {
      say('error', errorText(err, 'Verwijderen lukte niet.'));
      focusAction(s.id, 'delete');
      return;
    }
    if (await refresh()) {
      say('ok', `Sector ${s.name} is verwijderd.`);
      addName.focus();
    }
  }

  // A corrected name no longer carries the old complaint.
  addName.addEventListener('input', () => clearFieldErrors(addForm));

  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(addForm);
    status.replaceChildren();
    addButton.disabled = true;
    try {
      const created = await post<Sector>('/api/sectors', { name: addName.value });
      addName.value = '';
      if (await refresh()) say('ok', `Sector ${created.name} is toegevoegd.`);
      addName.focus();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (NAME_ERRORS.includes(err.code)) showFieldError(addName, nameMessage(err));
      say('error', sentence(err.code === 'validation_failed' ? nameMessage(err) : err.message));
      addName.focus();
    } finally {
      addButton.disabled = false;
    }
  });

  await refresh();
}

/** A zod message comes as "body.name: …"; the field shows just the words. */
function nameMessage(err: ApiError): string {
  if (err.code !== 'validation_failed') return err.message;
  const issues = (err.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
  return issues?.[0]?.message ?? err.message;
}
