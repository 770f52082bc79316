import { ApiError, upload } from '../api.ts';
import { field, h, notice, replace } from '../dom.ts';
import { formatQuarter, quarterOfDate } from '../format.ts';
import type { View } from '../router.ts';
import { quarterOptions, shiftQuarter } from './overview.ts';

interface ImportProblem {
  row: number | null;
  column: string | null;
  message: string;
}
interface ImportReport {
  dryRun: boolean;
  file?: { name: string; format: 'xlsx' | 'csv' | null; sheet: string | null; organisations: number };
  quarters: { from: string | null; to: string | null };
  sectors: { created: string[] };
  organisations: { created: string[]; updated: string[]; unchanged: number };
  gears: { created: number; changed: number; unchanged: number };
  errors: ImportProblem[];
}

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The link to the Excel file of a period; a normal download, no script needed. */
export function prestatielijstHref(from: string, to: string): string {
  return `/api/reports/prestatielijst.xlsx?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

/** A list of names, folded away when it is long. */
function names(title: string, items: string[]): HTMLElement | null {
  if (items.length === 0) return null;
  const list = h('ul', { class: 'adm-names' }, ...items.map((n) => h('li', null, n)));
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
  const q = report.quarters;
  const o = report.organisations;
  const g = report.gears;
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
      { class: 'adm-report' },
      report.file
        ? h(
            'li',
            null,
            `Bestand: ${report.file.name}${report.file.sheet ? `, werkblad '${report.file.sheet}'` : ''}; ` +
              `${count(report.file.organisations, 'organisatierij', 'organisatierijen')} gelezen.`,
          )
        : null,
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

function errorTable(problems: ImportProblem[], total: number): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': 'Fouten in het bestand', tabindex: 0 },
    h(
      'table',
      null,
      h(
        'caption',
        null,
        total > problems.length
          ? `De eerste ${problems.length} van ${total} fouten in het bestand`
          : `${count(problems.length, 'fout', 'fouten')} in het bestand`,
      ),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col', class: 'num' }, 'Rij'),
          h('th', { scope: 'col' }, 'Kolom'),
          h('th', { scope: 'col' }, 'Melding'),
        ),
      ),
      h(
        'tbody',
        null,
        ...problems.map((p) =>
          h(
            'tr',
            null,
            h('td', { class: 'num' }, p.row === null ? '–' : String(p.row)),
            h('td', null, p.column ?? '–'),
            h('td', null, sentence(p.message)),
          ),
        ),
      ),
    ),
  );
}

/** Export the prestatielijst for a period, and import an existing list with a preview first. */
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

function exportSection(view: View): HTMLElement {
  const current = quarterOfDate(new Date());
  // A quarter from the address only when it is one ("2016-Q4"); otherwise the default period.
  const asked = (key: string) => {
    const v = view.query.get(key);
    return v && /^\d{4}-Q[1-4]$/.test(v) ? v : null;
  };
  const to = asked('tot') ?? current;
  const from = asked('van') ?? shiftQuarter(to, -4);
  const fromSelect = quarterOptions(from);
  const toSelect = quarterOptions(to);
  const result = h('div', { 'aria-live': 'polite' });

  const update = () => {
    const f = fromSelect.value;
    const t = toSelect.value;
    history.replaceState(null, '', `/import-export?van=${f}&tot=${t}`);
    fromSelect.removeAttribute('aria-invalid');
    if (t < f) {
      fromSelect.setAttribute('aria-invalid', 'true');
      replace(
        result,
        notice('error', 'Het eindkwartaal ligt vóór het beginkwartaal. Kies een andere periode.'),
      );
      return;
    }
    replace(
      result,
      h(
        'p',
        null,
        h(
          'a',
          { class: 'adm-button', href: prestatielijstHref(f, t), download: `prestatielijst-${f}-${t}.xlsx` },
          `Download prestatielijst ${formatQuarter(f)} – ${formatQuarter(t)} (Excel)`,
        ),
      ),
      h(
        'p',
        { class: 'hint' },
        'Het bestand bevat de lijst per organisatie en sector, de analyse met de procentuele vordering, ' +
          'de gemiddelden per sector en het schakelmodel.',
      ),
    );
  };
  fromSelect.addEventListener('change', update);
  toSelect.addEventListener('change', update);
  update();
  return h(
    'section',
    { 'aria-labelledby': 'export-kop' },
    h('h2', { id: 'export-kop' }, 'Prestatielijst downloaden'),
    h('div', { class: 'controls' }, field('Van', fromSelect), field('Tot en met', toSelect)),
    result,
  );
}

function importSection(view: View): HTMLElement {
  const input = h('input', { type: 'file', name: 'file', accept: ACCEPT });
  const checkButton = h('button', { type: 'submit' }, 'Controleren');
  const importButton = h('button', { type: 'button', disabled: true }, 'Importeren');
  const status = h('div', { 'aria-live': 'polite' });
  const output = h('div');
  /** The file that passed the check; only that one is imported. */
  let checked: File | null = null;
  let busy = false;

  view.guardLeave(() => checked !== null);

  // The buttons are not disabled while busy: a focused button that gets disabled loses the focus.
  const setBusy = (on: boolean, text?: string) => {
    busy = on;
    form.setAttribute('aria-busy', String(on));
    importButton.disabled = !on && checked === null;
    if (text) replace(status, notice('info', text));
  };

  const showError = (err: unknown, what: string) => {
    const message = err instanceof ApiError ? sentence(err.message) : `${what} lukte niet.`;
    replace(status, notice('error', message));
    const details =
      err instanceof ApiError ? (err.details as { errors?: ImportProblem[]; errorCount?: number }) : null;
    const problems = details?.errors ?? [];
    if (problems.length) {
      replace(
        output,
        h('p', null, 'Verbeter deze punten in het bestand, kies het opnieuw en klik weer op "Controleren".'),
        errorTable(problems, details?.errorCount ?? problems.length),
      );
    } else {
      replace(output);
    }
  };

  const send = async (file: File, dryRun: boolean): Promise<ImportReport> => {
    const form = new FormData();
    form.append('file', file, file.name);
    return upload<ImportReport>(`/api/import/prestatielijst?dryRun=${dryRun}`, form);
  };

  input.addEventListener('change', () => {
    checked = null;
    importButton.disabled = true;
    input.removeAttribute('aria-invalid');
    replace(status);
    replace(output);
  });

  importButton.addEventListener('click', async () => {
    if (!checked || busy) return;
    const file = checked;
    setBusy(true, `Bezig met importeren van ${file.name}…`);
    try {
      const report = await send(file, false);
      checked = null;
      input.value = '';
      replace(status, notice('ok', `${file.name} is ingelezen en opgeslagen.`));
      const card = reportView(report, true);
      replace(output, card);
      card.querySelector<HTMLElement>('h3')?.focus();
    } catch (err) {
      checked = null;
      showError(err, 'Importeren');
      input.focus();
    } finally {
      setBusy(false);
    }
  });

  const form = h(
    'form',
    {
      class: 'adm-form',
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          if (busy) return;
          const file = input.files?.[0];
          input.removeAttribute('aria-invalid');
          if (!file) {
            input.setAttribute('aria-invalid', 'true');
            replace(status, notice('error', 'Kies eerst een bestand (.xlsx of .csv).'));
            input.focus();
            return;
          }
          if (!/\.(xlsx|csv)$/i.test(file.name)) {
            input.setAttribute('aria-invalid', 'true');
            replace(status, notice('error', `${file.name} is geen .xlsx- of .csv-bestand.`));
            input.focus();
            return;
          }
          checked = null;
          setBusy(true, `Bezig met controleren van ${file.name}…`);
          try {
            const report = await send(file, true);
            checked = file;
            replace(
              status,
              notice(
                'ok',
                `${file.name} is gecontroleerd en bevat geen fouten. Kijk het voorbeeld na en kies "Importeren".`,
              ),
            );
            const card = reportView(report, false);
            replace(output, card);
          } catch (err) {
            showError(err, 'Controleren');
          } finally {
            setBusy(false);
          }
        },
      },
    },
    field(
      'Bestand (.xlsx of .csv)',
      input,
      'Een prestatielijst met de kolommen Organisatie, Sector en een kolom per kwartaal (bijvoorbeeld "Q4 2016"), ' +
        'zoals de download hierboven. Hoogstens 5 MB.',
    ),
    h('p', { class: 'adm-actions' }, checkButton, importButton),
  );
  input.setAttribute(
    'aria-describedby',
    `${input.getAttribute('aria-describedby') ?? ''} import-status`.trim(),
  );
  status.id = 'import-status';

  return h(
    'section',
    { class: 'adm-import', 'aria-labelledby': 'import-kop' },
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
    output,
  );
}
