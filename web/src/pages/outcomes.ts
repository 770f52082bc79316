// What the programme is for, beyond the gear (issue 12): the region's targets with their current
// value and whether they are on track, the incidents per 100 employees against the 0-meting per
// sector, per VPT measure the share of members meeting it, and the network's work (issue 13): the
// activities per kind per quarter and the members visited in the last twelve months. Read by the
// bestuur and the projectleider; the projectleider sets the 0-meting and the targets here.
import type { ActivityReport } from '../../../server/contracts/network.contract.ts';
import type { BaselineList, IncidentReport, Target } from '../../../server/contracts/outcome.contract.ts';
import type { MeasureSharesDto as MeasuresReport } from '../../../server/contracts/report.contract.ts';
import type { Sector } from '../../../server/contracts/sector.contract.ts';
import {
  describeTarget,
  TARGET_KIND_NAMES,
  TARGET_KINDS,
  type TargetKind,
} from '../../../server/domain/targets.ts';
import { ApiError, del, get, post, put } from '../api.ts';
import type { View } from '../router.ts';
import { button, type Child, field, h, notice, replace, uid, visuallyHidden } from '../ui/dom.ts';
import { errorSummary, focusLink } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { formatPercent, formatQuarter } from '../ui/format.ts';
import { errorText } from '../ui/messages.ts';
import {
  incidentsSection,
  measuresSection,
  networkSection,
  type TargetsEditing,
  targetsSection,
} from '../ui/outcome-sections.ts';
import { prestatielijstLink } from '../ui/prestatielijst.ts';
import { problemsOf } from '../ui/problems.ts';
import {
  askedReportQuarter,
  currentQuarter,
  periodFields,
  quarterSelect,
  REVERSED_PERIOD,
  selectedQuarter,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { defaultReportPeriod } from '../ui/report-period.ts';

export async function renderOutcomes(view: View): Promise<void> {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? defaultReportPeriod(to).from;
  const canEdit = view.session?.user.role === 'projectleider';
  const period = periodFields(from, to);
  const controls = h(
    'form',
    {
      class: 'controls no-print',
      on: {
        submit: (event) => {
          event.preventDefault();
          const chosen = period.value();
          view.navigate(`${location.pathname}?van=${chosen.from}&tot=${chosen.to}`);
        },
      },
    },
    ...period.fields,
    h('button', { type: 'submit' }, 'Toon'),
  );
  const content = h('div', { 'aria-live': 'polite' });
  view.main.append(
    h('h1', null, 'Incidenten, maatregelen en doelen'),
    h(
      'p',
      null,
      'Waar het programma om draait: minder agressie tegen medewerkers met een publieke taak. De incidenten per 100 medewerkers tegenover de 0-meting, de VPT-maatregelen die de leden op orde hebben, en de doelen van de regio.',
    ),
    controls,
    content,
  );
  if (to < from) {
    content.append(notice('error', REVERSED_PERIOD));
    return;
  }
  let loaded: [Target[], IncidentReport | null, MeasuresReport, BaselineList, Sector[], ActivityReport];
  try {
    loaded = await Promise.all([
      get<Target[]>('/api/targets'),
      get<IncidentReport>(`/api/reports/incidents?from=${from}&to=${to}`).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'no_baseline') return null;
        throw err;
      }),
      get<MeasuresReport>(`/api/reports/measures?quarter=${to}${from < to ? `&from=${from}` : ''}`),
      get<BaselineList>('/api/baselines'),
      canEdit ? get<Sector[]>('/api/sectors') : Promise.resolve([] as Sector[]),
      get<ActivityReport>(`/api/reports/activities?from=${from}&to=${to}`),
    ]);
  } catch (err) {
    content.append(
      notice('error', errorText(err, 'De uitkomsten konden niet worden geladen; probeer het opnieuw.')),
    );
    return;
  }
  const [targets, incidents, measures, baselines, sectors, activities] = loaded;
  const reload = () => view.navigate(`${location.pathname}?van=${from}&tot=${to}`);
  content.append(
    h('p', { class: 'no-print' }, prestatielijstLink(from, to, 'Download de prestatielijst')),
    targetsSection(targets, canEdit ? targetsEditing({ sectors, reload }) : null),
    incidentsSection(incidents, canEdit ? baselineForm(baselines, { sectors, reload }) : null, from, to),
    measuresSection(measures, from, to),
    networkSection(activities),
  );
}

