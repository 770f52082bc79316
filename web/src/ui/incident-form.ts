// The incident figures of one organisation: a form for one quarter (every figure optional: empty is
// "niet geregistreerd", which is not 0), the employees with a public task per year, and the
// quarters registered so far. Used on the organisation's own page and on the projectleider's
// organisation page; the server decides who may save (the organisation itself and the projectleider).
import type {
  Employees,
  IncidentFigures,
  OrganisationIncidents,
} from '../../../server/contracts/incident.contract.ts';
import type { IncidentTrend } from '../../../server/contracts/outcome.contract.ts';
import {
  INCIDENT_FIELD_NAMES,
  INCIDENT_FIELDS,
  type IncidentField,
} from '../../../server/domain/incidents.ts';
import { ApiError, get, put } from '../api.ts';
import { type Child, field, h, notice, replace, uid } from './dom.ts';
import { errorSummary, focusLink } from './error-summary.ts';
import { clearFieldErrors, placeProblems } from './field-errors.ts';
import { formatQuarter } from './format.ts';
import { incidentTrendBlock } from './incident-trend.ts';
import { problemsOf } from './problems.ts';
import {
  currentQuarter,
  type Quarter,
  quarterSelect,
  selectedQuarter,
  shiftQuarter,
} from './quarter-select.ts';
import { dataTable } from './table.ts';

const LABELS: Record<IncidentField, string> = {
  verbal: 'Verbale agressie',
  threat: 'Bedreiging of intimidatie',
  physical: 'Fysieke agressie',
  other: 'Overige incidenten',
  reports: 'Aangiftes bij de politie',
  reactions48h: 'Reacties naar de dader binnen 48 uur',
  damageRecovered: 'Keren dat schade is verhaald',
};

function numberInput(name: string): HTMLInputElement {
  return h('input', {
    type: 'text',
    inputMode: 'numeric',
    name,
    id: uid(name),
    autocomplete: 'off',
    size: 8,
  });
}

/** A typed figure: empty is null (not registered); anything else goes to the server as typed, so its message says what is wrong. */
function typed(input: HTMLInputElement): number | string | null {
  const text = input.value.trim();
  if (text === '') return null;
  return /^\d+$/.test(text) ? Number(text) : text;
}

