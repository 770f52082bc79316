// Quickscan afnemen: the projectleider picks an organisation and a quarter, answers the criteria
// of the schakelmodel and sees the resulting gear and next steps while answering. The gear comes
// from the same engine the server uses (server/domain/gear-engine.ts), with the model of the API.
import type { Schakelmodel } from '../../../server/contracts/model.contract.ts';
import type { Action } from '../../../server/contracts/network.contract.ts';
import type {
  OrganisationListItem as Organisation,
  OrganisationList,
} from '../../../server/contracts/organisation.contract.ts';
import type {
  CreateQuickscanInput,
  Quickscan,
  QuickscanInput,
} from '../../../server/contracts/quickscan.contract.ts';
import {
  type Answers,
  type AnswerValue,
  type Evaluation,
  evaluate,
  mustAnswerThrough,
  validateAnswers,
} from '../../../server/domain/gear-engine.ts';
import { allowsNotApplicable } from '../../../server/domain/model-types.ts';
import { ACTION_STATUS_NAMES } from '../../../server/domain/network-work.ts';
import { localDate, quarterStartDate } from '../../../server/domain/quarter.ts';
import { ApiError, get, post, put } from '../api.ts';
import type { View } from '../router.ts';
import { dueText } from '../ui/action-plan.ts';
import { WIDE } from '../ui/breakpoints.ts';
import { button, field, focusOn, h, notice, replace, setDescribedBy, uid } from '../ui/dom.ts';
import { focusLink, type LiveProblem, liveErrorSummary, untilEdited } from '../ui/error-summary.ts';
import { clearFieldError, showFieldError } from '../ui/field-errors.ts';
import { formatDate, formatDateTime, formatQuarter, searchKey } from '../ui/format.ts';
import { gearFill } from '../ui/gear-colours.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { type Problem, problemsOf } from '../ui/problems.ts';
import { currentQuarter, isQuarter, type Quarter, quarterSelect } from '../ui/quarter-select.ts';
import { criterionResources, loadResources, type Resource } from '../ui/resources.ts';
import { isMemberInQuarter, membershipSentence, sectorNameIn } from '../ui/timeline.ts';

// Signing in again in a dialog when a save finds the session ended or replaced (for every form:
// the dialog registers itself with the API client when it is loaded).

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

/** "lid Q4 2015 tot en met Q2 2016 en Q1 2017 tot nu": every period, not only the latest. */
function memberPeriod(org: Organisation): string {
  return membershipSentence(org.memberships);
}

// ---------------------------------------------------------------------------------------------
// Choosing the organisation and quarter

/** What the address asks for, and what is wrong with it. */
function readAddress(view: View, current: Quarter) {
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
  return { quarter, orgId, problems };
}

export async function renderQuickscan(view: View): Promise<void> {
  const current = currentQuarter();
  const { quarter, orgId, problems } = readAddress(view, current);
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
    get<OrganisationList>('/api/organisations'),
  ]);
  const organisations = [...list.items];
  let org = orgId === null ? null : (organisations.find((o) => o.id === orgId) ?? null);
  if (orgId !== null && !org) {
    // Not among the active organisations: perhaps archived (a list, not GET /:id, so that an
    // unknown id gives no 404 in the console).
    const all = await get<OrganisationList>('/api/organisations?includeArchived=true');
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
  if (!isMemberInQuarter(org.memberships, quarter)) {
    view.main.append(
      notice(
        'error',
        `${org.name} was in ${formatQuarter(quarter)} geen lid van het netwerk (${memberPeriod(org)}). ` +
          'Kies een ander kwartaal, of pas het lidmaatschap aan bij de organisatie.',
      ),
    );
    return;
  }
  const container = h('div', { class: 'qs-editor' });
  view.main.append(container);
  const state = { dirty: false };
  view.guardLeave(() => state.dirty);
  await openEditor({ view, model, org, quarter, current, container, state });
}

/** Organisation (grouped by sector, with a search box) and quarter; opening goes through the URL. */
function picker(
  view: View,
  organisations: Organisation[],
  selected: Organisation | null,
  quarter: Quarter,
): HTMLElement {
  const search = h('input', { type: 'search', autocomplete: 'off', class: 'qs-search' });
  const count = h('span', { class: 'hint', 'aria-live': 'polite', id: uid('qs-count') });
  const orgSelect = h('select', { name: 'organisatie', required: true });
  const fill = organisationOptions(organisations, selected, { search, count, orgSelect });
  search.addEventListener('input', fill);
  fill();
  const current = currentQuarter();
  const quarterChoice = quarterSelect({
    selected: quarter,
    attrs: { name: 'kwartaal' },
    label: (q) => (q === current ? `${formatQuarter(q)} (huidig kwartaal)` : formatQuarter(q)),
  });
  const searchField = field('Zoek organisatie', search);
  searchField.append(count);
  search.setAttribute('aria-describedby', count.id);
  const open = (event: Event) => {
    event.preventDefault();
    if (!orgSelect.value) {
      showFieldError(orgSelect, 'Kies eerst een organisatie.');
      orgSelect.focus();
      return;
    }
    const target = `/quickscan?organisatie=${orgSelect.value}&kwartaal=${quarterChoice.value}`;
    view.navigate(target);
    if (location.pathname + location.search !== target) {
      // Leaving was cancelled to keep unsaved answers: show what is open again.
      orgSelect.value = selected ? String(selected.id) : '';
      quarterChoice.value = quarter;
    }
  };
  return h(
    'form',
    { class: 'controls qs-picker', novalidate: true, on: { submit: open } },
    searchField,
    field('Organisatie', orgSelect),
    field('Kwartaal', quarterChoice),
    h('div', { class: 'field qs-open-field' }, h('button', { type: 'submit' }, 'Quickscan openen')),
  );
}

