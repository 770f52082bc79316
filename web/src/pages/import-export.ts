// Export the prestatielijst for a period, and import an existing list with a preview first.
import type { ImportReport, SimilarSector } from '../../../server/contracts/import.contract.ts';
import type { IncidentsImportReport } from '../../../server/contracts/incidents-import.contract.ts';
import { upload } from '../api.ts';
import type { View } from '../router.ts';
import { field, h, notice, replace, uid } from '../ui/dom.ts';
import { count, formatQuarter } from '../ui/format.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { prestatielijstLink } from '../ui/prestatielijst.ts';
import { type Problem, problemsOf } from '../ui/problems.ts';
import {
  askedReportQuarter,
  currentQuarter,
  periodFields,
  REVERSED_PERIOD,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { dataTable, scrollBox } from '../ui/table.ts';

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

export function renderImportExport(view: View): void {
  // One guard for the page: unsaved when either import has a checked file not yet imported.
  const unsaved: Array<() => boolean> = [];
  view.guardLeave(() => unsaved.some((check) => check()));
  const guard = (check: () => boolean) => unsaved.push(check);
  view.main.append(
    h('h1', null, 'Import/Export'),
    h(
      'p',
      null,
      'Download de prestatielijst als Excel-bestand voor een periode, of lees een bestaande lijst in. ' +
        'Bij inlezen ziet u eerst wat er zou veranderen; pas na "Importeren" wordt er iets opgeslagen.',
    ),
    exportSection(view),
    importSection(guard),
    incidentsImportSection(guard),
  );
}

// ---------------------------------------------------------------------------------------------
// Export

function exportSection(view: View): HTMLElement {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? shiftQuarter(to, -4);
  const period = periodFields(from, to);
  const result = h('div', { 'aria-live': 'polite' });

  const update = () => {
    const { from: f, to: t } = period.value();
    history.replaceState(null, '', `/import-export?van=${f}&tot=${t}`);
    period.fromSelect.removeAttribute('aria-invalid');
    if (t < f) {
      period.fromSelect.setAttribute('aria-invalid', 'true');
      replace(result, notice('error', REVERSED_PERIOD));
      return;
    }
    replace(
      result,
      h('p', null, prestatielijstLink(f, t, 'Download prestatielijst')),
      h(
        'p',
        { class: 'hint' },
        'Het bestand bevat de lijst per organisatie en sector, de analyse met de procentuele vordering, ' +
          'de gemiddelden per sector en het schakelmodel.',
      ),
    );
  };
  period.fromSelect.addEventListener('change', update);
  period.toSelect.addEventListener('change', update);
  update();
  return h(
    'section',
    { 'aria-labelledby': 'export-kop' },
    h('h2', { id: 'export-kop' }, 'Prestatielijst downloaden'),
    h('div', { class: 'controls' }, ...period.fields),
    result,
  );
}

// ---------------------------------------------------------------------------------------------
// Import

/**
 * The file input, its buttons and what they say; `checked` is the file that passed the check.
 * `similar` holds the new sector names of this file that look like an existing sector (name →
 * existing), `confirmed` the ones the user ticked as really new: they go along as `newSector`.
 */
interface ImportState<R = ImportReport> {
  /** Sends the file: a check (dry run) or the import. */
  send: (file: File, dryRun: boolean) => Promise<R>;
  /** The report of a check or an import. */
  view: (report: R, done: boolean) => HTMLElement;
  input: HTMLInputElement;
  form: HTMLFormElement;
  importButton: HTMLButtonElement;
  status: HTMLElement;
  output: HTMLElement;
  checked: File | null;
  busy: boolean;
  similar: Map<string, string>;
  confirmed: Set<string>;
}

function importSection(guard: (unsaved: () => boolean) => void): HTMLElement {
  const input = h('input', { type: 'file', name: 'file', accept: ACCEPT });
  const importButton = h('button', { type: 'button', disabled: true }, 'Importeren');
  const status = h('div', { 'aria-live': 'polite', id: 'import-status' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field(
      'Bestand (.xlsx of .csv)',
      input,
      'Een prestatielijst met de kolommen Organisatie, Sector en een kolom per kwartaal (bijvoorbeeld "Q4 2016"), ' +
        'zoals de download hierboven. Hoogstens 5 MB.',
    ),
    h('p', { class: 'actions' }, h('button', { type: 'submit' }, 'Controleren'), importButton),
  );
  input.setAttribute(
    'aria-describedby',
    `${input.getAttribute('aria-describedby') ?? ''} import-status`.trim(),
  );
  const state: ImportState = {
    send: (file, dryRun) => send(file, dryRun, state.confirmed),
    view: (report, done) => reportView(report, done, state),
    input,
    form,
    importButton,
    status,
    output: h('div'),
    checked: null,
    busy: false,
    similar: new Map(),
    confirmed: new Set(),
  };
  guard(() => state.checked !== null);

  input.addEventListener('change', () => {
    state.checked = null;
    state.similar.clear();
    state.confirmed.clear();
    importButton.disabled = true;
    input.removeAttribute('aria-invalid');
    replace(status);
    replace(state.output);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void check(state);
  });
  importButton.addEventListener('click', () => void runImport(state));

  return h(
    'section',
    { class: 'import', 'aria-labelledby': 'import-kop' },
    h('h2', { id: 'import-kop' }, 'Bestaande lijst inlezen'),
    h(
      'p',
      null,
      'Sectoren en organisaties worden op naam gezocht en toegevoegd als ze nieuw zijn. ' +
        'Versnellingen uit de lijst worden vastgelegd met als bron "import". ' +
        'Eén fout in het bestand betekent dat er niets wordt opgeslagen.',
    ),
    form,
    status,
    state.output,
  );
}

// The buttons are not disabled while busy: a focused button that gets disabled loses the focus.
function setBusy<R>(state: ImportState<R>, on: boolean, text?: string): void {
  state.busy = on;
  state.form.setAttribute('aria-busy', String(on));
  state.importButton.disabled = !on && state.checked === null;
  if (text) replace(state.status, notice('info', text));
}

function send(file: File, dryRun: boolean, newSectors: Iterable<string>): Promise<ImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  const query = new URLSearchParams({ dryRun: String(dryRun) });
  for (const name of newSectors) query.append('newSector', name);
  return upload<ImportReport>(`/api/import/prestatielijst?${query}`, form);
}

/** The file chosen, when it is one we can read; otherwise says why not. */
function chosenFile<R>(state: ImportState<R>): File | null {
  const file = state.input.files?.[0];
  state.input.removeAttribute('aria-invalid');
  const problem = !file
    ? 'Kies eerst een bestand (.xlsx of .csv).'
    : /\.(xlsx|csv)$/i.test(file.name)
      ? null
      : `${file.name} is geen .xlsx- of .csv-bestand.`;
  if (!problem) return file ?? null;
  state.input.setAttribute('aria-invalid', 'true');
  replace(state.status, notice('error', problem));
  state.input.focus();
  return null;
}

async function check<R>(state: ImportState<R>): Promise<void> {
  if (state.busy) return;
  const file = chosenFile(state);
  if (!file) return;
  state.checked = null;
  setBusy(state, true, `Bezig met controleren van ${file.name}…`);
  try {
    const report = await state.send(file, true);
    state.checked = file;
    replace(
      state.status,
      notice(
        'ok',
        `${file.name} is gecontroleerd en bevat geen fouten. Kijk het voorbeeld na en kies "Importeren".`,
      ),
    );
    replace(state.output, state.view(report, false));
  } catch (err) {
    showError(state, err, 'Controleren');
  } finally {
    setBusy(state, false);
  }
}

async function runImport<R>(state: ImportState<R>): Promise<void> {
  if (!state.checked || state.busy) return;
  const file = state.checked;
  setBusy(state, true, `Bezig met importeren van ${file.name}…`);
  try {
    const report = await state.send(file, false);
    state.checked = null;
    state.input.value = '';
    replace(state.status, notice('ok', `${file.name} is ingelezen en opgeslagen.`));
    const card = state.view(report, true);
    state.similar.clear();
    state.confirmed.clear();
    replace(state.output, card);
    card.querySelector<HTMLElement>('h3')?.focus();
  } catch (err) {
    state.checked = null;
    showError(state, err, 'Importeren');
    state.input.focus();
  } finally {
    setBusy(state, false);
  }
}

function showError<R>(state: ImportState<R>, err: unknown, what: string): void {
  replace(state.status, notice('error', errorText(err, `${what} lukte niet.`)));
  const problems = problemsOf(err);
  if (problems.length === 0) {
    replace(state.output);
    return;
  }
  const total =
    ((err as { details?: { problemCount?: number } }).details?.problemCount ?? 0) || problems.length;
  for (const s of similarSectorsOf(err)) state.similar.set(s.name, s.existing);
  const onlySimilar = problems.every((p) => p.code === 'similar_sector');
  replace(
    state.output,
    state.similar.size > 0 ? similarChoices(state) : null,
    onlySimilar
      ? null
      : h('p', null, 'Verbeter deze punten in het bestand, kies het opnieuw en klik weer op "Controleren".'),
    errorTable(problems, total),
  );
}

/** The look-alike sectors of a refused check (details.similarSectors). */
function similarSectorsOf(err: unknown): SimilarSector[] {
  const details = (err as { details?: { similarSectors?: unknown } }).details;
  if (!Array.isArray(details?.similarSectors)) return [];
  return details.similarSectors.filter(
    (s): s is SimilarSector =>
      typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.existing === 'string',
  );
}

/**
 * One checkbox per new sector name that looks like an existing sector: ticked, the name goes
 * along as really new with the next check and the import; unticked, it stays an error (a typo).
 */
function similarChoices<R>(state: ImportState<R>): HTMLElement {
  const boxes = [...state.similar].map(([name, existing]) => {
    const id = uid('nieuwe-sector');
    const box = h('input', { type: 'checkbox', id, checked: state.confirmed.has(name) });
    box.addEventListener('change', () => {
      if (box.checked) state.confirmed.add(name);
      else state.confirmed.delete(name);
    });
    return h(
      'div',
      { class: 'field import-check' },
      box,
      h('label', { for: id }, `'${name}' is echt een nieuwe sector (niet '${existing}')`),
    );
  });
  return h(
    'fieldset',
    { class: 'import-similar' },
    h('legend', null, 'Nieuwe sectoren die op een bestaande lijken'),
    h(
      'p',
      null,
      'Is het een tikfout, verbeter dan de sector in het bestand. Is het echt een nieuwe sector, ' +
        'vink dat hieronder aan en klik opnieuw op "Controleren".',
    ),
    ...boxes,
  );
}

function errorTable(problems: Problem[], total: number): HTMLElement {
  return scrollBox(
    'Fouten in het bestand',
    dataTable<Problem>({
      caption:
        total > problems.length
          ? `De eerste ${problems.length} van ${total} fouten in het bestand`
          : `${count(problems.length, 'fout', 'fouten')} in het bestand`,
      columns: [
        { head: 'Rij', headClass: 'num', num: true, cell: (p) => (p.row == null ? '–' : String(p.row)) },
        { head: 'Kolom', cell: (p) => p.column ?? '–' },
        { head: 'Melding', cell: (p) => sentence(p.message) },
      ],
      rows: problems,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The report of a check or an import

/** A list of names, folded away when it is long. */
function names(title: string, items: string[]): HTMLElement | null {
  if (items.length === 0) return null;
  const list = h('ul', { class: 'names' }, ...items.map((n) => h('li', null, n)));
  return items.length <= 8
    ? h('li', null, `${title} (${items.length}):`, list)
    : h(
        'li',
        null,
        h('details', null, h('summary', null, `${title} (${items.length}), toon de namen`), list),
      );
}

/** A list under a small heading ("Sectorwissels (2)"); nothing when it is empty. */
function headedList(title: string, items: string[], className: string): HTMLElement[] {
  if (items.length === 0) return [];
  return [
    h('h4', null, `${title} (${items.length})`),
    h('ul', { class: `names ${className}` }, ...items.map((t) => h('li', null, t))),
  ];
}

/**
 * What changes the structure, above the counts: every sector move ("Ziekenhuis Rivierland: Zorg
 * → Zorgg vanaf Q3 2016") and every sector to be created (saying when the user confirmed a name
 * that looks like an existing sector).
 */
function structureChanges(report: ImportReport, done: boolean, state: ImportState): HTMLElement[] {
  const moves = report.sectorMoves.map(
    (m) => `${m.organisation}: ${m.from} → ${m.to} vanaf ${formatQuarter(m.fromQuarter)}`,
  );
  // The same names as sectors.created; both, in case one of them is left empty.
  const created = [...new Set([...report.newSectors, ...report.sectors.created])].map((name) => {
    const existing = state.similar.get(name);
    return existing && state.confirmed.has(name)
      ? `${name} (bevestigd als nieuwe sector, niet '${existing}')`
      : name;
  });
  return [
    ...headedList(done ? 'Vastgelegde sectorwissels' : 'Sectorwissels', moves, 'import-moves'),
    ...headedList(done ? 'Toegevoegde sectoren' : 'Nieuwe sectoren', created, 'import-new-sectors'),
  ];
}

function reportView(report: ImportReport, done: boolean, state: ImportState): HTMLElement {
  const will = (future: string, past: string) => (done ? past : future);
  const { quarters: q, organisations: o, gears: g, file } = report;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'import-verslag' },
    h(
      'h3',
      { id: 'import-verslag', tabindex: -1 },
      done ? 'De lijst is ingelezen' : 'Voorbeeld: dit gebeurt er bij importeren',
    ),
    done ? null : h('p', null, 'Er is nog niets opgeslagen.'),
    ...structureChanges(report, done, state),
    h('h4', null, done ? 'Wat er is ingelezen' : 'Wat er wordt ingelezen'),
    h(
      'ul',
      { class: 'report' },
      h(
        'li',
        null,
        `Bestand: ${file.name}${file.sheet ? `, werkblad '${file.sheet}'` : ''}; ` +
          `${count(file.organisations, 'organisatierij', 'organisatierijen')} gelezen.`,
      ),
      q.from && q.to
        ? h('li', null, `Kwartalen: ${formatQuarter(q.from)} tot en met ${formatQuarter(q.to)}.`)
        : null,
      h(
        'li',
        null,
        `Sectoren: ${count(report.sectors.created.length, 'nieuwe sector', 'nieuwe sectoren')} ${will('toe te voegen', 'toegevoegd')}.`,
      ),
      h(
        'li',
        null,
        `Organisaties: ${o.created.length} nieuw, ${o.updated.length} gewijzigd, ${o.unchanged} ongewijzigd.`,
      ),
      h('li', null, `Versnellingen: ${g.created} nieuw, ${g.changed} gewijzigd, ${g.unchanged} ongewijzigd.`),
      names(will('Nieuwe organisaties', 'Toegevoegde organisaties'), o.created),
      names(will('Te wijzigen organisaties', 'Gewijzigde organisaties'), o.updated),
    ),
    ...headedList(
      'Overgeslagen rijen (kopjes en gemiddelden van de export)',
      (report.skippedRows ?? []).map((r) => sentence(r.message)),
      'import-skipped',
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Incident figures

/** Reading incident figures from a file: the same check first, all or nothing. */
function incidentsImportSection(guard: (unsaved: () => boolean) => void): HTMLElement {
  const input = h('input', { type: 'file', name: 'file', accept: ACCEPT });
  const importButton = h('button', { type: 'button', disabled: true }, 'Importeren');
  const status = h('div', { 'aria-live': 'polite', id: 'incidents-import-status' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field(
      'Bestand met incidentcijfers (.xlsx of .csv)',
      input,
      'Eén rij per organisatie en kwartaal, met de kolommen Organisatie (of Id), Kwartaal (bijvoorbeeld "Q4 2016"), ' +
        'Verbale agressie, Bedreiging/intimidatie, Fysieke agressie, Overig, Aangiftes, Reacties binnen 48 uur, ' +
        'Schade verhaald en eventueel Medewerkers. Een lege cel is "niet geregistreerd". Hoogstens 5 MB.',
    ),
    h('p', { class: 'actions' }, h('button', { type: 'submit' }, 'Controleren'), importButton),
  );
  input.setAttribute(
    'aria-describedby',
    `${input.getAttribute('aria-describedby') ?? ''} incidents-import-status`.trim(),
  );
  const state: ImportState<IncidentsImportReport> = {
    send: (file, dryRun) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return upload<IncidentsImportReport>(`/api/import/incidents?dryRun=${dryRun}`, body);
    },
    view: incidentsReportView,
    input,
    form,
    importButton,
    status,
    output: h('div'),
    checked: null,
    busy: false,
    similar: new Map(),
    confirmed: new Set(),
  };
  guard(() => state.checked !== null);
  input.addEventListener('change', () => {
    state.checked = null;
    importButton.disabled = true;
    input.removeAttribute('aria-invalid');
    replace(status);
    replace(state.output);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void check(state);
  });
  importButton.addEventListener('click', () => void runImport(state));
  return h(
    'section',
    { class: 'import', 'aria-labelledby': 'incidents-import-kop' },
    h('h2', { id: 'incidents-import-kop' }, 'Incidentcijfers inlezen'),
    h(
      'p',
      null,
      'Organisaties worden op naam (of id) gezocht; een rij vervangt de cijfers van dat kwartaal. ' +
        'Eén fout in het bestand betekent dat er niets wordt opgeslagen.',
    ),
    form,
    status,
    state.output,
  );
}

function incidentsReportView(report: IncidentsImportReport, done: boolean): HTMLElement {
  const { quarters: q, figures: f, employees: e, file } = report;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'incidents-import-verslag' },
    h(
      'h3',
      { id: 'incidents-import-verslag', tabindex: -1 },
      done ? 'De incidentcijfers zijn ingelezen' : 'Voorbeeld: dit gebeurt er bij importeren',
    ),
    done ? null : h('p', null, 'Er is nog niets opgeslagen.'),
    h(
      'ul',
      { class: 'report' },
      h(
        'li',
        null,
        `Bestand: ${file.name}${file.sheet ? `, werkblad '${file.sheet}'` : ''}; ${count(file.rows, 'rij', 'rijen')} gelezen, ` +
          `${count(report.organisations, 'organisatie', 'organisaties')}.`,
      ),
      q.from && q.to
        ? h('li', null, `Kwartalen: ${formatQuarter(q.from)} tot en met ${formatQuarter(q.to)}.`)
        : null,
      h(
        'li',
        null,
        `Kwartalen met cijfers: ${f.created} nieuw, ${f.updated} gewijzigd, ${f.unchanged} ongewijzigd.`,
      ),
      h(
        'li',
        null,
        `Medewerkers per jaar: ${e.created} nieuw, ${e.updated} gewijzigd, ${e.unchanged} ongewijzigd.`,
      ),
    ),
  );
}
