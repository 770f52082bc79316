// Export the prestatielijst for a period, and import an existing list with a preview first.
import type { ImportReport } from '../../../server/contracts/import.contract.ts';
import { upload } from '../api.ts';
import type { View } from '../router.ts';
import { field, h, notice, replace } from '../ui/dom.ts';
import { count, formatQuarter } from '../ui/format.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { prestatielijstLink } from '../ui/prestatielijst.ts';
import { type Problem, problemsOf } from '../ui/problems.ts';
import {
  askedQuarter,
  currentQuarter,
  periodFields,
  REVERSED_PERIOD,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { dataTable, scrollBox } from '../ui/table.ts';

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

export function renderImportExport(view: View): void {
  view.main.append(
    h('h1', null, 'Import/Export'),
    h(
      'p',
      null,
      'Download de prestatielijst als Excel-bestand voor een periode, of lees een bestaande lijst in. ' +
        'Bij inlezen ziet u eerst wat er zou veranderen; pas na "Importeren" wordt er iets opgeslagen.',
    ),
    exportSection(view),
    importSection(view),
  );
}

// ---------------------------------------------------------------------------------------------
// Export

function exportSection(view: View): HTMLElement {
  const to = askedQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedQuarter(view.query, 'van') ?? shiftQuarter(to, -4);
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

/** The file input, its buttons and what they say; `checked` is the file that passed the check. */
interface ImportState {
  input: HTMLInputElement;
  form: HTMLFormElement;
  importButton: HTMLButtonElement;
  status: HTMLElement;
  output: HTMLElement;
  checked: File | null;
  busy: boolean;
}

function importSection(view: View): HTMLElement {
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
    input,
    form,
    importButton,
    status,
    output: h('div'),
    checked: null,
    busy: false,
  };
  view.guardLeave(() => state.checked !== null);

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
function setBusy(state: ImportState, on: boolean, text?: string): void {
  state.busy = on;
  state.form.setAttribute('aria-busy', String(on));
  state.importButton.disabled = !on && state.checked === null;
  if (text) replace(state.status, notice('info', text));
}

function send(file: File, dryRun: boolean): Promise<ImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return upload<ImportReport>(`/api/import/prestatielijst?dryRun=${dryRun}`, form);
}

/** The file chosen, when it is one we can read; otherwise says why not. */
function chosenFile(state: ImportState): File | null {
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

async function check(state: ImportState): Promise<void> {
  if (state.busy) return;
  const file = chosenFile(state);
  if (!file) return;
  state.checked = null;
  setBusy(state, true, `Bezig met controleren van ${file.name}…`);
  try {
    const report = await send(file, true);
    state.checked = file;
    replace(
      state.status,
      notice(
        'ok',
        `${file.name} is gecontroleerd en bevat geen fouten. Kijk het voorbeeld na en kies "Importeren".`,
      ),
    );
    replace(state.output, reportView(report, false));
  } catch (err) {
    showError(state, err, 'Controleren');
  } finally {
    setBusy(state, false);
  }
}

async function runImport(state: ImportState): Promise<void> {
  if (!state.checked || state.busy) return;
  const file = state.checked;
  setBusy(state, true, `Bezig met importeren van ${file.name}…`);
  try {
    const report = await send(file, false);
    state.checked = null;
    state.input.value = '';
    replace(state.status, notice('ok', `${file.name} is ingelezen en opgeslagen.`));
    const card = reportView(report, true);
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

function showError(state: ImportState, err: unknown, what: string): void {
  replace(state.status, notice('error', errorText(err, `${what} lukte niet.`)));
  const problems = problemsOf(err);
  if (problems.length === 0) {
    replace(state.output);
    return;
  }
  const total =
    ((err as { details?: { problemCount?: number } }).details?.problemCount ?? 0) || problems.length;
  replace(
    state.output,
    h('p', null, 'Verbeter deze punten in het bestand, kies het opnieuw en klik weer op "Controleren".'),
    errorTable(problems, total),
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

function reportView(report: ImportReport, done: boolean): HTMLElement {
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
      names(will('Nieuwe sectoren', 'Toegevoegde sectoren'), report.sectors.created),
      names(will('Nieuwe organisaties', 'Toegevoegde organisaties'), o.created),
      names(will('Te wijzigen organisaties', 'Gewijzigde organisaties'), o.updated),
    ),
  );
}
