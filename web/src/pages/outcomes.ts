// What the programme is for, beyond the gear (issue 12): the region's targets with their current
// value and whether they are on track, the incidents per 100 employees against the 0-meting per
// sector, per VPT measure the share of members meeting it, and the network's work (issue 13): the
// activities per kind per quarter and the members visited in the last twelve months. Read by the
// bestuur and the projectleider; the projectleider sets the 0-meting and the targets here.
import type { ActivityReport } from '../../../server/contracts/network.contract.ts';
import type { BaselineList, IncidentReport, Target } from '../../../server/contracts/outcome.contract.ts';
import type { MeasureSharesDto as MeasuresReport } from '../../../server/contracts/report.contract.ts';
import type { Sector } from '../../../server/contracts/sector.contract.ts';
import { formatShare } from '../../../server/domain/format.ts';
import {
  ACTIVITY_KIND_NAMES,
  ACTIVITY_KINDS,
  type ActivityKind,
} from '../../../server/domain/network-work.ts';
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
import { formatAverage, formatDate, formatPercent, formatQuarter } from '../ui/format.ts';
import { errorText } from '../ui/messages.ts';
import { prestatielijstLink } from '../ui/prestatielijst.ts';
import { problemsOf } from '../ui/problems.ts';
import {
  askedReportQuarter,
  currentQuarter,
  periodFields,
  type Quarter,
  quarterSelect,
  REVERSED_PERIOD,
  selectedQuarter,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { type Column, dataTable, scrollBox, tableRow } from '../ui/table.ts';

const STATUS_CLASS: Record<Target['status'], string> = {
  gehaald: 'status-ok',
  'op-koers': 'status-ok',
  achter: 'status-warn',
  'niet-gehaald': 'status-bad',
  onbekend: 'status-unknown',
};

export async function renderOutcomes(view: View): Promise<void> {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? shiftQuarter(to, -3);
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
    targetsSection(targets, canEdit ? { sectors, reload } : null),
    incidentsSection(incidents, baselines, canEdit ? { sectors, reload } : null, from, to),
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

function targetsSection(targets: Target[], editing: Editing | null): HTMLElement {
  const section = h('section', { class: 'card', 'aria-labelledby': 'targets-title' });
  section.append(h('h2', { id: 'targets-title' }, 'Doelen van de regio'));
  if (targets.length === 0) {
    section.append(
      h(
        'p',
        null,
        editing
          ? 'Er zijn nog geen doelen. Voeg er hieronder een toe, bijvoorbeeld "80% van de leden in versnelling 3 of hoger in Q4 2027".'
          : 'De regio heeft nog geen doelen vastgelegd.',
      ),
    );
  } else {
    section.append(
      scrollBox(
        'Doelen, scrollbaar',
        dataTable<Target>({
          caption: 'Elk doel met de waarde nu en of het op koers ligt',
          class: 'stack-cards',
          columns: [
            { head: 'Doel', cell: (t) => capitalised(t.description), rowHeader: true },
            {
              head: 'Nu',
              label: 'Nu',
              cell: (t) => [
                targetValueText(t, t.current),
                h(
                  'span',
                  { class: 'hint' },
                  ` (${formatQuarter(t.currentQuarter)}${t.about ? `, ${t.about}` : ''})`,
                ),
              ],
            },
            {
              head: 'Status',
              label: 'Status',
              cell: (t) => [
                h('strong', { class: STATUS_CLASS[t.status] }, t.statusText),
                t.projected === null
                  ? null
                  : h(
                      'span',
                      { class: 'hint' },
                      ` (doorgetrokken naar ${formatQuarter(t.quarter)}: ${targetValueText(t, t.projected)})`,
                    ),
              ],
            },
            editing && {
              head: 'Actie',
              label: 'Actie',
              cell: (t) =>
                button(
                  ['Laten vervallen', visuallyHidden(`: ${t.description}`)],
                  () =>
                    void del(`/api/targets/${t.id}`).then(editing.reload, (err: unknown) =>
                      section.append(
                        notice(
                          'error',
                          err instanceof ApiError ? err.message : 'Het doel kon niet vervallen.',
                        ),
                      ),
                    ),
                  { class: 'secondary' },
                ),
            },
          ],
          rows: targets,
        }),
      ),
      h(
        'p',
        { class: 'hint' },
        'Op koers: het doel is gehaald, of de lijn van het afgelopen jaar doorgetrokken haalt het in het doelkwartaal.',
      ),
    );
  }
  if (editing) section.append(targetForm(editing));
  return section;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Q3 2026" for one quarter, "Q1 2026 – Q3 2026" for more. */
function periodText(from: Quarter, to: Quarter): string {
  return from === to ? formatQuarter(from) : `${formatQuarter(from)} – ${formatQuarter(to)}`;
}

function targetValueText(t: Target, value: number | null): string {
  if (value === null) return '–';
  if (t.kind === 'average' || t.kind === 'sector-minimum') return formatAverage(value);
  if (t.kind === 'members') return String(Math.round(value));
  if (t.kind === 'incidents-change') return formatPercent(value);
  return formatShare(value);
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

function rate(v: number | null): string {
  return v === null ? '–' : formatAverage(v);
}

function incidentsSection(
  report: IncidentReport | null,
  baselines: BaselineList,
  editing: Editing | null,
  from: Quarter,
  to: Quarter,
): HTMLElement {
  const section = h('section', { class: 'card', 'aria-labelledby': 'incidents-report-title' });
  section.append(h('h2', { id: 'incidents-report-title' }, 'Incidenten tegenover de 0-meting'));
  if (report === null) {
    section.append(
      h(
        'p',
        null,
        editing
          ? 'Er is nog geen 0-meting vastgelegd. Leg hieronder de periode van de 0-meting en het doel vast; daarna vergelijkt deze pagina elke periode ermee.'
          : 'De regio heeft nog geen 0-meting vastgelegd; zodra die er is, staat hier de vergelijking.',
      ),
    );
  } else {
    type Row = IncidentReport['sectors'][number] | (IncidentReport['region'] & { name: string });
    const regionRow: Row = { ...report.region, name: 'Regio' };
    section.append(
      h(
        'p',
        { class: 'kpi' },
        `Regio: `,
        h('strong', null, formatPercent(report.region.changePercent)),
        ` incidenten per 100 medewerkers in ${periodText(from, to)} t.o.v. de 0-meting (${periodText(report.baseline.from, report.baseline.to)}); doel ${formatPercent(report.region.targetPercent)}`,
        report.region.onTrack === null ? '' : report.region.onTrack ? ': op koers.' : ': nog niet op koers.',
      ),
      scrollBox(
        'Incidenten per sector, scrollbaar',
        dataTable<Row>({
          caption:
            'Incidenten per 100 medewerkers per jaar, alleen over organisaties met cijfers in beide periodes',
          class: 'stack-cards',
          columns: [
            { head: 'Sector', cell: (r) => r.name, rowHeader: true },
            {
              head: 'Verandering',
              label: 'Verandering',
              cell: (r) => formatPercent(r.changePercent),
              num: true,
            },
            { head: '0-meting', label: '0-meting', cell: (r) => rate(r.baseline.per100), num: true },
            { head: 'Periode', label: 'Periode', cell: (r) => rate(r.period.per100), num: true },
            {
              head: 'Doel',
              label: 'Doel',
              cell: (r) => [
                formatPercent(r.targetPercent),
                r.onTrack === null ? '' : r.onTrack ? ' (op koers)' : ' (nog niet)',
              ],
            },
            {
              head: 'Vergeleken',
              label: 'Vergeleken',
              cell: (r) =>
                `${r.organisations.both} org.${r.organisations.onlyBaseline + r.organisations.onlyPeriod > 0 ? `; niet vergeleken: ${r.organisations.onlyBaseline} alleen in de 0-meting, ${r.organisations.onlyPeriod} alleen in de periode` : ''}${r.organisations.withoutEmployees > 0 ? `; ${r.organisations.withoutEmployees} zonder aantal medewerkers` : ''}`,
            },
          ],
          rows: [...report.sectors, regionRow],
        }),
      ),
      h(
        'p',
        { class: 'hint' },
        'Een organisatie telt alleen mee als ze zowel in de 0-meting als in de gekozen periode cijfers heeft; de andere worden geteld en genoemd, niet meegerekend. Een kwartaal zonder cijfers is niet geregistreerd (niet 0).',
      ),
    );
  }
  if (editing) section.append(baselineForm(baselines, editing));
  return section;
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

function measuresSection(measures: MeasuresReport, from: Quarter, to: Quarter): HTMLElement {
  type Row = MeasuresReport[number];
  const compared = from < to;
  const share = (s: number | null) => (s === null ? '–' : formatShare(s * 100));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'measures-title' },
    h('h2', { id: 'measures-title' }, `VPT-maatregelen in ${formatQuarter(to)}`),
    h(
      'p',
      { class: 'hint' },
      'Het aandeel leden dat aan alle criteria van de maatregel voldoet. Onbekend: een versnelling zonder antwoorden (rechtstreeks vastgelegd) of nog geen versnelling; die tellen mee in het totaal, niet als voldaan.',
    ),
    scrollBox(
      'Maatregelen, scrollbaar',
      dataTable<Row>({
        caption: `Aandeel leden dat aan de maatregel voldoet, ${formatQuarter(to)}${compared ? `, met de verandering t.o.v. ${formatQuarter(from)}` : ''}`,
        class: 'stack-cards',
        columns: [
          { head: 'Maatregel', cell: (m) => m.name, rowHeader: true },
          { head: 'Voldoet', label: 'Voldoet', cell: (m) => share(m.share), num: true },
          compared && {
            head: 'Verandering',
            label: 'Verandering',
            cell: (m) =>
              'changePoints' in m && m.changePoints != null
                ? `${m.changePoints >= 0 ? '+' : ''}${formatAverage(m.changePoints)} procentpunt`
                : '–',
            num: true,
          },
          {
            head: 'Leden',
            label: 'Leden',
            cell: (m) => `${m.met} van ${m.total}${m.unknown > 0 ? ` (${m.unknown} onbekend)` : ''}`,
          },
        ],
        rows: measures,
      }),
    ),
  );
}

function networkSection(report: ActivityReport): HTMLElement {
  interface Row {
    label: string;
    counts: Partial<Record<ActivityKind, number>>;
    total: number;
  }
  const { visited } = report;
  const columns: Array<Column<Row>> = [
    { head: 'Kwartaal', cell: (r) => r.label, rowHeader: true },
    ...ACTIVITY_KINDS.map((k): Column<Row> => {
      const name = capitalised(ACTIVITY_KIND_NAMES[k]);
      return { head: name, label: name, cell: (r) => String(r.counts[k] ?? 0), num: true };
    }),
    { head: 'Totaal', label: 'Totaal', cell: (r) => h('strong', null, String(r.total)), num: true },
  ];
  const total: Row = {
    label: 'Totaal',
    counts: Object.fromEntries(
      ACTIVITY_KINDS.map((k) => [k, report.quarters.reduce((sum, q) => sum + (q.counts[k] ?? 0), 0)]),
    ),
    total: report.quarters.reduce((sum, q) => sum + q.total, 0),
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'network-title' },
    h('h2', { id: 'network-title' }, 'Het werk van het netwerk'),
    visited.share === null
      ? h(
          'p',
          { class: 'kpi' },
          `In ${formatQuarter(report.to)} waren er geen leden; het aandeel leden met een huisbezoek is er dus niet.`,
        )
      : h(
          'p',
          { class: 'kpi' },
          h('strong', null, formatShare(visited.share * 100)),
          ` van de leden had een huisbezoek in de twaalf maanden tot en met ${formatDate(visited.asOf)} (${visited.visited} van ${visited.members}).`,
        ),
    scrollBox(
      'Activiteiten per kwartaal, scrollbaar',
      dataTable<Row>({
        caption: `Activiteiten van het netwerk per soort, ${periodText(report.from, report.to)}`,
        class: 'stack-cards',
        columns,
        rows: report.quarters.map((q) => ({
          label: formatQuarter(q.quarter),
          counts: q.counts,
          total: q.total,
        })),
        foot: [tableRow(columns, total) as HTMLTableRowElement],
      }),
    ),
    h(
      'p',
      { class: 'hint' },
      `Een activiteit telt in het kwartaal van haar datum, één keer, ook als er meer organisaties bij waren. Leden: de organisaties die in ${formatQuarter(report.to)} lid zijn.`,
    ),
  );
}
