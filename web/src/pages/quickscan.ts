// Quickscan afnemen: the projectleider picks an organisation and a quarter, answers the criteria
// of the schakelmodel and sees the resulting gear and next steps while answering. The gear comes
// from the same engine the server uses (server/domain/gear-engine.ts), with the model of the API.
import {
  type AnswerProblem,
  type Answers,
  type AnswerValue,
  evaluate,
  validateAnswers,
} from '../../../server/domain/gear-engine.ts';
import { isQuarter, localDate, quarterStartDate } from '../../../server/domain/quarter.ts';
import type { Schakelmodel } from '../../../server/domain/schakelmodel.ts';
import { AppError } from '../../../server/errors.ts';
import { ApiError, get, post, put } from '../api.ts';
import { field, h, notice, replace, uid } from '../dom.ts';
import { formatDateTime, formatQuarter, quarterOfDate, quarterRange } from '../format.ts';
import type { View } from '../router.ts';

interface Organisation {
  id: number;
  name: string;
  sectorId: number;
  sector: string;
  memberFrom: string;
  memberUntil: string | null;
  archived: boolean;
}

interface Quickscan {
  id: number;
  organisationId: number;
  quarter: string;
  source: 'quickscan' | 'import' | 'manual';
  gear: number;
  conductedOn: string | null;
  conductedBy: string | null;
  model: { id: string; version: number } | null;
  answers: Answers | null;
  remark: string | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

const CHOICES: Array<[AnswerValue, string]> = [
  ['ja', 'Ja'],
  ['deels', 'Deels'],
  ['nee', 'Nee'],
  ['nvt', 'N.v.t.'],
];

const SOURCE_TEXT: Record<Quickscan['source'], string> = {
  quickscan: 'quickscan',
  import: 'import van een bestaande lijst',
  manual: 'handmatig vastgelegd',
};

/** Wide screens show the summary beside the questions, with the next steps unfolded. */
const WIDE = '(min-width: 60rem)';

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Server and engine messages name the criterion; next to the criterion that is said already. */
function problemText(problem: AnswerProblem): string {
  if (/niet beantwoord/.test(problem.message)) return 'Nog niet beantwoord: kies ja, deels, nee of n.v.t.';
  if (/"nvt"/.test(problem.message))
    return 'Bij n.v.t. hoort een korte toelichting: waarom is dit niet van toepassing?';
  return capitalise(problem.message.replace(/^criterium '[^']*':\s*/, ''));
}

function problemsOf(details: unknown): AnswerProblem[] | null {
  const problems = (details as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(problems)) return null;
  return problems.filter(
    (p): p is AnswerProblem =>
      typeof p === 'object' && p !== null && typeof p.criterion === 'string' && typeof p.message === 'string',
  );
}

/** Removes diacritics and case, so "coop" finds "Coöperatie". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function memberPeriod(org: Organisation): string {
  return org.memberUntil
    ? `lid van ${formatQuarter(org.memberFrom)} tot en met ${formatQuarter(org.memberUntil)}`
    : `lid sinds ${formatQuarter(org.memberFrom)}`;
}

export async function renderQuickscan(view: View): Promise<void> {
  const current = quarterOfDate(new Date());
  const orgParam = view.query.get('organisatie');
  const quarterParam = view.query.get('kwartaal')?.trim().toUpperCase() ?? null;
  const problems: string[] = [];
  let quarter = current;
  if (quarterParam) {
    if (!isQuarter(quarterParam)) {
      problems.push(`'${quarterParam}' is geen kwartaal. Kies hieronder een kwartaal.`);
    } else if (quarterParam > current) {
      problems.push(
        `${formatQuarter(quarterParam)} ligt in de toekomst; een quickscan kan tot en met ${formatQuarter(current)} worden vastgelegd.`,
      );
    } else quarter = quarterParam;
  }
  let orgId: number | null = null;
  if (orgParam) {
    if (/^[1-9]\d{0,9}$/.test(orgParam)) orgId = Number(orgParam);
    else problems.push(`'${orgParam}' is geen organisatie. Kies hieronder een organisatie.`);
  }

  view.main.append(
    h('h1', null, 'Quickscan afnemen'),
    h(
      'p',
      null,
      'Kies een organisatie en een kwartaal en beantwoord per criterium ja, deels, nee of n.v.t. ' +
        'De versnelling en de volgende stappen rekenen mee terwijl u antwoordt.',
    ),
  );

  const [model, list] = await Promise.all([
    get<Schakelmodel>('/api/model'),
    get<{ quarter: string; items: Organisation[] }>('/api/organisations'),
  ]);
  const organisations = [...list.items];
  let org = orgId === null ? null : (organisations.find((o) => o.id === orgId) ?? null);
  if (orgId !== null && !org) {
    // Not among the active organisations: perhaps archived (a list, not GET /:id, so that an
    // unknown id gives no 404 in the console).
    const all = await get<{ items: Organisation[] }>('/api/organisations?includeArchived=true');
    org = all.items.find((o) => o.id === orgId) ?? null;
    if (org) organisations.push(org);
    else problems.push(`Organisatie ${orgId} bestaat niet. Kies hieronder een organisatie.`);
  }

  view.main.append(picker(view, organisations, org, quarter));
  for (const text of problems) view.main.append(notice('error', text));
  if (!org || problems.length > 0) {
    if (problems.length === 0)
      view.main.append(
        notice('info', 'Kies een organisatie en een kwartaal, en kies dan “Quickscan openen”.'),
      );
    return;
  }
  if (quarter < org.memberFrom || (org.memberUntil !== null && quarter > org.memberUntil)) {
    view.main.append(
      notice(
        'error',
        `${org.name} was in ${formatQuarter(quarter)} geen lid van het netwerk (${memberPeriod(org)}). ` +
          'Kies een ander kwartaal, of pas het lidmaatschap aan bij de organisatie.',
      ),
    );
    return;
  }
  const editor = h('div', { class: 'qs-editor' });
  view.main.append(editor);
  const state = { dirty: false };
  view.guardLeave(() => state.dirty);
  await openEditor({ view, model, org, quarter, current, container: editor, state });
}

/** Organisation (grouped by sector, with a search box) and quarter; opening goes through the URL. */
function picker(
  view: View,
  organisations: Organisation[],
  selected: Organisation | null,
  quarter: string,
): HTMLElement {
  const sorted = [...organisations].sort(
    (a, b) => a.sector.localeCompare(b.sector, 'nl') || a.name.localeCompare(b.name, 'nl'),
  );
  const search = h('input', { type: 'search', autocomplete: 'off', class: 'qs-search' });
  const count = h('span', { class: 'hint', 'aria-live': 'polite' });
  const orgSelect = h('select', { name: 'organisatie', required: true });
  const orgError = h('p', { class: 'qs-error', id: uid('qs-org-error'), hidden: true });

  const fill = (): void => {
    const term = fold(search.value.trim());
    const keep = orgSelect.value || (selected ? String(selected.id) : '');
    const matches = sorted.filter((o) => !term || fold(`${o.name} ${o.sector}`).includes(term));
    orgSelect.replaceChildren(h('option', { value: '' }, '— kies een organisatie —'));
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const o of matches) {
      let group = groups.get(o.sector);
      if (!group) {
        group = h('optgroup', { label: o.sector });
        groups.set(o.sector, group);
        orgSelect.append(group);
      }
      group.append(
        h(
          'option',
          { value: String(o.id), selected: String(o.id) === keep },
          o.archived ? `${o.name} (gearchiveerd)` : o.name,
        ),
      );
    }
    if (term && matches.length === 1) orgSelect.value = String(matches[0]?.id);
    count.textContent = term
      ? `${matches.length} van ${sorted.length} organisaties gevonden`
      : `${sorted.length} organisaties`;
  };
  search.addEventListener('input', fill);
  fill();
  count.id = uid('qs-count');

  const quarterSelect = h('select', { name: 'kwartaal' });
  const current = quarterOfDate(new Date());
  const quarters = quarterRange(quarter < '2010-Q1' ? quarter : '2010-Q1', current).reverse();
  for (const q of quarters) {
    quarterSelect.append(
      h(
        'option',
        { value: q, selected: q === quarter },
        q === current ? `${formatQuarter(q)} (huidig kwartaal)` : formatQuarter(q),
      ),
    );
  }

  const searchField = field('Zoek organisatie', search);
  searchField.append(count);
  search.setAttribute('aria-describedby', count.id);
  const orgField = field('Organisatie', orgSelect);
  orgField.append(orgError);

  return h(
    'form',
    {
      class: 'controls qs-picker',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          if (!orgSelect.value) {
            orgError.textContent = 'Kies eerst een organisatie.';
            orgError.hidden = false;
            orgSelect.setAttribute('aria-invalid', 'true');
            orgSelect.setAttribute('aria-describedby', orgError.id);
            orgSelect.focus();
            return;
          }
          const target = `/quickscan?organisatie=${orgSelect.value}&kwartaal=${quarterSelect.value}`;
          view.navigate(target);
          if (location.pathname + location.search !== target) {
            // Leaving was cancelled to keep unsaved answers: show what is open again.
            orgSelect.value = selected ? String(selected.id) : '';
            quarterSelect.value = quarter;
          }
        },
      },
    },
    searchField,
    orgField,
    field('Kwartaal', quarterSelect),
    h('div', { class: 'field qs-open-field' }, h('button', { type: 'submit' }, 'Quickscan openen')),
  );
}