/** Fills the organisation select with the organisations the search finds, grouped by sector. */
function organisationOptions(
  organisations: Organisation[],
  selected: Organisation | null,
  parts: { search: HTMLInputElement; count: HTMLElement; orgSelect: HTMLSelectElement },
): () => void {
  const sorted = [...organisations].sort(
    (a, b) => a.sector.localeCompare(b.sector, 'nl') || a.name.localeCompare(b.name, 'nl'),
  );
  const { search, count, orgSelect } = parts;
  return () => {
    const term = searchKey(search.value);
    const keep = orgSelect.value || (selected ? String(selected.id) : '');
    const matches = sorted.filter((o) => !term || searchKey(`${o.name} ${o.sector}`).includes(term));
    orgSelect.replaceChildren(h('option', { value: '' }, '— kies een organisatie —'));
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const o of matches) {
      let group = groups.get(o.sector);
      if (!group) {
        group = h('optgroup', { label: o.sector });
        groups.set(o.sector, group);
        orgSelect.append(group);
      }
      const label = o.archived ? `${o.name} (gearchiveerd)` : o.name;
      group.append(h('option', { value: String(o.id), selected: String(o.id) === keep }, label));
    }
    if (term && matches.length === 1) orgSelect.value = String(matches[0]?.id);
    count.textContent = term
      ? `${matches.length} van ${sorted.length} organisaties gevonden`
      : `${sorted.length} organisaties`;
  };
}

// ---------------------------------------------------------------------------------------------
// The editor: the criteria per gear, about this quickscan, and the live outcome beside them

interface EditorContext {
  /** The actions agreed with the organisation (shown with their criterion). */
  actions?: Action[];
  /** The apothekerskast (shown with each criterion). */
  kast?: Resource[];
  view: View;
  model: Schakelmodel;
  org: Organisation;
  quarter: Quarter;
  current: Quarter;
  container: HTMLElement;
  state: { dirty: boolean };
}

/** One criterion's controls: the radio group, the note and the place for its error. */
interface CriterionControls {
  key: string;
  gear: number;
  /** Whether "n.v.t." is one of the choices (the model may refuse it for a criterion). */
  nvtAllowed: boolean;
  /** Says why "n.v.t." is not offered; null where it is. */
  nvtHint: HTMLElement | null;
  wrapper: HTMLElement;
  group: HTMLFieldSetElement;
  radios: HTMLInputElement[];
  note: HTMLTextAreaElement;
  noteHint: HTMLElement;
  error: HTMLElement;
}

/** "Over deze quickscan": the date, who, and a remark, by their field in the API. */
interface AboutControls {
  conductedOn: HTMLInputElement;
  conductedBy: HTMLInputElement;
  remark: HTMLTextAreaElement;
}

const ABOUT_LABELS: Record<keyof AboutControls, string> = {
  conductedOn: 'Datum afgenomen',
  conductedBy: 'Afgenomen door',
  remark: 'Opmerking',
};

/** The live outcome beside the questions. */
interface Summary {
  element: HTMLElement;
  gearLine: HTMLElement;
  openCount: HTMLElement;
  /** With the model's rule: which gears may stay unanswered for now. */
  mayStayOpen: HTMLElement;
  nextTitle: HTMLElement;
  nextList: HTMLElement;
  messages: HTMLElement;
  saveButton: HTMLButtonElement;
  /** The gear line last announced: only a real change is announced, not every click. */
  lastLine: string;
}

interface Editor extends EditorContext {
  existing: Quickscan | null;
  previous: Quickscan | null;
  today: string;
  criteria: Map<string, CriterionControls>;
  gearStatus: Map<number, HTMLElement>;
  about: AboutControls;
  summary: Summary;
  mode: HTMLElement;
  /** The form itself, once built: the error summary follows its changes. */
  form: HTMLFormElement | null;
}