function messageOf(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

/** The incident figures section of an organisation's page. */
export async function incidentSection(
  organisationId: number,
  options: { firstQuarter: Quarter },
): Promise<HTMLElement> {
  const section = h('section', { class: 'card incidents', 'aria-labelledby': 'incidents-title' });
  const status = h('div', { 'aria-live': 'polite' });
  const overview = h('div');
  const trendBox = h('div');
  const quarterChoice = quarterSelect({
    from: options.firstQuarter,
    selected:
      shiftQuarter(currentQuarter(), -1) < options.firstQuarter
        ? currentQuarter()
        : shiftQuarter(currentQuarter(), -1),
    attrs: { name: 'kwartaal', id: uid('kwartaal') },
  });
  const inputs = Object.fromEntries(INCIDENT_FIELDS.map((f) => [f, numberInput(f)])) as Record<
    IncidentField,
    HTMLInputElement
  >;
  let version = 0;
  const figuresBox = h(
    'fieldset',
    null,
    h('legend', null, 'Geregistreerde incidenten en opvolging'),
    ...INCIDENT_FIELDS.map((f) => field(LABELS[f], inputs[f])),
  );
  const summaryBox = h('div');
  const form = h(
    'form',
    { class: 'incident-form no-print', novalidate: true, on: { submit: (e) => void save(e) } },
    field('Kwartaal', quarterChoice),
    figuresBox,
    h(
      'p',
      { class: 'hint' },
      'Laat een vak leeg als het niet is geregistreerd; 0 betekent: geregistreerd, geen.',
    ),
    summaryBox,
    h('p', null, h('button', { type: 'submit' }, 'Cijfers opslaan')),
  );

  const yearInput = h('input', {
    type: 'text',
    inputMode: 'numeric',
    name: 'jaar',
    id: uid('jaar'),
    size: 6,
    value: String(new Date().getFullYear()),
  });
  const employeesInput = numberInput('employees');
  const employeesSummary = h('div');
  const employeesForm = h(
    'form',
    { class: 'employees-form no-print', novalidate: true, on: { submit: (e) => void saveEmployees(e) } },
    field('Jaar', yearInput),
    field('Medewerkers met een publieke taak', employeesInput),
    employeesSummary,
    h('p', null, h('button', { type: 'submit', class: 'secondary' }, 'Aantal opslaan')),
  );

  section.append(
    h('h2', { id: 'incidents-title' }, 'Incidentcijfers'),
    h(
      'p',
      null,
      'Per kwartaal de geregistreerde incidenten, aangiftes en de opvolging, en per jaar het aantal medewerkers met een publieke taak (daarmee worden de cijfers per 100 medewerkers berekend).',
    ),
    status,
    form,
    h('h3', { class: 'no-print' }, 'Medewerkers met een publieke taak'),
    employeesForm,
    overview,
    trendBox,
  );

  let data: OrganisationIncidents | null = null;
  let employeesVersion = 0;

  const saveButton = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;

  /** Fills the form with the chosen quarter's figures; until they are in, nothing can be saved. */
  async function loadQuarter(): Promise<void> {
    const quarter = selectedQuarter(quarterChoice);
    if (!quarter) return;
    clearFieldErrors(form);
    replace(summaryBox);
    // Nothing can be typed or saved while another quarter's figures are on their way in.
    figuresBox.disabled = true;
    saveButton.disabled = true;
    try {
      const figures = await get<IncidentFigures>(`/api/organisations/${organisationId}/incidents/${quarter}`);
      // Another quarter was chosen meanwhile: its own load fills the form.
      if (selectedQuarter(quarterChoice) !== quarter) return;
      version = figures.version;
      for (const f of INCIDENT_FIELDS) inputs[f].value = figures[f] === null ? '' : String(figures[f]);
      figuresBox.disabled = false;
      saveButton.disabled = false;
    } catch (err) {
      if (selectedQuarter(quarterChoice) !== quarter) return;
      version = 0;
      for (const f of INCIDENT_FIELDS) inputs[f].value = '';
      replace(
        status,
        notice(
          'error',
          messageOf(
            err,
            'De cijfers van dit kwartaal konden niet worden geladen; kies het kwartaal opnieuw.',
          ),
        ),
      );
    }
  }

  function showEmployeesOf(year: number): void {
    const known = data?.employees.find((e) => e.year === year);
    employeesVersion = known?.version ?? 0;
    employeesInput.value = known ? String(known.employees) : '';
  }

  /** Draws the overview again; with `employees` also the employees field (never over unsaved typing). */
  async function loadAll(options: { employees: boolean }): Promise<void> {
    try {
      data = await get<OrganisationIncidents>(`/api/organisations/${organisationId}/incidents`);
    } catch (err) {
      replace(status, notice('error', messageOf(err, 'De incidentcijfers konden niet worden geladen.')));
      return;
    }
    replace(overview, overviewTable(data));
    void loadTrend();
    const year = Number(yearInput.value.trim());
    if (options.employees && Number.isInteger(year)) showEmployeesOf(year);
  }

  /** The trend beside the sector; the chart module is loaded with it. */
  async function loadTrend(): Promise<void> {
    try {
      const [charts, trend] = await Promise.all([
        import('./charts.ts'),
        get<IncidentTrend>(`/api/organisations/${organisationId}/incident-trend`),
      ]);
      replace(trendBox, incidentTrendBlock(charts, trend));
    } catch (err) {
      replace(
        trendBox,
        notice('error', messageOf(err, 'Het verloop naast de sector kon niet worden geladen.')),
      );
    }
  }

  function showProblems(
    err: unknown,
    controls: Record<string, HTMLElement>,
    box: HTMLElement,
    intro: string,
  ): void {
    const problems = problemsOf(err);
    const { first, unplaced } = placeProblems(problems, controls);
    const items: Child[] = problems
      .filter((p) => p.path !== undefined && controls[p.path])
      .map((p) => focusLink(controls[p.path!]!, `${labelOf(p.path!)}: ${p.message}`));
    for (const p of unplaced) items.push(p.message);
    if (items.length === 0) items.push(messageOf(err, 'Opslaan lukte niet; probeer het opnieuw.'));
    replace(box, errorSummary(intro, items));
    (first ?? box).focus?.();
  }

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    const quarter = selectedQuarter(quarterChoice);
    if (!quarter) return;
    clearFieldErrors(form);
    replace(summaryBox);
    replace(status);
    const body: Record<string, unknown> = Object.fromEntries(
      INCIDENT_FIELDS.map((f) => [f, typed(inputs[f])]),
    );
    if (version > 0) body.expectedVersion = version;
    try {
      const saved = await put<IncidentFigures>(
        `/api/organisations/${organisationId}/incidents/${quarter}`,
        body,
      );
      version = saved.version;
      replace(
        status,
        notice(
          'ok',
          saved.incidents === null && INCIDENT_FIELDS.every((f) => saved[f] === null)
            ? `De cijfers van ${formatQuarter(quarter)} zijn leeggemaakt.`
            : `De cijfers van ${formatQuarter(quarter)} zijn opgeslagen.`,
        ),
      );
      await loadAll({ employees: false });
    } catch (err) {
      showProblems(err, { ...inputs, quarter: quarterChoice }, summaryBox, 'Nog niet opgeslagen:');
    }
  }

  async function saveEmployees(event: Event): Promise<void> {
    event.preventDefault();
    clearFieldErrors(employeesForm);
    replace(employeesSummary);
    replace(status);
    const year = yearInput.value.trim();
    const body: Record<string, unknown> = { employees: typed(employeesInput) ?? '' };
    if (employeesVersion > 0) body.expectedVersion = employeesVersion;
    try {
      const saved = await put<Employees>(
        `/api/organisations/${organisationId}/employees/${encodeURIComponent(year)}`,
        body,
      );
      employeesVersion = saved.version;
      replace(status, notice('ok', `Het aantal medewerkers in ${saved.year} is opgeslagen.`));
      await loadAll({ employees: true });
    } catch (err) {
      showProblems(
        err,
        { employees: employeesInput, year: yearInput },
        employeesSummary,
        'Nog niet opgeslagen:',
      );
    }
  }

  quarterChoice.addEventListener('change', () => void loadQuarter());
  yearInput.addEventListener('change', () => {
    const year = Number(yearInput.value.trim());
    if (Number.isInteger(year)) showEmployeesOf(year);
  });
  await Promise.all([loadQuarter(), loadAll({ employees: true })]);
  return section;
}