interface Editing {
  sectors: Sector[];
  reload: () => void;
}

/** Every problem next to its field and in a summary that links to it. */
function showProblems(
  err: unknown,
  controls: Record<string, HTMLElement>,
  labels: Record<string, string>,
  box: HTMLElement,
): void {
  const problems = problemsOf(err);
  const { first, unplaced } = placeProblems(problems, controls);
  const items: Child[] = problems
    .filter((p) => p.path !== undefined && controls[p.path])
    .map((p) => focusLink(controls[p.path!]!, `${labels[p.path!] ?? ''}: ${p.message}`));
  for (const p of unplaced) items.push(p.message);
  if (items.length === 0)
    items.push(err instanceof ApiError ? err.message : 'Opslaan lukte niet; probeer het opnieuw.');
  replace(box, errorSummary('Nog niet opgeslagen:', items));
  (first ?? box).focus?.();
}

/** A number as typed: "3,5" is 3.5; anything else goes to the server as typed, so its message says what is wrong. */
function typedNumber(input: HTMLInputElement): number | string {
  const text = input.value.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : input.value.trim();
}

function sectorSelect(sectors: Sector[], name: string, empty: string): HTMLSelectElement {
  return h(
    'select',
    { name, id: uid(name) },
    h('option', { value: '' }, empty),
    ...sectors.map((s) => h('option', { value: String(s.id) }, s.name)),
  );
}

/** The projectleider's parts of the targets: a button to let a target lapse, and the form to add one. */
function targetsEditing(editing: Editing): TargetsEditing {
  return {
    removeButton: (t, section) =>
      button(
        ['Laten vervallen', visuallyHidden(`: ${t.description}`)],
        () =>
          void del(`/api/targets/${t.id}`).then(editing.reload, (err: unknown) =>
            section.append(
              notice('error', err instanceof ApiError ? err.message : 'Het doel kon niet vervallen.'),
            ),
          ),
        { class: 'secondary' },
      ),
    form: targetForm(editing),
  };
}

function targetForm(editing: Editing): HTMLElement {
  const kind = h(
    'select',
    { name: 'kind', id: uid('kind') },
    ...TARGET_KINDS.map((k) => h('option', { value: k }, TARGET_KIND_NAMES[k])),
  );
  const value = h('input', { type: 'text', inputMode: 'decimal', name: 'value', id: uid('value'), size: 8 });
  const quarter = quarterSelect({
    from: currentQuarter(),
    to: shiftQuarter(currentQuarter(), 20),
    selected: shiftQuarter(currentQuarter(), 4),
    attrs: { name: 'quarter', id: uid('quarter') },
  });
  const sector = sectorSelect(editing.sectors, 'sectorId', 'De hele regio');
  const summary = h('div');
  const preview = h('p', { class: 'hint', 'aria-live': 'polite' });
  const updatePreview = () => {
    const v = typedNumber(value);
    const q = selectedQuarter(quarter);
    const s = editing.sectors.find((x) => String(x.id) === sector.value)?.name ?? null;
    replace(
      preview,
      typeof v === 'number' && q
        ? `Wordt: ${describeTarget({ kind: kind.value as TargetKind, value: v, quarter: q }, s)}`
        : '',
    );
  };
  for (const el of [kind, value, quarter, sector]) el.addEventListener('input', updatePreview);
  const labels = { kind: 'Soort doel', value: 'Streefwaarde', quarter: 'Te halen in', sectorId: 'Voor' };
  const form = h(
    'form',
    {
      class: 'no-print',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          clearFieldErrors(form);
          replace(summary);
          const body = {
            kind: kind.value,
            value: value.value.trim() === '' ? undefined : typedNumber(value),
            quarter: selectedQuarter(quarter),
            sectorId: sector.value === '' ? null : Number(sector.value),
          };
          void post<Target>('/api/targets', body).then(editing.reload, (err: unknown) =>
            showProblems(err, { kind, value, quarter, sectorId: sector }, labels, summary),
          );
        },
      },
    },
    h('h3', null, 'Doel toevoegen'),
    field(labels.kind, kind),
    field(
      labels.value,
      value,
      'Een gemiddelde als 3,5; een aandeel in procenten als 80; een aantal als 14; een verandering van de incidenten als -25.',
    ),
    field(labels.quarter, quarter),
    field(labels.sectorId, sector, 'Laagste sectorgemiddelde geldt altijd voor de hele regio.'),
    preview,
    summary,
    h('p', null, h('button', { type: 'submit' }, 'Doel toevoegen')),
  );
  return form;
}

