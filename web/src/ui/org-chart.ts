// One organisation's gear through time beside the anonymous averages of its sector and of the
// region: a period choice (the last two years by default, so 45 quarters are not squeezed into
// one chart), the gap to the sector in words, and the chart with its table. Used on the
// organisation's own page (Mijn versnelling) and on the projectleider's page of the organisation.
import type { GearHistory } from '../../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../../server/contracts/quickscan.contract.ts';
import type { Matrix } from '../../../server/contracts/report.contract.ts';
import { roundHalfAway } from '../../../server/domain/rounding.ts';
import type { Charts } from './charts.ts';
import { h, uid } from './dom.ts';
import { formatAverage, formatDate, formatGear, formatQuarter } from './format.ts';
import { currentQuarter, type Quarter } from './quarter-select.ts';

type HistoryRow = GearHistory['quarters'][number];

/** Why an organisation sees no average (the projectleider sees every average). */
const HIDDEN = 'dat wordt pas getoond bij minstens 3 organisaties met een versnelling';

/** The periods people can choose; `quarters` null is the whole history. */
const PERIODS = [
  { key: '2jaar', label: 'Laatste 2 jaar', quarters: 8 },
  { key: '5jaar', label: 'Laatste 5 jaar', quarters: 20 },
  { key: 'alles', label: 'Alles', quarters: null },
] as const;
type PeriodKey = (typeof PERIODS)[number]['key'];

export interface OrgChartOptions {
  /** 'own': the organisation reads about itself ("Uw versnelling"); 'projectleider': about it. */
  reader: 'own' | 'projectleider';
  name: string;
  history: GearHistory;
  /** The anonymous averages over the history's quarters; null when there are none. */
  matrix: Matrix | null;
  /** The organisation's quickscans and recorded gears (oldest first), for "Laatste quickscan". */
  quickscans: readonly Quickscan[];
}

/** The average of the sector an organisation had in a quarter, and of the region. */
function averagesOf(matrix: Matrix | null) {
  const index = new Map(matrix?.quarters.map((q, i) => [q, i]) ?? []);
  const sectorCells = new Map(matrix?.sectors.map((s) => [s.id, s.cells]) ?? []);
  const cellOf = (cells: Matrix['region']['cells'] | undefined, q: Quarter) => {
    const i = index.get(q);
    return i === undefined ? null : (cells?.[i]?.average ?? null);
  };
  return {
    sector: (row: HistoryRow) => cellOf(sectorCells.get(row.sectorId), row.quarter),
    region: (row: HistoryRow) => cellOf(matrix?.region.cells, row.quarter),
  };
}

/**
 * The gap to the sector in one sentence: "Uw versnelling is 3; het gemiddelde van uw sector Zorg
 * is 3,40: 0,40 lager dan de sector." Of the last quarter that has both a gear and a sector
 * average (an average of fewer than three organisations is not shown).
 */
