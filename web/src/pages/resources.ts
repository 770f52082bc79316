// The "apothekerskast" (projectleider): the region's links and documents per criterion of the
// model and per VPT measure. Add a link or upload a document (pdf, docx, xlsx, pptx, odt; at most
// 10 MB; the server recognises the type by its content), change a title or description, or take
// one out (it stays in the history). Every problem is shown next to its field, with a summary.
import type { Schakelmodel } from '../../../server/contracts/model.contract.ts';
import type { Resource } from '../../../server/contracts/resource.contract.ts';
import { MEASURES } from '../../../server/domain/measures.ts';
import { ApiError, del, get, patch, post, upload } from '../api.ts';
import type { View } from '../router.ts';
import { confirmed } from '../ui/dialog.ts';
import { button, type Child, field, focusOn, h, notice, replace, uid } from '../ui/dom.ts';
import { errorSummary, focusLink } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { problemsOf } from '../ui/problems.ts';
import { resourceLink } from '../ui/resources.ts';

const MEASURE_NAMES: ReadonlyMap<string, string> = new Map(MEASURES.map((m) => [m.key, m.name]));

const LABELS: Record<string, string> = {
  criterion: 'Criterium',
  measure: 'VPT-maatregel',
  title: 'Titel',
  description: 'Korte beschrijving',
  url: 'Webadres',
  file: 'Document',
};

interface Page {
  model: Schakelmodel;
  status: HTMLElement;
  list: HTMLElement;
  resources: Resource[];
  /** The resource whose texts are being changed, if any. */
  editing: number | null;
}

export async function renderResources(view: View): Promise<void> {
  const status = h('div', { 'aria-live': 'polite' });
  view.main.append(
    h('h1', null, 'Apothekerskast'),
    h(
      'p',
      null,
      'Modelprotocollen, de regionale handreiking, presentaties en goede voorbeelden, per criterium van het schakelmodel of per VPT-maatregel. Organisaties zien ze onder hun volgende stappen; op de quickscan staan ze bij elk criterium.',
    ),
    status,
  );
  let model: Schakelmodel;
  let resources: Resource[];
  try {
    [model, resources] = await Promise.all([
      get<Schakelmodel>('/api/model'),
      get<Resource[]>('/api/resources'),
    ]);
  } catch (err) {
    replace(status, notice('error', errorText(err, 'De apothekerskast kon niet worden geladen.')));
    return;
  }
  const page: Page = {
    model,
    status,
    list: h('div', { class: 'resource-groups' }),
    resources,
    editing: null,
  };
  const form = addForm(page);
  view.guardLeave(() => form.dirty());
  view.main.append(h('h2', null, 'Toevoegen'), form.element, h('h2', null, 'In de kast'), page.list);
  draw(page);
}

function say(page: Page, kind: 'ok' | 'error', text: string): void {
  replace(page.status, notice(kind, text));
}

async function refresh(page: Page): Promise<boolean> {
  try {
    page.resources = await get<Resource[]>('/api/resources');
  } catch (err) {
    say(page, 'error', errorText(err, 'De apothekerskast kon niet worden geladen.'));
    return false;
  }
  draw(page);
  return true;
}

/**
 * Every problem next to its field, and a summary above the button with a link to each field;
 * problems without a field on the form are said in the summary only.
 */
function showProblems(err: unknown, controls: Record<string, HTMLElement>, box: HTMLElement): void {
  // In the order of the form's fields, whatever order the server listed them in.
  const order = Object.keys(controls);
  const rank = (path: string | undefined) => {
    const i = path === undefined ? -1 : order.indexOf(path);
    return i === -1 ? order.length : i;
  };
  const problems = problemsOf(err).sort((a, b) => rank(a.path) - rank(b.path));
  const { first, unplaced } = placeProblems(problems, controls);
  const items: Child[] = problems
    .filter((p) => p.path !== undefined && controls[p.path])
    .map((p) => focusLink(controls[p.path!]!, `${LABELS[p.path!] ?? p.path}: ${sentence(p.message)}`));
  for (const p of unplaced) items.push(sentence(p.message));
  if (items.length === 0) items.push(errorText(err, 'Opslaan lukte niet; probeer het opnieuw.'));
  replace(box, errorSummary('Nog niet opgeslagen:', items));
  // The first field in the form's order, not in the order the server listed the problems.
  const firstInForm = box.closest('form')?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (firstInForm ?? first) (firstInForm ?? first)!.focus();
  else focusOn(box);
}

function criterionSelect(model: Schakelmodel): HTMLSelectElement {
  return h(
    'select',
    { id: uid('kast-criterium'), name: 'criterion', class: 'select-fit' },
    h('option', { value: '' }, '— geen criterium (alleen een maatregel) —'),
    ...model.gears
      .filter((g) => g.criteria.length > 0)
      .map((g) =>
        h(
          'optgroup',
          { label: `Versnelling ${g.gear}: ${g.name}` },
          ...g.criteria.map((c) => h('option', { value: c.key }, `${c.key} — ${c.text}`)),
        ),
      ),
  );
}