/** Loads the quickscan of the quarter (if any) and builds the form. Called again to reload. */
async function openEditor(ctx: EditorContext): Promise<void> {
  const { org, quarter, container } = ctx;
  container.replaceChildren(h('p', null, 'Laden…'));
  // The list answers with 200 also when the quarter has none yet; GET …/quickscans/:quarter
  // would answer 404 then, which the browser reports as a console error.
  let all: Quickscan[];
  let actions: Action[];
  let kast: Resource[];
  try {
    [all, actions, kast] = await Promise.all([
      get<Quickscan[]>(`/api/organisations/${org.id}/quickscans`),
      get<Action[]>(`/api/organisations/${org.id}/actions`),
      // The apothekerskast is extra: the form works without it.
      loadResources().catch(() => []),
    ]);
  } catch (err) {
    container.replaceChildren(notice('error', errorText(err, 'Laden lukte niet.')));
    return;
  }
  ctx.state.dirty = false;
  const existing = all.find((q) => q.quarter === quarter) ?? null;
  const previous = all.filter((q) => q.quarter < quarter && q.answers !== null).at(-1) ?? null;
  buildEditor({ ...ctx, actions, kast }, existing, previous);
}

function buildEditor(ctx: EditorContext, existing: Quickscan | null, previous: Quickscan | null): void {
  const today = localDate(new Date());
  const ed: Editor = {
    ...ctx,
    existing,
    previous,
    today,
    criteria: new Map(),
    gearStatus: new Map(),
    about: aboutControls(ctx, existing, today),
    summary: summaryPanel(),
    mode: h('div', { class: 'qs-mode' }),
    form: null,
  };
  renderMode(ed);
  const gearFieldsets = ed.model.gears
    .filter((g) => g.gear > 1 && g.criteria.length > 0)
    .map((g) => gearFieldset(ed, g));
  if (existing?.answers) fillAnswers(ed, existing.answers);
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
          void save(ed);
        },
        change: (event) => {
          ed.state.dirty = true;
          update(ed);
          recheck(ed, keyOf(event.target));
        },
        input: (event) => {
          ed.state.dirty = true;
          recheck(ed, keyOf(event.target));
        },
      },
    },
    h(
      'div',
      { class: 'qs-layout' },
      h('div', { class: 'qs-questions' }, ...gearFieldsets, aboutFieldset(ed)),
      ed.summary.element,
    ),
  );
  ed.form = form;
  keepAboveDock(ed, form);
  replace(
    ed.container,
    h('h2', { class: 'qs-title', id: titleId }, `${ed.org.name} – ${formatQuarter(ed.quarter)}`),
    h(
      'p',
      { class: 'qs-meta' },
      `Sector ${sectorNameIn(ed.org.sectorHistory, ed.quarter) ?? ed.org.sector}, ${memberPeriod(ed.org)}.`,
    ),
    ed.mode,
    ruleNotice(ed.model),
    copyOffer(ed),
    form,
  );
  update(ed);
}

/**
 * On a narrow screen the outcome is docked at the bottom of the screen. The question being
 * answered stays above it: the dock's height is kept in --qs-dock (the controls' scroll margin),
 * and a control that is focused or answered behind the dock is scrolled up, after the dock has
 * taken its new height (an answer can change what it says).
 */
function keepAboveDock(ed: Editor, form: HTMLFormElement): void {
  const dock = ed.summary.element;
  const wide = window.matchMedia(WIDE);
  const measure = () => {
    const height = wide.matches ? 0 : Math.ceil(dock.getBoundingClientRect().height);
    ed.container.style.setProperty('--qs-dock', `${height}px`);
  };
  new ResizeObserver(measure).observe(dock);
  const reveal = (event: Event) => {
    const target = event.target as HTMLElement | null;
    if (wide.matches || !target || dock.contains(target)) return;
    requestAnimationFrame(() => {
      measure();
      const block = target.closest<HTMLElement>('.qs-answer, .field, .qs-guidance') ?? target;
      const covered = block.getBoundingClientRect().bottom - dock.getBoundingClientRect().top;
      // Only while the dock floats over the page (at the end of the form it is in its own place).
      if (covered > 0 && dock.getBoundingClientRect().bottom >= window.innerHeight - 1) {
        window.scrollBy({ top: covered + 12 });
      }
    });
  };
  form.addEventListener('focusin', reveal);
  form.addEventListener('change', reveal);
}

/** The model's rule that criteria above the first gap may stay open, said once above the form. */
function ruleNotice(model: Schakelmodel): HTMLElement | null {
  if (model.unansweredAboveFirstGap !== true) return null;
  return notice(
    'info',
    'U hoeft niet alles te beantwoorden. Zodra een versnelling een criterium heeft dat niet voldaan is, ' +
      'mogen de criteria van de versnellingen daarboven open blijven: ze tellen als niet voldaan. ' +
      'Een organisatie die de basis van versnelling 2 nog niet heeft, hoeft dus niet de vragen over ketensamenwerking te beantwoorden. ' +
      'De criteria tot en met die eerste versnelling moeten wel allemaal beantwoord zijn.',
  );
}

