// The outcomes beyond the gear, read-only, for the Uitkomsten page and the board's quarterly
// report: the region's targets, the incidents against the 0-meting, the share of members meeting
// each VPT measure and the network's work. The projectleider's page adds its forms through the
// editing hooks.
import type { ActivityReport } from '../../../server/contracts/network.contract.ts';
import type { IncidentReport, Target } from '../../../server/contracts/outcome.contract.ts';
import type { MeasureSharesDto as MeasuresReport } from '../../../server/contracts/report.contract.ts';
import { formatShare } from '../../../server/domain/format.ts';
import {
  ACTIVITY_KIND_NAMES,
  ACTIVITY_KINDS,
  type ActivityKind,
} from '../../../server/domain/network-work.ts';
import { h } from './dom.ts';
import { formatAverage, formatDate, formatPercent, formatQuarter } from './format.ts';
import type { Quarter } from './quarter-select.ts';
import { type Column, dataTable, scrollBox, tableRow } from './table.ts';

const STATUS_CLASS: Record<Target['status'], string> = {
  gehaald: 'status-ok',
  'op-koers': 'status-ok',
  achter: 'status-warn',
  'niet-gehaald': 'status-bad',
  onbekend: 'status-unknown',
};

/** What the projectleider gets beside the read-only parts: a remove button per target and the form to add one. */
export interface TargetsEditing {
  removeButton: (target: Target, section: HTMLElement) => HTMLElement;
  form: HTMLElement;
}

/** The region's targets with their value now and whether they are on track. */
export function targetsSection(targets: Target[], editing: TargetsEditing | null): HTMLElement {
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
              cell: (t) => editing.removeButton(t, section),
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
  if (editing) section.append(editing.form);
  return section;
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Q3 2026" for one quarter, "Q1 2026 – Q3 2026" for more. */
export function periodText(from: Quarter, to: Quarter): string {
  return from === to ? formatQuarter(from) : `${formatQuarter(from)} – ${formatQuarter(to)}`;
}

function targetValueText(t: Target, value: number | null): string {
  if (value === null) return '–';
  if (t.kind === 'average' || t.kind === 'sector-minimum') return formatAverage(value);
  if (t.kind === 'members') return String(Math.round(value));
  if (t.kind === 'incidents-change') return formatPercent(value);
  return formatShare(value);
}

function rate(v: number | null): string {
  return v === null ? '–' : formatAverage(v);
}

/**
 * The incidents per 100 employees in `from`–`to` against the 0-meting, per sector; `baselineForm`
 * (the projectleider's) goes under it.
 */
export function incidentsSection(
  report: IncidentReport | null,
  baselineForm: HTMLElement | null,
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
        baselineForm
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
  if (baselineForm) section.append(baselineForm);
  return section;
}

/** Per VPT measure the share of members meeting it in `to`, with the change since `from`. */
export function measuresSection(measures: MeasuresReport, from: Quarter, to: Quarter): HTMLElement {
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

/** The network's activities per kind per quarter and the share of members visited in the last year. */
export function networkSection(report: ActivityReport): HTMLElement {
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