function measureSelect(): HTMLSelectElement {
  return h(
    'select',
    { id: uid('kast-maatregel'), name: 'measure' },
    h('option', { value: '' }, '— geen maatregel —'),
    ...MEASURES.map((m) => h('option', { value: m.key }, m.name)),
  );
}

/** The form that adds a link or a document. */
function addForm(page: Page): { element: HTMLElement; dirty: () => boolean } {
  const criterion = criterionSelect(page.model);
  const measure = measureSelect();
  const title = h('input', {
    id: uid('kast-titel'),
    name: 'title',
    type: 'text',
    maxLength: 300,
    autocomplete: 'off',
  });
  const description = h('textarea', {
    id: uid('kast-beschrijving'),
    name: 'description',
    rows: 2,
    maxLength: 2000,
  });
  const url = h('input', {
    id: uid('kast-adres'),
    name: 'url',
    type: 'url',
    inputMode: 'url',
    placeholder: 'https://',
    autocomplete: 'off',
    maxLength: 2000,
  });
  const file = h('input', {
    id: uid('kast-bestand'),
    name: 'file',
    type: 'file',
    accept: '.pdf,.docx,.xlsx,.pptx,.odt',
  });
  const kindName = uid('kast-soort');
  const asLink = h('input', {
    type: 'radio',
    name: kindName,
    value: 'link',
    checked: true,
    class: 'input-auto',
  });
  const asFile = h('input', { type: 'radio', name: kindName, value: 'file', class: 'input-auto' });
  const urlField = field('Webadres', url, 'Een volledig adres dat begint met https://');
  const fileField = field('Document', file, 'pdf, docx, xlsx, pptx of odt; hoogstens 10 MB');
  fileField.hidden = true;
  const summary = h('div');
  const submit = h('button', { type: 'submit' }, 'Toevoegen');
  const controls: Record<string, HTMLElement> = { criterion, measure, title, description, url, file };

  const form = h(
    'form',
    { class: 'resource-add', novalidate: true, 'aria-label': 'Hulpmiddel toevoegen' },
    h(
      'fieldset',
      null,
      h('legend', null, 'Soort'),
      h('label', null, asLink, ' Link naar een website'),
      h('label', null, asFile, ' Document uploaden'),
    ),
    field('Criterium', criterion, 'Het criterium waarbij het hoort; of kies alleen een maatregel'),
    field('VPT-maatregel', measure),
    field('Titel', title),
    field('Korte beschrijving', description, 'Optioneel: waarvoor het dient, voor wie'),
    urlField,
    fileField,
    summary,
    h('p', null, submit),
  );

  const showKind = () => {
    const isFile = asFile.checked;
    urlField.hidden = isFile;
    fileField.hidden = !isFile;
    clearFieldErrors(form);
    replace(summary);
  };
  asLink.addEventListener('change', showKind);
  asFile.addEventListener('change', showKind);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    replace(summary);
    replace(page.status);
    submit.disabled = true;
    try {
      let created: Resource;
      if (asFile.checked) {
        const data = new FormData();
        data.set('criterion', criterion.value);
        data.set('measure', measure.value);
        data.set('title', title.value);
        data.set('description', description.value);
        const chosen = file.files?.[0];
        // Without a file the server says so next to the field, together with any other problem.
        if (chosen) data.set('file', chosen, chosen.name);
        created = await upload<Resource>('/api/resources/upload', data);
      } else {
        created = await post<Resource>('/api/resources', {
          criterion: criterion.value,
          measure: measure.value,
          title: title.value,
          description: description.value,
          url: url.value,
        });
      }
      title.value = '';
      description.value = '';
      url.value = '';
      file.value = '';
      if (await refresh(page)) say(page, 'ok', `'${created.title}' staat in de apothekerskast.`);
      title.focus();
    } catch (err) {
      showProblems(err, controls, summary);
    } finally {
      submit.disabled = false;
    }
  });
  return {
    element: form,
    dirty: () => title.value.trim() !== '' || url.value.trim() !== '' || (file.files?.length ?? 0) > 0,
  };
}

/** Where a resource belongs, in words. */
function placeText(r: Resource): string {
  const parts: string[] = [];
  if (r.criterion) parts.push(`criterium ${r.criterion}`);
  if (r.measure) parts.push(`maatregel ${MEASURE_NAMES.get(r.measure) ?? r.measure}`);
  return parts.join(' · ');
}