interface EditorContext {
  view: View;
  model: Schakelmodel;
  org: Organisation;
  quarter: string;
  current: string;
  container: HTMLElement;
  state: { dirty: boolean };
}

interface CriterionControls {
  key: string;
  wrapper: HTMLElement;
  group: HTMLFieldSetElement;
  radios: HTMLInputElement[];
  note: HTMLTextAreaElement;
  noteHint: HTMLElement;
  error: HTMLElement;
}

/** Loads the quickscan of the quarter (if any) and builds the form. Called again to reload. */
async function openEditor(ctx: EditorContext): Promise<void> {
  const { org, quarter, container } = ctx;
  container.replaceChildren(h('p', null, 'Laden…'));
  // The list answers with 200 also when the quarter has none yet; GET …/quickscans/:quarter
  // would answer 404 then, which the browser reports as a console error.
  let existing: Quickscan | null;
  let previous: Quickscan | null;
  try {
    const all = await get<Quickscan[]>(`/api/organisations/${org.id}/quickscans`);
    existing = all.find((q) => q.quarter === quarter) ?? null;
    previous = all.filter((q) => q.quarter < quarter && q.answers !== null).at(-1) ?? null;
  } catch (err) {
    container.replaceChildren(
      notice('error', err instanceof ApiError ? capitalise(err.message) : 'Laden lukte niet.'),
    );
    return;
  }
  ctx.state.dirty = false;
  buildEditor(ctx, existing, previous);
}