/** What kind of write this is: a new quickscan, a gear recorded without answers, or an edit. */
function renderMode(ed: Editor): void {
  const { existing, model, quarter } = ed;
  const q = formatQuarter(quarter);
  if (!existing) {
    replace(ed.mode, notice('info', `U legt een nieuwe quickscan vast voor ${ed.org.name} in ${q}.`));
  } else if (existing.source !== 'quickscan' || existing.answers === null) {
    replace(
      ed.mode,
      notice(
        'info',
        `In ${q} is versnelling ${existing.gear} rechtstreeks vastgelegd ` +
          `(bron: ${SOURCE_TEXT[existing.source]}, versie ${existing.version}), zonder antwoorden. ` +
          'U begint daarom met lege antwoorden. Slaat u de quickscan op, dan vervangt die deze versnelling; ' +
          'de vorige versie blijft bewaard in de geschiedenis.',
      ),
    );
  } else {
    const otherModel =
      existing.model && (existing.model.id !== model.id || existing.model.version !== model.version)
        ? existing.model
        : null;
    replace(
      ed.mode,
      notice(
        'info',
        h('strong', null, 'Wijzigen. '),
        `U wijzigt de quickscan van ${q} (versie ${existing.version}, laatst gewijzigd door ` +
          `${existing.updatedBy} op ${formatDateTime(existing.updatedAt)}); de vorige versie blijft bewaard in de geschiedenis. ` +
          `Opgeslagen versnelling: ${existing.gear}.`,
      ),
      otherModel
        ? notice(
            'info',
            `Deze quickscan is afgenomen met ${otherModel.id} versie ${otherModel.version}; bij opslaan ` +
              `geldt het huidige model (${model.name}, versie ${model.version}). Antwoorden op criteria die niet meer bestaan vervallen.`,
          )
        : null,
    );
  }
}

function gearFieldset(ed: Editor, g: Schakelmodel['gears'][number]): HTMLElement {
  const status = h('p', { class: 'qs-gear-status' });
  ed.gearStatus.set(g.gear, status);
  return h(
    'fieldset',
    { class: 'qs-gear' },
    h('legend', null, `Versnelling ${g.gear} – ${g.name}`),
    g.description ? h('p', { class: 'hint' }, g.description) : null,
    status,
    ...g.criteria.map((c) => criterionBlock(ed, g.gear, c)),
  );
}

function criterionBlock(
  ed: Editor,
  gear: number,
  c: Schakelmodel['gears'][number]['criteria'][number],
): HTMLElement {
  const cid = `qs-c-${c.key}`;
  const nvtAllowed = allowsNotApplicable(c);
  const choices = nvtAllowed ? CHOICES : CHOICES.filter(([value]) => value !== 'nvt');
  const radios = choices.map(([value]) => h('input', { type: 'radio', name: `qs-answer-${c.key}`, value }));
  const nvtHint = nvtAllowed
    ? null
    : h(
        'p',
        { class: 'hint qs-nvt-hint', id: `${cid}-nvt-hint` },
        'N.v.t. kan bij dit criterium niet worden gekozen: het geldt voor elke organisatie.',
      );
  const note = h('textarea', { id: `${cid}-note`, rows: 1, maxLength: 2000, class: 'qs-note' });
  const noteHint = h(
    'span',
    { class: 'hint qs-note-hint', id: `${cid}-note-hint`, hidden: true },
    'Verplicht bij n.v.t.: waarom is dit niet van toepassing?',
  );
  const error = h('p', { class: 'field-error', id: `${cid}-error`, hidden: true });
  const legendId = `${cid}-legend`;
  const group = h(
    'fieldset',
    {
      class: 'qs-answer',
      role: 'radiogroup',
      'aria-labelledby': legendId,
      'aria-describedby': nvtHint?.id,
    },
    h('legend', { id: legendId }, h('span', { class: 'qs-key' }, c.key), ' ', c.text),
    h(
      'div',
      { class: 'qs-options' },
      ...choices.map(([, label], i) => h('label', { class: 'qs-option' }, radios[i], h('span', null, label))),
    ),
    nvtHint,
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
    criterionResources(ed.kast ?? [], c),
    criterionActions(ed, c.key),
    h(
      'div',
      { class: 'field qs-note-field' },
      h('label', { for: note.id }, `Toelichting bij ${c.key}`),
      noteHint,
      note,
    ),
  );
  ed.criteria.set(c.key, {
    key: c.key,
    gear,
    nvtAllowed,
    nvtHint,
    wrapper,
    group,
    radios,
    note,
    noteHint,
    error,
  });
  return wrapper;
}