/** The kast per gear and criterion, then the resources placed only with a measure. */
function draw(page: Page): void {
  if (page.resources.length === 0) {
    replace(
      page.list,
      h('p', null, 'De apothekerskast is nog leeg. Voeg hierboven een link of document toe.'),
    );
    return;
  }
  const groups: HTMLElement[] = [];
  const known = new Set<string>();
  for (const gear of page.model.gears) {
    const sections = gear.criteria
      .map((c) => {
        known.add(c.key);
        const items = page.resources.filter((r) => r.criterion === c.key);
        if (items.length === 0) return null;
        return h(
          'section',
          { class: 'resource-criterion' },
          h('h4', null, `${c.key} — ${c.text}`),
          itemList(page, items),
        );
      })
      .filter((s): s is HTMLElement => s !== null);
    if (sections.length > 0) {
      groups.push(
        h('section', { class: 'card' }, h('h3', null, `Versnelling ${gear.gear}: ${gear.name}`), ...sections),
      );
    }
  }
  const perMeasure = MEASURES.map((m) => {
    const items = page.resources.filter((r) => r.criterion === null && r.measure === m.key);
    return items.length === 0
      ? null
      : h('section', { class: 'resource-measure' }, h('h4', null, m.name), itemList(page, items));
  }).filter((s): s is HTMLElement => s !== null);
  if (perMeasure.length > 0)
    groups.push(h('section', { class: 'card' }, h('h3', null, 'Per VPT-maatregel'), ...perMeasure));
  // Placed with a criterion the active model no longer has: still listed, so they can be removed.
  const orphans = page.resources.filter((r) => r.criterion !== null && !known.has(r.criterion));
  if (orphans.length > 0) {
    groups.push(
      h(
        'section',
        { class: 'card' },
        h('h3', null, 'Bij criteria die niet meer in het model staan'),
        itemList(page, orphans),
      ),
    );
  }
  replace(page.list, ...groups);
}

function itemList(page: Page, items: Resource[]): HTMLElement {
  return h(
    'ul',
    { class: 'resource-list' },
    ...items.map((r) => (page.editing === r.id ? editItem(page, r) : viewItem(page, r))),
  );
}

function viewItem(page: Page, r: Resource): HTMLElement {
  return h(
    'li',
    { 'data-resource': String(r.id) },
    resourceLink(r),
    r.description ? h('p', { class: 'resource-description' }, r.description) : null,
    h('p', { class: 'hint' }, [placeText(r), r.file ? r.file.name : r.url].filter(Boolean).join(' · ')),
    h(
      'p',
      { class: 'row-actions' },
      button(
        'Wijzigen',
        () => {
          page.editing = r.id;
          draw(page);
          page.list.querySelector<HTMLInputElement>(`[data-resource="${r.id}"] input`)?.focus();
        },
        { class: 'secondary resource-edit' },
      ),
      ' ',
      button('Uit de kast halen', () => void remove(page, r), { class: 'secondary danger resource-remove' }),
    ),
  );
}

function editItem(page: Page, r: Resource): HTMLElement {
  const title = h('input', { id: uid('kast-titel'), type: 'text', value: r.title, maxLength: 300 });
  const description = h('textarea', { id: uid('kast-beschrijving'), rows: 2, maxLength: 2000 });
  description.value = r.description ?? '';
  const summary = h('div');
  const form = h(
    'form',
    { novalidate: true, 'aria-label': `'${r.title}' wijzigen` },
    field('Titel', title),
    field('Korte beschrijving', description),
    summary,
    h(
      'p',
      null,
      h('button', { type: 'submit' }, 'Opslaan'),
      ' ',
      button(
        'Annuleren',
        () => {
          page.editing = null;
          draw(page);
          page.list.querySelector<HTMLElement>(`[data-resource="${r.id}"] .resource-edit`)?.focus();
        },
        { class: 'secondary' },
      ),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    replace(summary);
    try {
      const saved = await patch<Resource>(`/api/resources/${r.id}`, {
        title: title.value,
        description: description.value,
        expectedVersion: r.version,
      });
      page.editing = null;
      if (await refresh(page)) say(page, 'ok', `'${saved.title}' is opgeslagen.`);
      page.list.querySelector<HTMLElement>(`[data-resource="${r.id}"] .resource-edit`)?.focus();
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'version_conflict' || err.code === 'resource_not_found')) {
        page.editing = null;
        await refresh(page);
        say(page, 'error', errorText(err, 'Opslaan lukte niet.'));
        return;
      }
      showProblems(err, { title, description }, summary);
    }
  });
  return h('li', { 'data-resource': String(r.id) }, form);
}

async function remove(page: Page, r: Resource): Promise<void> {
  if (!confirmed(`'${r.title}' uit de apothekerskast halen? Organisaties zien het dan niet meer.`)) return;
  try {
    await del(`/api/resources/${r.id}`);
    if (await refresh(page)) say(page, 'ok', `'${r.title}' is uit de apothekerskast gehaald.`);
  } catch (err) {
    say(page, 'error', errorText(err, 'Uit de kast halen lukte niet.'));
    await refresh(page);
  }
  focusOn(page.status.firstElementChild as HTMLElement | null);
}