function buildEditor(ctx: EditorContext, loaded: Quickscan | null, previous: Quickscan | null): void {
  const { model, org, quarter, container, state, view } = ctx;
  let existing = loaded;
  const today = localDate(new Date());
  const controls = new Map<string, CriterionControls>();
  const gearStatus = new Map<number, HTMLElement>();
  const criteria = model.gears.flatMap((g) => g.criteria);

  // --- what kind of write this is ---
  const mode = h('div', { class: 'qs-mode' });
  const renderMode = (): void => {
    mode.replaceChildren();
    if (!existing) {
      mode.append(
        notice('info', `U legt een nieuwe quickscan vast voor ${org.name} in ${formatQuarter(quarter)}.`),
      );
    } else if (existing.source !== 'quickscan' || existing.answers === null) {
      mode.append(
        notice(
          'info',
          `In ${formatQuarter(quarter)} is versnelling ${existing.gear} rechtstreeks vastgelegd ` +
            `(bron: ${SOURCE_TEXT[existing.source]}, versie ${existing.version}), zonder antwoorden. ` +
            'U begint daarom met lege antwoorden. Slaat u de quickscan op, dan vervangt die deze versnelling; ' +
            'de vorige versie blijft bewaard in de geschiedenis.',
        ),
      );
    } else {
      mode.append(
        h(
          'p',
          { class: 'notice info qs-edit', role: 'status' },
          h('strong', null, 'Wijzigen. '),
          `U wijzigt de quickscan van ${formatQuarter(quarter)} (versie ${existing.version}, laatst gewijzigd door ` +
            `${existing.updatedBy} op ${formatDateTime(existing.updatedAt)}); de vorige versie blijft bewaard in de geschiedenis. ` +
            `Opgeslagen versnelling: ${existing.gear}.`,
        ),
      );
      if (existing.model && (existing.model.id !== model.id || existing.model.version !== model.version)) {
        mode.append(
          notice(
            'info',
            `Deze quickscan is afgenomen met ${existing.model.id} versie ${existing.model.version}; bij opslaan ` +
              `geldt het huidige model (${model.name}, versie ${model.version}). Antwoorden op criteria die niet meer bestaan vervallen.`,
          ),
        );
      }
    }
  };
  renderMode();

  // --- the criteria, per gear ---
  const gearFieldsets = model.gears
    .filter((g) => g.gear > 1 && g.criteria.length > 0)
    .map((g) => {
      const status = h('p', { class: 'qs-gear-status' });
      gearStatus.set(g.gear, status);
      return h(
        'fieldset',
        { class: 'qs-gear' },
        h('legend', null, `Versnelling ${g.gear} – ${g.name}`),
        g.description ? h('p', { class: 'hint' }, g.description) : null,
        status,
        ...g.criteria.map((c) => {
          const cid = `qs-c-${c.key}`;
          const name = `qs-answer-${c.key}`;
          const radios = CHOICES.map(([value]) => h('input', { type: 'radio', name, value }));
          const note = h('textarea', { id: `${cid}-note`, rows: 1, maxLength: 2000, class: 'qs-note' });
          const noteHint = h(
            'span',
            { class: 'hint qs-note-hint', id: `${cid}-note-hint`, hidden: true },
            'Verplicht bij n.v.t.: waarom is dit niet van toepassing?',
          );
          const error = h('p', { class: 'qs-error', id: `${cid}-error`, hidden: true });
          const legendId = `${cid}-legend`;
          const group = h(
            'fieldset',
            { class: 'qs-answer', role: 'radiogroup', 'aria-labelledby': legendId },
            h('legend', { id: legendId }, h('span', { class: 'qs-key' }, c.key), ' ', c.text),
            h(
              'div',
              { class: 'qs-options' },
              ...CHOICES.map(([, label], i) =>
                h('label', { class: 'qs-option' }, radios[i], h('span', null, label)),
              ),
            ),
          );
          const wrapper = h(
            'div',
            { class: 'qs-criterion', id: cid, 'data-key': c.key },
            group,
            error,
            h(
              'details',
              { class: 'qs-guidance' },
              h('summary', null, `Uitleg bij ${c.key}`),
              h('p', null, c.guidance),
              h('p', { class: 'hint' }, `Maatregel: ${c.measure}`),
            ),
            h(
              'div',
              { class: 'field qs-note-field' },
              h('label', { for: note.id }, `Toelichting bij ${c.key}`),
              noteHint,
              note,
            ),
          );
          controls.set(c.key, { key: c.key, wrapper, group, radios, note, noteHint, error });
          return wrapper;
        }),
      );
    });

  // --- about this quickscan ---
  const conductedOn = h('input', {
    type: 'date',
    name: 'conductedOn',
    min: quarterStartDate(quarter),
    max: today,
    value: existing?.conductedOn ?? (!existing?.answers && quarter === ctx.current ? today : ''),
  });
  const dateError = h('p', { class: 'qs-error', id: uid('qs-date-error'), hidden: true });
  const conductedBy = h('input', {
    type: 'text',
    name: 'conductedBy',
    maxLength: 200,
    autocomplete: 'name',
    value: existing?.answers ? (existing.conductedBy ?? '') : (view.session?.user.email ?? ''),
  });
  const remark = h('textarea', { name: 'remark', rows: 3, maxLength: 5000, value: existing?.remark ?? '' });
  const dateField = field(
    'Datum afgenomen',
    conductedOn,
    `Op of na ${quarterStartDate(quarter)}, niet in de toekomst.`,
  );
  dateField.append(dateError);
  const dateHintId = conductedOn.getAttribute('aria-describedby');
  const about = h(
    'fieldset',
    { class: 'qs-gear qs-about' },
    h('legend', null, 'Over deze quickscan'),
    dateField,
    field('Afgenomen door', conductedBy),
    field('Opmerking', remark, 'Bijvoorbeeld met wie u sprak of wat u is opgevallen.'),
  );

  // --- the live summary ---
  const gearLine = h('p', { class: 'qs-gear-line', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const openCount = h('p', { class: 'qs-open' });
  const nextTitle = h('span', null);
  const nextList = h('ol', { class: 'qs-next-list' });
  const next = h(
    'details',
    { class: 'qs-next', open: window.matchMedia(WIDE).matches },
    h('summary', null, nextTitle),
    nextList,
  );
  const messages = h('div', { class: 'qs-messages' });
  const saveButton = h('button', { type: 'submit' }, 'Quickscan opslaan');
  const summaryHeading = h('h2', { id: uid('qs-summary') }, 'Uitkomst');
  const summary = h(
    'aside',
    { class: 'qs-summary', 'aria-labelledby': summaryHeading.id },
    summaryHeading,
    gearLine,
    openCount,
    h('p', { class: 'qs-save' }, saveButton),
    messages,
    next,
  );

  /** The answers given so far, unanswered criteria left out. */
  const collect = (): Record<string, { answer: AnswerValue; note: string | null }> => {
    const raw: Record<string, { answer: AnswerValue; note: string | null }> = {};
    for (const c of controls.values()) {
      const checked = c.radios.find((r) => r.checked);
      if (!checked) continue;
      const note = c.note.value.trim();
      raw[c.key] = { answer: checked.value as AnswerValue, note: note === '' ? null : note };
    }
    return raw;
  };

  let lastLine = '';
  const update = (): void => {
    const given = collect();
    const result = evaluate(model, given as Answers);
    const def = model.gears.find((g) => g.gear === result.gear);
    const nextGear = model.gears.find((g) => g.gear === result.gear + 1);
    const head = `Versnelling ${result.gear} – ${def?.name ?? ''}`;
    const rest =
      result.progress && nextGear
        ? `nog ${result.progress.total - result.progress.met} van ${result.progress.total} criteria voor versnelling ${nextGear.gear}`
        : 'de hoogste versnelling, alleen nog vasthouden';
    if (lastLine !== `${head}; ${rest}`) {
      // Only a real change is announced, not every click.
      lastLine = `${head}; ${rest}`;
      gearLine.replaceChildren(
        h(
          'span',
          { class: `qs-gear-num qs-gear-${result.gear}`, 'aria-hidden': 'true' },
          String(result.gear),
        ),
        h(
          'span',
          null,
          h('strong', { class: 'qs-gear-head' }, head),
          h('span', { class: 'qs-vh' }, '; '),
          h('span', { class: 'qs-gear-rest' }, rest),
        ),
      );
    }
    const answered = Object.keys(given).length;
    openCount.textContent =
      answered === criteria.length
        ? `Alle ${criteria.length} criteria beantwoord.`
        : `${answered} van ${criteria.length} criteria beantwoord; onbeantwoord telt als niet voldaan.`;
    nextTitle.textContent = nextGear
      ? `Volgende stappen naar versnelling ${nextGear.gear} (${result.nextSteps.length})`
      : 'Volgende stappen (geen)';
    nextList.replaceChildren(
      ...result.nextSteps.map((step) =>
        h(
          'li',
          null,
          h('span', { class: 'qs-key' }, step.key),
          ' ',
          step.text,
          given[step.key]?.answer === 'deels' ? [' ', h('span', { class: 'badge' }, 'deels')] : null,
        ),
      ),
    );
    if (!nextGear) nextList.replaceChildren(h('li', null, 'Geen: dit is de hoogste versnelling.'));
    for (const check of result.gears) {
      const status = gearStatus.get(check.gear);
      if (!status) continue;
      const total = check.met.length + check.unmet.length;
      status.textContent = `${check.met.length} van ${total} criteria voldaan${check.complete ? ' ✓' : ''}`;
    }
    for (const c of controls.values()) {
      const nvt = given[c.key]?.answer === 'nvt';
      c.noteHint.hidden = !nvt;
      c.note.required = nvt;
      setDescribedBy(c.note, [nvt ? c.noteHint.id : null, c.error.hidden ? null : c.error.id]);
    }
  };

  const clearProblem = (c: CriterionControls): void => {
    c.error.hidden = true;
    c.error.textContent = '';
    c.wrapper.classList.remove('qs-invalid');
    c.group.removeAttribute('aria-invalid');
    c.group.removeAttribute('aria-describedby');
    c.note.removeAttribute('aria-invalid');
  };

  const clearProblems = (): void => {
    for (const c of controls.values()) clearProblem(c);
    dateError.hidden = true;
    conductedOn.removeAttribute('aria-invalid');
    setDescribedBy(conductedOn, [dateHintId]);
    messages.replaceChildren();
  };

  /** Marks the criteria with problems, lists them in the summary and focuses the first. */
  const showProblems = (problems: AnswerProblem[], intro: string): void => {
    const items: HTMLElement[] = [];
    const unanswered: HTMLElement[] = [];
    let first: HTMLElement | null = null;
    for (const problem of problems) {
      const c = controls.get(problem.criterion);
      const text = problemText(problem);
      if (problem.criterion === 'datum') {
        items.push(h('li', null, focusLink(conductedOn, `Datum afgenomen: ${problem.message}`)));
        continue;
      }
      if (!c) {
        items.push(h('li', null, `${problem.criterion}: ${text}`));
        continue;
      }
      c.error.textContent = `Let op: ${text}`;
      c.error.hidden = false;
      c.wrapper.classList.add('qs-invalid');
      c.group.setAttribute('aria-invalid', 'true');
      c.group.setAttribute('aria-describedby', c.error.id);
      const checked = c.radios.find((r) => r.checked);
      const noteProblem = checked?.value === 'nvt' && c.note.value.trim() === '';
      if (noteProblem) c.note.setAttribute('aria-invalid', 'true');
      const target = noteProblem ? c.note : (checked ?? c.radios[0] ?? c.note);
      first ??= target;
      if (text.startsWith('Nog niet beantwoord'))
        unanswered.push(focusLink(target, problem.criterion, `#${c.wrapper.id}`));
      else items.push(h('li', null, focusLink(target, `${problem.criterion}: ${text}`, `#${c.wrapper.id}`)));
    }
    if (unanswered.length > 0) {
      // One line for the unanswered criteria keeps the list short on a phone.
      items.push(
        h(
          'li',
          null,
          'Nog niet beantwoord: ',
          unanswered.flatMap((link, i) => (i === 0 ? [link] : [', ', link])),
        ),
      );
    }
    update();
    messages.replaceChildren(
      h(
        'div',
        { class: 'notice error qs-problems', role: 'alert' },
        h('p', null, intro),
        h('ul', null, ...items),
      ),
    );
    first?.focus();
  };

  /** Clears a criterion's mark once its answer is complete again. */
  const recheck = (key: string | undefined): void => {
    const c = key ? controls.get(key) : undefined;
    if (!c || c.error.hidden) return;
    const checked = c.radios.find((r) => r.checked);
    if (checked && (checked.value !== 'nvt' || c.note.value.trim() !== '')) clearProblem(c);
  };

  const fillAnswers = (answers: Answers): void => {
    for (const c of controls.values()) {
      const a = answers[c.key];
      for (const r of c.radios) r.checked = r.value === a?.answer;
      c.note.value = a?.note ?? '';
    }
  };
  if (existing?.answers) fillAnswers(existing.answers);

  // --- saving ---
  const markDate = (message: string): void => {
    dateError.textContent = `Let op: ${message}`;
    dateError.hidden = false;
    conductedOn.setAttribute('aria-invalid', 'true');
    setDescribedBy(conductedOn, [dateHintId, dateError.id]);
  };

  /** The server's date rules, checked before sending. */
  const dateProblem = (): string | null => {
    const v = conductedOn.value;
    if (v === '') return null;
    if (v > today) return `De datum afgenomen (${v}) ligt in de toekomst.`;
    if (v < quarterStartDate(quarter))
      return `De datum afgenomen (${v}) ligt vóór ${formatQuarter(quarter)}; kies een datum op of na ${quarterStartDate(quarter)}.`;
    return null;
  };

  const save = async (): Promise<void> => {
    clearProblems();
    const raw = collect();
    const badDate = dateProblem();
    if (badDate) markDate(badDate);
    try {
      validateAnswers(model, raw);
    } catch (err) {
      const problems = err instanceof AppError ? problemsOf(err.details) : null;
      if (problems && problems.length > 0) {
        showProblems(
          badDate ? [...problems, { criterion: 'datum', message: badDate }] : problems,
          problems.length === 1
            ? 'Nog niet opgeslagen: één criterium is niet goed ingevuld.'
            : `Nog niet opgeslagen: ${problems.length} criteria zijn niet goed ingevuld.`,
        );
        return;
      }
      throw err;
    }
    if (badDate) {
      messages.replaceChildren(notice('error', `Nog niet opgeslagen: ${badDate}`));
      conductedOn.focus();
      return;
    }
    const fields = {
      answers: raw,
      conductedOn: conductedOn.value === '' ? null : conductedOn.value,
      conductedBy: conductedBy.value.trim() === '' ? null : conductedBy.value.trim(),
      remark: remark.value.trim() === '' ? null : remark.value.trim(),
    };
    saveButton.disabled = true;
    saveButton.textContent = 'Bezig met opslaan…';
    try {
      const saved = existing
        ? await put<Quickscan>(`/api/organisations/${org.id}/quickscans/${quarter}`, {
            ...fields,
            expectedVersion: existing.version,
          })
        : await post<Quickscan>(`/api/organisations/${org.id}/quickscans`, { quarter, ...fields });
      const wasEdit = existing !== null;
      existing = saved;
      state.dirty = false;
      renderMode();
      const name = model.gears.find((g) => g.gear === saved.gear)?.name ?? '';
      const ok = notice(
        'ok',
        `${wasEdit ? 'Wijziging opgeslagen' : 'Quickscan opgeslagen'}: ${org.name} staat in ${formatQuarter(quarter)} ` +
          `in versnelling ${saved.gear} – ${name} (versie ${saved.version}).`,
      );
      ok.tabIndex = -1;
      messages.replaceChildren(ok, h('p', null, h('a', { href: '/overzicht' }, 'Terug naar het overzicht')));
      ok.focus();
    } catch (err) {
      handleSaveError(err);
    } finally {
      saveButton.disabled = false;
      saveButton.textContent = 'Quickscan opslaan';
    }
  };

  const handleSaveError = (err: unknown): void => {
    if (!(err instanceof ApiError)) {
      messages.replaceChildren(notice('error', 'Opslaan lukte niet. Probeer het opnieuw.'));
      return;
    }
    const problems = problemsOf(err.details);
    if (problems && problems.length > 0) {
      showProblems(problems, `Niet opgeslagen: ${capitalise(err.message)}`);
      return;
    }
    if (err.code === 'version_conflict' || err.code === 'quickscan_exists') {
      const currentVersion = (err.details as { currentVersion?: number | null } | undefined)?.currentVersion;
      const conflictText =
        err.code === 'quickscan_exists'
          ? `Niet opgeslagen: intussen heeft iemand anders al een quickscan of versnelling voor ${org.name} in ` +
            `${formatQuarter(quarter)} vastgelegd${currentVersion ? ` (versie ${currentVersion})` : ''}.`
          : `Niet opgeslagen: ${capitalise(err.message)}.`;
      const reload = h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          on: {
            click: () => {
              state.dirty = false;
              void openEditor(ctx);
            },
          },
        },
        'Opnieuw laden',
      );
      messages.replaceChildren(
        h(
          'div',
          { class: 'notice error', role: 'alert' },
          h('p', null, conflictText),
          h(
            'p',
            null,
            'Laad de nieuwste versie en voer uw wijzigingen opnieuw in. Opnieuw laden vervangt uw antwoorden op deze pagina.',
          ),
          h('p', null, reload),
        ),
      );
      reload.focus();
      return;
    }
    if (err.code === 'invalid_date') {
      markDate(capitalise(err.message));
      messages.replaceChildren(notice('error', `Niet opgeslagen: ${capitalise(err.message)}`));
      conductedOn.focus();
      return;
    }
    const alert = notice('error', `Niet opgeslagen: ${capitalise(err.message)}`);
    alert.tabIndex = -1;
    messages.replaceChildren(alert);
    alert.focus();
  };

  const titleId = uid('qs-title');
  const form = h(
    'form',
    {
      class: 'qs-form',
      novalidate: true,
      'aria-labelledby': titleId,
      on: {
        submit: (event) => {
          event.preventDefault();
          void save();
        },
        change: (event) => {
          state.dirty = true;
          update();
          recheck(keyOf(event.target));
        },
        input: (event) => {
          state.dirty = true;
          recheck(keyOf(event.target));
        },
      },
    },
    h('div', { class: 'qs-layout' }, h('div', { class: 'qs-questions' }, ...gearFieldsets, about), summary),
  );

  // Offer the answers of the last quickscan: most of them rarely change between two visits.
  const copy =
    (existing === null || existing.answers === null) && previous?.answers
      ? h(
          'p',
          null,
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              on: {
                click: (event) => {
                  const source = previous as Quickscan;
                  fillAnswers(source.answers as Answers);
                  state.dirty = true;
                  clearProblems();
                  update();
                  const done = notice(
                    'ok',
                    `De antwoorden van ${formatQuarter(source.quarter)} zijn overgenomen. Controleer ze en wijzig wat veranderd is.`,
                  );
                  (event.currentTarget as HTMLElement).parentElement?.replaceWith(done);
                  done.tabIndex = -1;
                  done.focus();
                },
              },
            },
            `Antwoorden van ${formatQuarter(previous.quarter)} overnemen (versnelling ${previous.gear})`,
          ),
        )
      : null;

  replace(
    container,
    h('h2', { class: 'qs-title', id: titleId }, `${org.name} – ${formatQuarter(quarter)}`),
    h('p', { class: 'qs-meta' }, `Sector ${org.sector}, ${memberPeriod(org)}.`),
    mode,
    copy,
    form,
  );
  update();
}

function setDescribedBy(el: HTMLElement, ids: Array<string | null | undefined>): void {
  const value = [...new Set(ids.filter((id): id is string => !!id))].join(' ');
  if (value) el.setAttribute('aria-describedby', value);
  else el.removeAttribute('aria-describedby');
}

function keyOf(target: EventTarget | null): string | undefined {
  return (target as HTMLElement | null)?.closest?.('.qs-criterion')?.getAttribute('data-key') ?? undefined;
}

/** A link in an error summary that moves focus to the field (the router would treat a plain #hash as a page). */
function focusLink(target: HTMLElement, text: string, href = `#${target.id}`): HTMLElement {
  return h(
    'a',
    {
      href,
      on: {
        click: (event) => {
          event.preventDefault();
          target.focus();
        },
      },
    },
    text,
  );
}