/** The actions agreed on this criterion, with owner, due moment and status; managed on the organisation's page. */
function criterionActions(ed: Editor, key: string): HTMLElement | null {
  const actions = (ed.actions ?? []).filter((a) => a.criterion === key && a.status !== 'vervallen');
  if (actions.length === 0) return null;
  return h(
    'div',
    { class: 'qs-actions' },
    h('p', { class: 'hint' }, `Afgesproken acties bij ${key}:`),
    h(
      'ul',
      null,
      ...actions.map((a) =>
        h(
          'li',
          null,
          `${a.title} (${[a.owner, dueText(a), ACTION_STATUS_NAMES[a.status]].filter(Boolean).join(', ')})`,
          a.overdue ? h('strong', { class: 'status-bad' }, ' verlopen') : null,
        ),
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      h('a', { href: `/organisaties/${ed.org.id}` }, 'Acties beheren op de pagina van de organisatie'),
    ),
  );
}

function aboutControls(ctx: EditorContext, existing: Quickscan | null, today: string): AboutControls {
  const remark = h('textarea', { name: 'remark', rows: 3, maxLength: 5000 });
  remark.value = existing?.remark ?? '';
  return {
    conductedOn: h('input', {
      type: 'date',
      name: 'conductedOn',
      min: quarterStartDate(ctx.quarter),
      max: today,
      value: existing?.conductedOn ?? (!existing?.answers && ctx.quarter === ctx.current ? today : ''),
    }),
    conductedBy: h('input', {
      type: 'text',
      name: 'conductedBy',
      maxLength: 200,
      autocomplete: 'name',
      value: existing?.answers ? (existing.conductedBy ?? '') : (ctx.view.session?.user.email ?? ''),
    }),
    remark,
  };
}

function aboutFieldset(ed: Editor): HTMLElement {
  const { conductedOn, conductedBy, remark } = ed.about;
  return h(
    'fieldset',
    { class: 'qs-gear qs-about' },
    h('legend', null, 'Over deze quickscan'),
    field(
      ABOUT_LABELS.conductedOn,
      conductedOn,
      `Op of na ${formatDate(quarterStartDate(ed.quarter))}, niet in de toekomst.`,
    ),
    field(ABOUT_LABELS.conductedBy, conductedBy),
    field(ABOUT_LABELS.remark, remark, 'Bijvoorbeeld met wie u sprak of wat u is opgevallen.'),
  );
}

function summaryPanel(): Summary {
  const heading = h('h2', { id: uid('qs-summary') }, 'Uitkomst');
  const parts = {
    gearLine: h('p', { class: 'qs-gear-line', 'aria-live': 'polite', 'aria-atomic': 'true' }),
    openCount: h('p', { class: 'qs-open' }),
    mayStayOpen: h('p', { class: 'hint qs-may-stay-open', hidden: true }),
    nextTitle: h('span', null),
    nextList: h('ol', { class: 'qs-next-list' }),
    messages: h('div', { class: 'qs-messages' }),
    saveButton: h('button', { type: 'submit' }, 'Quickscan opslaan'),
  };
  const next = h(
    'details',
    { class: 'qs-next', open: window.matchMedia(WIDE).matches },
    h('summary', null, parts.nextTitle),
    parts.nextList,
  );
  const element = h(
    'aside',
    { class: 'qs-summary', 'aria-labelledby': heading.id },
    heading,
    parts.gearLine,
    parts.openCount,
    parts.mayStayOpen,
    h('p', { class: 'qs-save' }, parts.saveButton),
    parts.messages,
    next,
  );
  return { element, ...parts, lastLine: '' };
}

/** Offers the answers of the last quickscan: most of them rarely change between two visits. */
function copyOffer(ed: Editor): HTMLElement | null {
  const source = ed.previous;
  if ((ed.existing !== null && ed.existing.answers !== null) || !source?.answers) return null;
  const answers = source.answers;
  const offer = h(
    'p',
    null,
    button(
      `Antwoorden van ${formatQuarter(source.quarter)} overnemen (versnelling ${source.gear})`,
      () => {
        fillAnswers(ed, answers);
        ed.state.dirty = true;
        clearProblems(ed);
        update(ed);
        const done = notice(
          'ok',
          `De antwoorden van ${formatQuarter(source.quarter)} zijn overgenomen. Controleer ze en wijzig wat veranderd is.`,
        );
        offer.replaceWith(done);
        focusOn(done);
      },
      { class: 'secondary' },
    ),
  );
  return offer;
}

// ---------------------------------------------------------------------------------------------
// Answers and the live outcome

type Given = Record<string, { answer: AnswerValue; note: string | null }>;

/** The answers given so far, unanswered criteria left out. */
function collect(ed: Editor): Given {
  const given: Given = {};
  for (const c of ed.criteria.values()) {
    const checked = c.radios.find((r) => r.checked);
    if (!checked) continue;
    const note = c.note.value.trim();
    given[c.key] = { answer: checked.value as AnswerValue, note: note === '' ? null : note };
  }
  return given;
}

function fillAnswers(ed: Editor, answers: Answers): void {
  for (const c of ed.criteria.values()) {
    const a = answers[c.key];
    for (const r of c.radios) r.checked = r.value === a?.answer;
    c.note.value = a?.note ?? '';
  }
}

function update(ed: Editor): void {
  const given = collect(ed);
  const result = evaluate(ed.model, given as Answers);
  // Gears above this one may stay unanswered (only with the model's rule; else it is 5).
  const through = mustAnswerThrough(ed.model, given as Answers);
  updateGearLine(ed, result);
  updateOpenCount(ed, given, through);
  updateNextSteps(ed, result, given);
  for (const check of result.gears) {
    const status = ed.gearStatus.get(check.gear);
    if (!status) continue;
    const n = check.met.length + check.unmet.length;
    status.textContent =
      `${check.met.length} van ${n} criteria voldaan${check.complete ? ' ✓' : ''}` +
      (check.gear > through ? '; deze criteria mogen open blijven' : '');
  }
  for (const c of ed.criteria.values()) {
    const nvt = given[c.key]?.answer === 'nvt';
    c.noteHint.hidden = !nvt;
    c.note.required = nvt;
    setDescribedBy(c.note, [nvt ? c.noteHint.id : null, c.error.hidden ? null : c.error.id]);
  }
}

/** How many criteria are answered and, with the model's rule, how many still must be. */
function updateOpenCount(ed: Editor, given: Given, through: number): void {
  const answered = Object.keys(given).length;
  const total = ed.criteria.size;
  const { openCount, mayStayOpen } = ed.summary;
  mayStayOpen.hidden = through >= 5;
  if (through >= 5) {
    openCount.textContent =
      answered === total
        ? `Alle ${total} criteria beantwoord.`
        : `${answered} van ${total} criteria beantwoord; onbeantwoord telt als niet voldaan.`;
    return;
  }
  const required = [...ed.criteria.values()].filter((c) => c.gear <= through);
  const missing = required.filter((c) => given[c.key] === undefined).length;
  openCount.textContent =
    `${answered} van ${total} criteria beantwoord; ` +
    (missing === 0
      ? `alles tot en met versnelling ${through} is beantwoord.`
      : `nog ${missing} te beantwoorden tot en met versnelling ${through}.`);
  const above = through === 4 ? 'versnelling 5' : `versnelling ${through + 1} tot en met 5`;
  mayStayOpen.textContent =
    `De criteria van ${above} mogen open blijven, omdat versnelling ${through} nog niet gehaald is; ` +
    'onbeantwoord telt als niet voldaan.';
}

function updateGearLine(ed: Editor, result: Evaluation): void {
  const def = ed.model.gears.find((g) => g.gear === result.gear);
  const nextGear = ed.model.gears.find((g) => g.gear === result.gear + 1);
  const head = `Versnelling ${result.gear} – ${def?.name ?? ''}`;
  const rest =
    result.progress && nextGear
      ? `nog ${result.progress.total - result.progress.met} van ${result.progress.total} criteria voor versnelling ${nextGear.gear}`
      : 'de hoogste versnelling, alleen nog vasthouden';
  const line = `${head}; ${rest}`;
  if (ed.summary.lastLine === line) return;
  ed.summary.lastLine = line;
  ed.summary.gearLine.replaceChildren(
    h('span', { class: `qs-gear-num ${gearFill(result.gear)}`, 'aria-hidden': 'true' }, String(result.gear)),
    h(
      'span',
      null,
      h('strong', { class: 'qs-gear-head' }, head),
      h('span', { class: 'visually-hidden' }, '; '),
      h('span', { class: 'qs-gear-rest' }, rest),
    ),
  );
}

function updateNextSteps(ed: Editor, result: Evaluation, given: Given): void {
  const nextGear = ed.model.gears.find((g) => g.gear === result.gear + 1);
  ed.summary.nextTitle.textContent = nextGear
    ? `Volgende stappen naar versnelling ${nextGear.gear} (${result.nextSteps.length})`
    : 'Volgende stappen (geen)';
  if (!nextGear) {
    ed.summary.nextList.replaceChildren(h('li', null, 'Geen: dit is de hoogste versnelling.'));
    return;
  }
  ed.summary.nextList.replaceChildren(
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
}

function keyOf(target: EventTarget | null): string | undefined {
  return (target as HTMLElement | null)?.closest?.('.qs-criterion')?.getAttribute('data-key') ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Problems: placed by criterion or field, worded by code

/** Next to the criterion its key is said already; the words depend on what is wrong. */
function problemText(problem: Problem, c?: CriterionControls): string {
  switch (problem.code) {
    case 'answer_missing':
      return c?.nvtAllowed === false
        ? 'Nog niet beantwoord: kies ja, deels of nee.'
        : 'Nog niet beantwoord: kies ja, deels, nee of n.v.t.';
    case 'note_required':
      return 'Bij n.v.t. hoort een korte toelichting: waarom is dit niet van toepassing?';
    default:
      return sentence(problem.message);
  }
}

/** The criterion a problem is about: by its criterion, or by its path ("answers.2a"). */
function criterionOf(ed: Editor, problem: Problem): CriterionControls | undefined {
  const key = problem.criterion ?? (problem.path?.startsWith('answers.') ? problem.path.slice(8) : undefined);
  return key === undefined ? undefined : ed.criteria.get(key);
}

function clearProblem(c: CriterionControls): void {
  c.error.hidden = true;
  c.error.textContent = '';
  c.wrapper.classList.remove('qs-invalid');
  c.group.removeAttribute('aria-invalid');
  setDescribedBy(c.group, [c.nvtHint?.id]);
  c.note.removeAttribute('aria-invalid');
}

function clearProblems(ed: Editor): void {
  for (const c of ed.criteria.values()) clearProblem(c);
  for (const control of Object.values(ed.about)) clearFieldError(control);
  ed.summary.messages.replaceChildren();
}

/** Marks a criterion and returns the control to go to: the note when it is missing, else the answer. */
function markCriterion(c: CriterionControls, problem: Problem): HTMLElement {
  c.error.textContent = `Let op: ${problemText(problem, c)}`;
  c.error.hidden = false;
  c.wrapper.classList.add('qs-invalid');
  c.group.setAttribute('aria-invalid', 'true');
  setDescribedBy(c.group, [c.error.id, c.nvtHint?.id]);
  if (problem.code === 'note_required') {
    c.note.setAttribute('aria-invalid', 'true');
    return c.note;
  }
  return c.radios.find((r) => r.checked) ?? c.radios[0] ?? c.note;
}

/** The codes the domain's check finds here too: whether they are fixed can be checked while answering. */
const CHECKED_HERE = new Set(['answer_missing', 'answer_invalid', 'note_required', 'criterion_unknown']);

/** What the domain's check finds wrong with the answers as they are now. */
function answerProblems(ed: Editor): Problem[] {
  try {
    validateAnswers(ed.model, collect(ed));
    return [];
  } catch (err) {
    return problemsOf(err);
  }
}

/** Whether a criterion's problem is still there: checked again, or (the server's word) until changed. */
function stillWrong(ed: Editor, c: CriterionControls, problem: Problem): () => boolean {
  if (!CHECKED_HERE.has(problem.code)) return untilEdited(c.wrapper);
  return () => answerProblems(ed).some((p) => p.code === problem.code && criterionOf(ed, p) === c);
}

/** "Nog niet opgeslagen: 3 criteria zijn niet goed ingevuld." */
function criteriaIntro(prefix: string, n: number): string {
  return n === 1
    ? `${prefix}: één criterium is niet goed ingevuld.`
    : `${prefix}: ${n} criteria zijn niet goed ingevuld.`;
}

/**
 * Marks what is wrong, lists it in the summary (each a link to its place) and focuses the first.
 * The summary follows the form: what is answered or fixed goes from it at once, with its mark.
 * `prefix` starts the summary ("Nog niet opgeslagen"); `fallback` introduces it when no criterion
 * is (or is any longer) wrong.
 */
function showProblems(ed: Editor, problems: Problem[], prefix: string, fallback: string): void {
  const live: LiveProblem[] = [];
  const criterionOfLine = new Map<LiveProblem, string>();
  let first: HTMLElement | null = null;
  for (const problem of problems) {
    const c = criterionOf(ed, problem);
    const about = problem.path as keyof AboutControls | undefined;
    if (c) {
      const target = markCriterion(c, problem);
      first ??= target;
      const href = `#${c.wrapper.id}`;
      const unanswered = problem.code === 'answer_missing';
      const line: LiveProblem = {
        content: focusLink(target, unanswered ? c.key : `${c.key}: ${problemText(problem, c)}`, href),
        open: stillWrong(ed, c, problem),
        resolved: () => clearProblem(c),
        ...(unanswered ? { group: 'unanswered' } : {}),
      };
      criterionOfLine.set(line, c.key);
      live.push(line);
    } else if (about && about in ed.about) {
      const control = ed.about[about];
      showFieldError(control, `Let op: ${problem.message}`);
      first ??= control;
      const unedited = untilEdited(control);
      live.push({
        content: focusLink(control, `${ABOUT_LABELS[about]}: ${sentence(problem.message)}`),
        // The date's rules are checked here too: a date changed into another wrong one stays listed.
        open: about === 'conductedOn' ? () => unedited() || dateProblem(ed) !== null : unedited,
        resolved: () => clearFieldError(control),
      });
    } else {
      live.push({
        content: problem.criterion
          ? `${problem.criterion}: ${problemText(problem)}`
          : sentence(problem.message),
        open: () => true,
      });
    }
  }
  update(ed);
  const summary = liveErrorSummary({
    form: ed.form ?? ed.container,
    problems: live,
    intro: (open) => {
      const criteria = new Set(open.map((line) => criterionOfLine.get(line)).filter(Boolean)).size;
      return criteria === 0 ? fallback : criteriaIntro(prefix, criteria);
    },
    // One line for the unanswered criteria keeps the list short on a phone.
    groups: { unanswered: (n) => `Nog niet beantwoord (${n}): ` },
  });
  ed.summary.messages.replaceChildren(summary);
  first?.focus();
}

/** Clears a criterion's mark once its answer is complete again. */
function recheck(ed: Editor, key: string | undefined): void {
  const c = key ? ed.criteria.get(key) : undefined;
  if (!c || c.error.hidden) return;
  const checked = c.radios.find((r) => r.checked);
  if (checked && (checked.value !== 'nvt' || c.note.value.trim() !== '')) clearProblem(c);
}

// ---------------------------------------------------------------------------------------------
// Saving

/** The server's date rules, checked before sending. */
function dateProblem(ed: Editor): Problem | null {
  const v = ed.about.conductedOn.value;
  const start = quarterStartDate(ed.quarter);
  const message =
    v === ''
      ? null
      : v > ed.today
        ? `De datum afgenomen (${formatDate(v)}) ligt in de toekomst.`
        : v < start
          ? `De datum afgenomen (${formatDate(v)}) ligt vóór ${formatQuarter(ed.quarter)}; kies een datum op of na ${formatDate(start)}.`
          : null;
  return message === null ? null : { code: 'invalid_date', path: 'conductedOn', message };
}

/** The same checks the server does on the answers, before sending; false when something is wrong. */
function checkBeforeSending(ed: Editor, given: Given): boolean {
  const badDate = dateProblem(ed);
  let problems: Problem[] = [];
  try {
    validateAnswers(ed.model, given);
  } catch (err) {
    problems = problemsOf(err);
    if (problems.length === 0) throw err;
  }
  if (problems.length === 0 && !badDate) return true;
  showProblems(
    ed,
    badDate ? [...problems, badDate] : problems,
    'Nog niet opgeslagen',
    'Nog niet opgeslagen: verbeter wat hieronder staat.',
  );
  return false;
}

async function save(ed: Editor): Promise<void> {
  clearProblems(ed);
  const given = collect(ed);
  if (!checkBeforeSending(ed, given)) return;
  const { conductedOn, conductedBy, remark } = ed.about;
  const fields = {
    answers: given,
    conductedOn: conductedOn.value === '' ? null : conductedOn.value,
    conductedBy: conductedBy.value.trim() === '' ? null : conductedBy.value.trim(),
    remark: remark.value.trim() === '' ? null : remark.value.trim(),
  };
  const { saveButton } = ed.summary;
  saveButton.disabled = true;
  saveButton.textContent = 'Bezig met opslaan…';
  try {
    const wasEdit = ed.existing !== null;
    ed.existing = ed.existing
      ? await put<Quickscan>(`/api/organisations/${ed.org.id}/quickscans/${ed.quarter}`, {
          ...fields,
          expectedVersion: ed.existing.version,
        } satisfies QuickscanInput)
      : await post<Quickscan>(`/api/organisations/${ed.org.id}/quickscans`, {
          quarter: ed.quarter,
          ...fields,
        } satisfies CreateQuickscanInput);
    ed.state.dirty = false;
    renderMode(ed);
    showSaved(ed, ed.existing, wasEdit);
  } catch (err) {
    showSaveError(ed, err);
  } finally {
    saveButton.disabled = false;
    saveButton.textContent = 'Quickscan opslaan';
  }
}

function showSaved(ed: Editor, saved: Quickscan, wasEdit: boolean): void {
  const name = ed.model.gears.find((g) => g.gear === saved.gear)?.name ?? '';
  const ok = notice(
    'ok',
    `${wasEdit ? 'Wijziging opgeslagen' : 'Quickscan opgeslagen'}: ${ed.org.name} staat in ${formatQuarter(ed.quarter)} ` +
      `in versnelling ${saved.gear} – ${name} (versie ${saved.version}).`,
  );
  ed.summary.messages.replaceChildren(
    ok,
    h('p', null, h('a', { href: '/overzicht' }, 'Terug naar het overzicht')),
  );
  focusOn(ok);
}

function showSaveError(ed: Editor, err: unknown): void {
  const { messages } = ed.summary;
  if (!(err instanceof ApiError)) {
    messages.replaceChildren(notice('error', 'Opslaan lukte niet. Probeer het opnieuw.'));
    return;
  }
  const problems = problemsOf(err);
  if (problems.length > 0) {
    // The server's message counts the problems at this save; the summary counts them as they go.
    const aboutCriteria = problems.some((p) => criterionOf(ed, p) !== undefined);
    showProblems(
      ed,
      problems,
      'Niet opgeslagen',
      aboutCriteria
        ? 'Niet opgeslagen: verbeter wat hieronder staat.'
        : `Niet opgeslagen: ${sentence(err.message)}`,
    );
    return;
  }
  if (err.code === 'version_conflict' || err.code === 'quickscan_exists') {
    showConflict(ed, err);
    return;
  }
  const alert = notice('error', `Niet opgeslagen: ${sentence(err.message)}`);
  messages.replaceChildren(alert);
  focusOn(alert);
}

/** Someone else saved in between: say so, and offer to load their version. */
function showConflict(ed: Editor, err: ApiError): void {
  const currentVersion = (err.details as { currentVersion?: number | null } | undefined)?.currentVersion;
  const text =
    err.code === 'quickscan_exists'
      ? `Niet opgeslagen: intussen heeft iemand anders al een quickscan of versnelling voor ${ed.org.name} in ` +
        `${formatQuarter(ed.quarter)} vastgelegd${currentVersion ? ` (versie ${currentVersion})` : ''}.`
      : `Niet opgeslagen: ${sentence(err.message)}`;
  const reload = button(
    'Opnieuw laden',
    () => {
      ed.state.dirty = false;
      void openEditor(ed);
    },
    { class: 'secondary' },
  );
  ed.summary.messages.replaceChildren(
    h(
      'div',
      { class: 'notice error', role: 'alert' },
      h('p', null, text),
      h(
        'p',
        null,
        'Laad de nieuwste versie en voer uw wijzigingen opnieuw in. Opnieuw laden vervangt uw antwoorden op deze pagina.',
      ),
      h('p', null, reload),
    ),
  );
  reload.focus();
}