export function gapSentence(options: OrgChartOptions): string {
  const own = options.reader === 'own';
  const { sector } = averagesOf(options.matrix);
  const rows = options.history.quarters;
  const last = rows[rows.length - 1];
  const latest = [...rows].reverse().find((r) => r.gear !== null && sector(r) !== null);
  if (!latest) {
    if (!rows.some((r) => r.gear !== null))
      return own
        ? 'Er is nog geen versnelling om met uw sector te vergelijken.'
        : `${options.name} heeft nog geen versnelling om met de sector te vergelijken.`;
    return own
      ? `Er is nog geen gemiddelde van uw sector om mee te vergelijken: ${HIDDEN}.`
      : 'Er is nog geen gemiddelde van de sector om mee te vergelijken.';
  }
  const gear = latest.gear as number;
  const average = roundHalfAway(sector(latest) as number, 2);
  const diff = roundHalfAway(gear - average, 2);
  const comparison =
    diff === 0
      ? 'even hoog als de sector'
      : `${formatAverage(Math.abs(diff))} ${diff > 0 ? 'hoger' : 'lager'} dan de sector`;
  const sectorName = own ? `uw sector ${latest.sector}` : `de sector ${latest.sector}`;
  const now = latest.quarter === last?.quarter;
  const subject = own ? 'uw versnelling' : `de versnelling van ${options.name}`;
  const sentence = now
    ? `${capitalise(subject)} is ${formatGear(gear)}; het gemiddelde van ${sectorName} is ${formatAverage(average)}: ${comparison}.`
    : `In ${formatQuarter(latest.quarter)} was ${subject} ${formatGear(gear)}; het gemiddelde van ${sectorName} was ${formatAverage(average)}: ${comparison}.`;
  if (now || !last) return sentence;
  // The last quarter lacks a gear (a gap in the membership, or the organisation left) or the average.
  if (last.gear === null) {
    return `${sentence} In ${formatQuarter(last.quarter)} ${own ? 'heeft uw organisatie' : `heeft ${options.name}`} geen versnelling.`;
  }
  return `${sentence} Van ${formatQuarter(last.quarter)} is er geen sectorgemiddelde${own ? `: ${HIDDEN}` : ''}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SOURCE_NOTE = { import: 'uit de import', manual: 'handmatig ingevoerd' } as const;

/** "Laatste quickscan: 12 maart 2026 (Q1 2026)."; the quarter only when there is no date. */
export function lastQuickscanSentence(quickscans: readonly Quickscan[]): string {
  const now = currentQuarter();
  const last = [...quickscans]
    .filter((q) => q.quarter <= now)
    .sort((a, b) => (a.quarter < b.quarter ? -1 : 1))
    .pop();
  if (!last) return 'Er is nog geen quickscan vastgelegd.';
  const quarter = formatQuarter(last.quarter);
  if (last.conductedOn) return `Laatste quickscan: ${formatDate(last.conductedOn)} (${quarter}).`;
  const note = last.source === 'quickscan' ? 'zonder datum' : `${SOURCE_NOTE[last.source]}, zonder datum`;
  return `Laatste quickscan: ${quarter} (${note}).`;
}

/**
 * The section: heading, what the chart compares, the gap and the last quickscan in words, the
 * period choice and the chart with its table. `heading` and `intro` lead the section.
 */
export function orgChartSection(
  charts: Charts,
  options: OrgChartOptions & { heading: string; extra?: HTMLElement[]; class?: string },
): HTMLElement {
  const { history } = options;
  const { sector, region } = averagesOf(options.matrix);
  const moved = new Set(history.quarters.map((q) => q.sectorId)).size > 1;
  const own = options.reader === 'own';
  const total = history.quarters.length;
  // Only the periods that are shorter than the whole history, and the whole history.
  const choices = PERIODS.filter((p) => p.quarters === null || p.quarters < total);
  let period: PeriodKey = choices[0]?.key ?? 'alles';
  const holder = h('div', { class: 'org-chart-holder' });

  const draw = () => {
    const length = PERIODS.find((p) => p.key === period)?.quarters ?? null;
    const rows = length === null ? history.quarters : history.quarters.slice(-length);
    const first = rows[0];
    const last = rows[rows.length - 1];
    const span = first && last ? `, ${formatQuarter(first.quarter)} – ${formatQuarter(last.quarter)}` : '';
    const caption = `Versnelling van ${options.name} per kwartaal, met sector- en regiogemiddelde${span}`;
    const wasOpen = holder.querySelector('details')?.open === true;
    holder.replaceChildren(
      rows.length === 0
        ? h('p', null, 'Nog geen gegevens.')
        : charts.chartWithTable({
            kind: 'line',
            caption,
            figcaption: caption,
            tableOpen: wasOpen,
            labels: rows.map((r) => formatQuarter(r.quarter)),
            series: [
              {
                label: own ? `${options.name} (uw versnelling)` : options.name,
                kind: 'gear',
                values: rows.map((r) => r.gear),
              },
              {
                label: moved
                  ? 'Gemiddelde van de sector'
                  : `Gemiddelde sector ${rows[0]?.sector ?? ''}`.trim(),
                values: rows.map(sector),
              },
              { label: 'Gemiddelde regio', values: rows.map(region) },
            ],
          }),
    );
  };

  const name = uid('periode');
  const periodChoice =
    choices.length < 2
      ? null
      : h(
          'fieldset',
          { class: 'chart-period no-print' },
          h('legend', null, 'Periode'),
          ...choices.map((p) => {
            const id = uid('periode');
            const label =
              p.quarters === null && history.quarters[0]
                ? `${p.label} (vanaf ${formatQuarter(history.quarters[0].quarter)})`
                : p.label;
            return h(
              'span',
              { class: 'chart-period-option' },
              h('input', {
                type: 'radio',
                name,
                id,
                value: p.key,
                checked: p.key === period,
                on: {
                  change: () => {
                    period = p.key;
                    draw();
                  },
                },
              }),
              h('label', { for: id }, label),
            );
          }),
        );
  draw();

  return h(
    'section',
    { class: options.class ?? 'card', 'aria-labelledby': `${name}-kop` },
    h('h2', { id: `${name}-kop` }, options.heading),
    h(
      'p',
      null,
      'Vergeleken met het gemiddelde van ',
      own ? 'uw sector' : 'de sector',
      ' en van de regio.',
      own ? ' Gemiddelden over minder dan 3 organisaties worden niet getoond.' : '',
      moved
        ? ` Het sectorgemiddelde is per kwartaal dat van de sector waarin ${own ? 'u' : 'de organisatie'} toen zat.`
        : '',
    ),
    h(
      'ul',
      { class: 'org-chart-facts' },
      h('li', { class: 'org-gap' }, gapSentence(options)),
      h('li', { class: 'org-last-quickscan' }, lastQuickscanSentence(options.quickscans)),
      ...(options.extra ?? []).map((el) => h('li', null, el)),
    ),
    periodChoice,
    holder,
  );
}