function baselineForm(baselines: BaselineList, editing: Editing): HTMLElement {
  const scope = sectorSelect(editing.sectors, 'scope', 'De hele regio');
  const current = (): BaselineList['region'] =>
    scope.value === ''
      ? baselines.region
      : (baselines.sectors.find((b) => String(b.sectorId) === scope.value) ?? null);
  const start = baselines.region?.from ?? shiftQuarter(currentQuarter(), -8);
  const end = baselines.region?.to ?? shiftQuarter(currentQuarter(), -5);
  const fromSelect = quarterSelect({ selected: start, attrs: { name: 'from', id: uid('from') } });
  const toSelect = quarterSelect({ selected: end, attrs: { name: 'to', id: uid('to') } });
  const target = h('input', {
    type: 'text',
    inputMode: 'decimal',
    name: 'targetPercent',
    id: uid('targetPercent'),
    size: 6,
    value: baselines.region ? String(baselines.region.targetPercent).replace('.', ',') : '-25',
  });
  const summary = h('div');
  const labels = {
    from: 'Eerste kwartaal',
    to: 'Laatste kwartaal',
    targetPercent: 'Doel (verandering in %)',
  };
  scope.addEventListener('change', () => {
    const b = current() ?? baselines.region;
    if (!b) return;
    fromSelect.value = b.from;
    toSelect.value = b.to;
    target.value = String(b.targetPercent).replace('.', ',');
  });
  const existing = [
    baselines.region
      ? `Regio: ${formatQuarter(baselines.region.from)} – ${formatQuarter(baselines.region.to)}, doel ${formatPercent(baselines.region.targetPercent)}`
      : null,
    ...baselines.sectors.map(
      (b) =>
        `${b.sector}: ${formatQuarter(b.from)} – ${formatQuarter(b.to)}, doel ${formatPercent(b.targetPercent)}`,
    ),
  ].filter((x): x is string => x !== null);
  const form = h(
    'form',
    {
      class: 'no-print',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          clearFieldErrors(form);
          replace(summary);
          const stored = current();
          const body: Record<string, unknown> = {
            from: selectedQuarter(fromSelect),
            to: selectedQuarter(toSelect),
            targetPercent: target.value.trim() === '' ? undefined : typedNumber(target),
          };
          if (stored) body.expectedVersion = stored.version;
          const url = scope.value === '' ? '/api/baselines/region' : `/api/baselines/sectors/${scope.value}`;
          void put(url, body).then(editing.reload, (err: unknown) =>
            showProblems(err, { from: fromSelect, to: toSelect, targetPercent: target }, labels, summary),
          );
        },
      },
    },
    h('h3', null, '0-meting vastleggen'),
    existing.length > 0 ? h('p', null, `Vastgelegd: ${existing.join('; ')}.`) : null,
    field('Voor', scope, 'Een sector zonder eigen 0-meting volgt die van de regio.'),
    field(labels.from, fromSelect),
    field(labels.to, toSelect),
    field(
      labels.targetPercent,
      target,
      'Een daling, bijvoorbeeld -25 voor een kwart minder incidenten per 100 medewerkers.',
    ),
    summary,
    h('p', null, h('button', { type: 'submit' }, '0-meting opslaan')),
  );
  return form;
}