function labelOf(path: string): string {
  if (path === 'employees') return 'Medewerkers met een publieke taak';
  if (path === 'year') return 'Jaar';
  if (path === 'quarter') return 'Kwartaal';
  return LABELS[path as IncidentField] ?? path;
}

/** The quarters registered so far, newest first, and the employees per year. */
function overviewTable(data: OrganisationIncidents): HTMLElement {
  if (data.quarters.length === 0 && data.employees.length === 0) {
    return h('p', null, 'Er zijn nog geen incidentcijfers vastgelegd.');
  }
  const show = (v: number | null) => (v === null ? 'niet geregistreerd' : String(v));
  return h(
    'div',
    null,
    data.quarters.length === 0
      ? null
      : dataTable<IncidentFigures>({
          caption: 'Vastgelegde incidentcijfers per kwartaal, nieuwste eerst',
          class: 'stack-cards',
          columns: [
            { head: 'Kwartaal', cell: (q) => formatQuarter(q.quarter), rowHeader: true },
            { head: 'Incidenten', cell: (q) => show(q.incidents), num: true, label: 'Incidenten' },
            ...INCIDENT_FIELDS.map((f) => ({
              head: INCIDENT_FIELD_NAMES[f],
              cell: (q: IncidentFigures) => show(q[f]),
              num: true,
              label: INCIDENT_FIELD_NAMES[f],
            })),
          ],
          rows: [...data.quarters].reverse(),
        }),
    data.employees.length === 0
      ? null
      : h(
          'p',
          null,
          `Medewerkers met een publieke taak: ${data.employees.map((e) => `${e.employees} in ${e.year}`).join(', ')}.`,
        ),
  );
}
