// The board's page (bestuur): the quarterly report for a chosen pair of quarters, read as the
// final report's quantitative analysis was: members, sectors, the average at the start and the end
// with its change, the like-for-like change and where the change came from, the strongest and
// weakest sector, each sector's change as a sorted bar chart, each sector's line over the period
// beside the region's (small multiples), the VPT measures, incidents against the 0-meting, the
// targets and the network's work, and whether the figures are closed or restated. The Excel
// prestatielijst of the same pair is its first action; it prints as an A4 "kwartaalrapportage".
// The bars and lines are HTML and SVG drawn here (no chart.js): they print sharp at any size and
// carry their numbers as text.
import type { ActivityReport } from '../../../server/contracts/network.contract.ts';
import type { BaselineList, IncidentReport, Target } from '../../../server/contracts/outcome.contract.ts';
import type {
  Distribution,
  Matrix,
  MatrixCell,
  MeasureSharesDto,
  Summary,
  Worklist,
} from '../../../server/contracts/report.contract.ts';
import {
  describeChangeParts,
  describeLikeForLike,
  modelMixText,
} from '../../../server/domain/like-for-like.ts';
import { strongest, weakest } from '../../../server/domain/report.ts';
import { ApiError, get } from '../api.ts';
import type { View } from '../router.ts';
import { closedText, restatementsSection } from '../ui/closed-figures.ts';
import { button, type Child, h, notice } from '../ui/dom.ts';
import { formatAverage, formatDate, formatPercent, formatQuarter, joinNames } from '../ui/format.ts';
import { countText, OLD_GEARS_EXPLAINED } from '../ui/gear-age.ts';
import { errorText } from '../ui/messages.ts';
import { incidentsSection, measuresSection, networkSection, targetsSection } from '../ui/outcome-sections.ts';
import { prestatielijstHref } from '../ui/prestatielijst.ts';
import {
  askedReportQuarter,
  currentQuarter,
  periodFields,
  type Quarter,
  REVERSED_PERIOD,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { defaultReportPeriod } from '../ui/report-period.ts';
import { keepTableRoles } from '../ui/table.ts';

interface BoardData {
  summary: Summary;
  matrix: Matrix;
  distribution: Distribution;
  worklist: Worklist | null;
  targets: Target[];
  incidents: IncidentReport | null;
  baselines: BaselineList;
  measures: MeasureSharesDto;
  activities: ActivityReport;
}

export async function renderBoard(view: View): Promise<void> {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? defaultReportPeriod(to).from;
  const period = periodFields(from, to);
  const content = h('div', { 'aria-live': 'polite', class: 'board' });
  view.main.classList.add('report-page');
  view.main.append(
    h('h1', null, 'Kwartaalrapportage'),
    h(
      'p',
      { class: 'lead' },
      `De stand van het agressiebeleid van de aangesloten organisaties: ${formatQuarter(to)} vergeleken met ${formatQuarter(from)}.`,
    ),
    h(
      'div',
      { class: 'report-actions no-print' },
      h(
        'a',
        { class: 'button primary', href: prestatielijstHref(from, to), download: '' },
        `Download de prestatielijst (Excel), ${formatQuarter(from)} – ${formatQuarter(to)}`,
      ),
      button('Afdrukken als kwartaalrapportage', () => window.print(), { class: 'secondary' }),
    ),
    h(
      'form',
      {
        class: 'controls no-print',
        'aria-label': 'Welke kwartalen vergelijken',
        on: {
          submit: (event) => {
            event.preventDefault();
            const chosen = period.value();
            view.navigate(`${location.pathname}?van=${chosen.from}&tot=${chosen.to}`);
          },
        },
      },
      ...period.fields,
      h('button', { type: 'submit' }, 'Vergelijk'),
    ),
    h(
      'p',
      { class: 'print-only hint' },
      `Afgedrukt op ${formatDate(new Date().toISOString().slice(0, 10))}.`,
    ),
    content,
  );
  if (to < from) {
    period.fromSelect.setAttribute('aria-invalid', 'true');
    content.append(notice('error', REVERSED_PERIOD));
    return;
  }

  let data: BoardData;
  try {
    data = await load(from, to);
  } catch (err) {
    content.append(
      notice('error', errorText(err, 'De kwartaalrapportage kon niet worden geladen; probeer het opnieuw.')),
    );
    return;
  }
  const members = data.distribution.quarters.map((q) => q.members);
  if (members.every((m) => m === 0)) {
    content.append(emptyRegion(view.session?.user.role === 'projectleider', from, to));
    return;
  }
  content.append(
    statusSection(data, from, to),
    analysisSection(data, from, to),
    sectorChangeSection(data.summary, from, to),
    sectorLinesSection(data.matrix),
    measuresSection(data.measures, from, to),
    incidentsSection(data.incidents, null, shiftQuarter(to, -3), to),
    targetsSection(data.targets, null),
    networkSection(data.activities),
    restatementsSection(data.summary.restatements) ?? '',
    rulesSection(data.matrix),
  );
}

/** Where the sectors' lines start: the chosen start, or two years before the end when that is earlier. */
function linesFrom(from: Quarter, to: Quarter): Quarter {
  const twoYears = shiftQuarter(to, -7);
  return twoYears < from ? twoYears : from;
}

async function load(from: Quarter, to: Quarter): Promise<BoardData> {
  const isNow = to === currentQuarter();
  const baselinesCall = get<BaselineList>('/api/baselines');
  const [summary, matrix, distribution, worklist, targets, incidents, baselines, measures, activities] =
    await Promise.all([
      get<Summary>(`/api/reports/summary?from=${from}&to=${to}`),
      // The sectors' lines show at least two years, so a pair a year apart still shows a course.
      get<Matrix>(`/api/reports/matrix?from=${linesFrom(from, to)}&to=${to}`),
      get<Distribution>(`/api/reports/distribution?from=${from}&to=${to}`),
      isNow ? get<Worklist>(`/api/reports/worklist?quarter=${to}`) : Promise.resolve(null),
      get<Target[]>('/api/targets'),
      // Incidents are a flow: the year up to and including the end quarter, against the 0-meting;
      // without a 0-meting of the region there is nothing to compare with, so it is not asked for.
      baselinesCall.then((b) =>
        b.region === null
          ? null
          : get<IncidentReport>(`/api/reports/incidents?from=${shiftQuarter(to, -3)}&to=${to}`).catch(
              (err: unknown) => {
                if (err instanceof ApiError && err.code === 'no_baseline') return null;
                throw err;
              },
            ),
      ),
      baselinesCall,
      get<MeasureSharesDto>(`/api/reports/measures?quarter=${to}${from < to ? `&from=${from}` : ''}`),
      get<ActivityReport>(`/api/reports/activities?from=${from}&to=${to}`),
    ]);
  return { summary, matrix, distribution, worklist, targets, incidents, baselines, measures, activities };
}

function emptyRegion(canAdd: boolean, from: Quarter, to: Quarter): HTMLElement {
  return h(
    'section',
    { class: 'empty-state' },
    h('h2', null, 'Nog geen cijfers'),
    h(
      'p',
      null,
      `Tussen ${formatQuarter(from)} en ${formatQuarter(to)} had de regio geen aangesloten organisaties, dus er valt nog niets te rapporteren.`,
    ),
    canAdd
      ? h(
          'ul',
          null,
          h('li', null, h('a', { href: '/organisaties/nieuw' }, 'Voeg de eerste organisatie toe')),
          h('li', null, h('a', { href: '/import-export' }, 'Importeer de prestatielijst die u nu bijhoudt')),
          h('li', null, 'Of kies hierboven een periode waarin de regio al leden had.'),
        )
      : h(
          'p',
          null,
          'De projectleider heeft nog geen organisaties toegevoegd, of u kiest hierboven een periode waarin de regio al leden had.',
        ),
  );
}

// ---------------------------------------------------------------------------------------------
// Status: closed, restated, or still open
// ---------------------------------------------------------------------------------------------

function statusSection(data: BoardData, from: Quarter, to: Quarter): HTMLElement {
  const { summary, worklist } = data;
  const line = (q: Quarter, figure: Summary['overall']['from']): Child => {
    const text = closedText(figure, q, summary.restatements);
    if (text) return h('li', null, h('strong', null, `${formatQuarter(q)}: `), `${text}.`);
    const running = q === currentQuarter();
    return h(
      'li',
      null,
      h('strong', null, `${formatQuarter(q)}: `),
      running
        ? `loopt nog en is niet vastgesteld; de cijfers kunnen nog veranderen${stillToVisit(worklist)}.`
        : 'niet vastgesteld; de cijfers kunnen nog veranderen als er quickscans worden gecorrigeerd.',
    );
  };
  const versions = summary.modelVersions ?? [];
  return h(
    'section',
    { class: 'card status-card', 'aria-labelledby': 'board-status-title' },
    h('h2', { id: 'board-status-title' }, 'Status van de cijfers'),
    h('ul', null, line(from, summary.overall.from), from === to ? null : line(to, summary.overall.to)),
    versions.length > 1 ? h('p', { class: 'notice info' }, `Let op: ${modelMixText(versions)}.`) : null,
  );
}

/** " (12 leden hebben … nog geen quickscan …)" for a running quarter; empty when all were visited. */
function stillToVisit(worklist: Worklist | null): string {
  const items = worklist?.items ?? [];
  if (items.length === 0) return '';
  const carried = items.filter((i) => i.gear !== null).length;
  const none = items.length - carried;
  const parts = [
    carried > 0
      ? `${carried} ${carried === 1 ? 'lid telt' : 'leden tellen'} mee met de laatst bekende versnelling`
      : '',
    none > 0
      ? `${none} ${none === 1 ? 'lid heeft' : 'leden hebben'} nog geen versnelling en ${none === 1 ? 'telt' : 'tellen'} niet mee`
      : '',
  ].filter(Boolean);
  return ` (${items.length} ${items.length === 1 ? 'lid heeft' : 'leden hebben'} dit kwartaal nog geen quickscan: ${parts.join('; ')})`;
}

// ---------------------------------------------------------------------------------------------
// The quantitative analysis, as in the final report
// ---------------------------------------------------------------------------------------------

function analysisSection(data: BoardData, from: Quarter, to: Quarter): HTMLElement {
  const { summary, distribution } = data;
  const membersFrom = distribution.quarters[0]?.members ?? 0;
  const membersTo = distribution.quarters.at(-1)?.members ?? summary.organisationCount;
  const { overall } = summary;
  const ends = summary.sectors.map((s) => ({ name: s.name, average: s.to.average }));
  const strong = summary.strongest.length > 0 ? summary.strongest : strongest(ends);
  const weak = weakest(ends);
  const rows: Array<[string, Child]> = [
    [
      'Aantal aangesloten organisaties',
      [
        h('strong', null, String(summary.organisationCount)),
        from === to
          ? ''
          : ` in ${formatQuarter(to)}; ${membersFrom} in ${formatQuarter(from)}${membersTo === membersFrom ? '' : ` (${membersTo > membersFrom ? '+' : '−'}${Math.abs(membersTo - membersFrom)})`}`,
      ],
    ],
    ['Aantal sectoren', String(summary.sectorCount)],
    [
      `Gemiddelde versnelling ${formatQuarter(from)} (begin)`,
      [h('strong', null, formatAverage(overall.from.average)), ` (${countText(overall.from)})`],
    ],
    [
      `Gemiddelde versnelling ${formatQuarter(to)} (eind)`,
      [
        h('strong', null, formatAverage(overall.to.average)),
        ` (${countText(overall.to)})`,
        from === to
          ? ''
          : [', ', h('strong', null, formatPercent(overall.changePercent)), ` t.o.v. ${formatQuarter(from)}`],
      ],
    ],
  ];
  if (from !== to && overall.likeForLike) {
    rows.push(['Vergelijkbare verandering', describeLikeForLike(overall.likeForLike, from, to)]);
  }
  if (from !== to && overall.changeParts !== undefined) {
    rows.push(['Waar de verandering vandaan komt', describeChangeParts(overall.changeParts, from, to)]);
  }
  if (from !== to) {
    rows.push([
      'Procentuele vordering per sector',
      summary.sectors
        .filter((s) => s.from.n > 0 || s.to.n > 0)
        .map(
          (s) =>
            `${s.name} ${s.changePercent === null ? 'niet te berekenen' : formatPercent(s.changePercent)}`,
        )
        .join(', '),
    ]);
  }
  rows.push([`Sterkste sector in ${formatQuarter(to)}`, joinNames(strong) || '–']);
  // With one sector, or all level, the weakest is the strongest: said once.
  if (joinNames(weak) !== joinNames(strong)) {
    rows.push([`Zwakste sector in ${formatQuarter(to)}`, joinNames(weak) || '–']);
  }
  const table = withTableRoles(
    h(
      'table',
      { class: 'analysis' },
      h(
        'caption',
        { class: 'visually-hidden' },
        `Kwantitatieve analyse, ${formatQuarter(from)} – ${formatQuarter(to)}`,
      ),
      h(
        'tbody',
        null,
        ...rows.map(([label, value]) =>
          h('tr', null, h('th', { scope: 'row' }, label), h('td', null, value)),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'board-analysis-title' },
    h('h2', { id: 'board-analysis-title' }, 'Kwantitatieve analyse'),
    table,
  );
}

// ---------------------------------------------------------------------------------------------
// Each sector's change, sorted, as bars
// ---------------------------------------------------------------------------------------------

function sectorChangeSection(summary: Summary, from: Quarter, to: Quarter): HTMLElement | string {
  if (from === to) return '';
  type Row = Summary['sectors'][number];
  const shown = summary.sectors.filter((s) => s.from.n > 0 || s.to.n > 0);
  const known = shown
    .filter((s): s is Row & { changePercent: number } => s.changePercent !== null)
    .sort((a, b) => b.changePercent - a.changePercent || a.name.localeCompare(b.name, 'nl'));
  const unknown = shown.filter((s) => s.changePercent === null);
  // The region's change is drawn on the same scale: with joiners it can exceed every sector's.
  const changes = [...known.map((s) => s.changePercent), summary.overall.changePercent ?? 0];
  const largest = Math.max(...changes.map(Math.abs), 0);
  const anyFall = changes.some((c) => c < 0);
  const bar = (change: number): HTMLElement => {
    // The bar's length is its share of the largest change; with falls the zero line is in the middle.
    const share = largest === 0 ? 0 : Math.min(1, Math.abs(change) / largest);
    const el = h('span', { class: `bar ${change < 0 ? 'bar-fall' : 'bar-rise'}`, 'aria-hidden': 'true' });
    el.style.setProperty('--share', String(share));
    return h('span', { class: `bar-track${anyFall ? ' diverging' : ''}`, 'aria-hidden': 'true' }, el);
  };
  const row = (s: Row): HTMLElement =>
    h(
      'tr',
      null,
      h('th', { scope: 'row' }, s.name),
      h('td', { class: 'bar-cell' }, s.changePercent === null ? '' : bar(s.changePercent)),
      h(
        'td',
        { class: 'num' },
        s.changePercent === null ? 'niet te berekenen' : formatPercent(s.changePercent),
      ),
      h(
        'td',
        { class: 'num averages' },
        `${formatAverage(s.from.average)} → ${formatAverage(s.to.average)}`,
        h('span', { class: 'hint' }, ` (n = ${s.from.n} → ${s.to.n})`),
      ),
    );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'board-change-title' },
    h(
      'h2',
      { id: 'board-change-title' },
      `Verandering per sector, ${formatQuarter(from)} → ${formatQuarter(to)}`,
    ),
    h(
      'div',
      { class: 'table-fit' },
      withTableRoles(
        h(
          'table',
          { class: 'sector-bars' },
          h(
            'caption',
            null,
            'De procentuele verandering van de gemiddelde versnelling per sector, van de grootste vooruitgang naar de grootste achteruitgang',
          ),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, 'Sector'),
              h('th', { scope: 'col', class: 'bar-cell' }, h('span', { class: 'visually-hidden' }, 'Staaf')),
              h('th', { scope: 'col', class: 'num' }, 'Verandering'),
              h('th', { scope: 'col', class: 'num' }, 'Gemiddelde'),
            ),
          ),
          h('tbody', null, ...known.map(row), ...unknown.map(row)),
          h('tfoot', null, row({ ...summary.overall, name: 'Regio (alle sectoren)' } as Row)),
        ),
      ),
    ),
    unknown.length > 0
      ? h(
          'p',
          { class: 'hint' },
          `Niet te berekenen: een sector zonder versnellingen in ${formatQuarter(from)} of ${formatQuarter(to)}.`,
        )
      : null,
  );
}

/** A table laid out as blocks or a grid on a phone keeps its meaning for screen readers. */
function withTableRoles(table: HTMLTableElement): HTMLTableElement {
  keepTableRoles(table);
  return table;
}

// ---------------------------------------------------------------------------------------------
// Small multiples: each sector's average over the period beside the region's
// ---------------------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 110;
const PAD = { left: 18, right: 8, top: 8, bottom: 16 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: SVGElement[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** The points of a line through the averages (gaps where a quarter has none), as SVG path data. */
function pathOf(cells: readonly MatrixCell[]): string {
  const n = cells.length;
  const x = (i: number) =>
    PAD.left +
    (n === 1 ? (WIDTH - PAD.left - PAD.right) / 2 : (i * (WIDTH - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + ((5 - v) * (HEIGHT - PAD.top - PAD.bottom)) / 4;
  // Runs of quarters with an average; a gap (no average) starts a new run.
  const runs: string[][] = [];
  let run: string[] | null = null;
  cells.forEach((c, i) => {
    if (c.average === null) {
      run = null;
      return;
    }
    if (!run) {
      run = [];
      runs.push(run);
    }
    run.push(`${x(i).toFixed(1)},${y(c.average).toFixed(1)}`);
  });
  // A lone point still shows: a zero-length line with round caps.
  return runs.map((r) => `M${r.join(' L')}${r.length === 1 ? ' l0.01,0' : ''}`).join(' ');
}

function smallMultiple(
  name: string,
  cells: readonly MatrixCell[],
  region: readonly MatrixCell[],
  quarters: readonly Quarter[],
): HTMLElement {
  const first = cells[0];
  const last = cells.at(-1);
  const yOf = (v: number) => PAD.top + ((5 - v) * (HEIGHT - PAD.top - PAD.bottom)) / 4;
  const grid = [1, 2, 3, 4, 5].flatMap((g) => [
    svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: yOf(g), y2: yOf(g), class: 'sm-grid' }),
    svg('text', { x: PAD.left - 4, y: yOf(g) + 3, class: 'sm-tick', 'text-anchor': 'end' }),
  ]);
  grid.forEach((el, i) => {
    if (el.tagName === 'text') el.textContent = String(Math.floor(i / 2) + 1);
  });
  const labels = [
    svg('text', { x: PAD.left, y: HEIGHT - 3, class: 'sm-tick', 'text-anchor': 'start' }),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 3, class: 'sm-tick', 'text-anchor': 'end' }),
  ];
  labels[0]!.textContent = formatQuarter(quarters[0]!);
  labels[1]!.textContent = formatQuarter(quarters.at(-1)!);
  const description = `${name}: van ${formatAverage(first?.average ?? null)} in ${formatQuarter(quarters[0]!)} naar ${formatAverage(last?.average ?? null)} in ${formatQuarter(quarters.at(-1)!)}; de stippellijn is de regio.`;
  const picture = svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': description,
      class: 'small-multiple',
      preserveAspectRatio: 'xMidYMid meet',
    },
    ...grid,
    svg('path', { d: pathOf(region), class: 'sm-region' }),
    svg('path', { d: pathOf(cells), class: 'sm-sector' }),
    ...labels,
  );
  return h(
    'figure',
    { class: 'multiple' },
    h(
      'figcaption',
      null,
      h('strong', null, name),
      h(
        'span',
        { class: 'multiple-figures' },
        `${formatAverage(first?.average ?? null)} → ${formatAverage(last?.average ?? null)}`,
        last ? ` (n = ${last.n})` : '',
      ),
    ),
    picture,
  );
}

function sectorLinesSection(matrix: Matrix): HTMLElement {
  const sectors = matrix.sectors.filter((s) => s.cells.some((c) => c.n > 0));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'board-lines-title' },
    h(
      'h2',
      { id: 'board-lines-title' },
      `De sectoren door de tijd, ${formatQuarter(matrix.from)} – ${formatQuarter(matrix.to)}`,
    ),
    h(
      'p',
      { class: 'hint' },
      'Per sector de gemiddelde versnelling in elk kwartaal (doorgetrokken lijn) naast die van de regio (stippellijn), op dezelfde schaal van 1 tot 5. ',
      h(
        'a',
        { href: `/bestuur/sectoren?van=${matrix.from}&tot=${matrix.to}`, class: 'no-print' },
        'Alle cijfers per kwartaal in een tabel',
      ),
      '.',
    ),
    h(
      'div',
      { class: 'multiples' },
      smallMultiple('Regio (alle sectoren)', matrix.region.cells, matrix.region.cells, matrix.quarters),
      ...sectors.map((s) => smallMultiple(s.name, s.cells, matrix.region.cells, matrix.quarters)),
    ),
  );
}

function rulesSection(matrix: Matrix): HTMLElement {
  const old = [...matrix.region.cells].some((c) => (c.staleCount ?? 0) > 0);
  return h(
    'section',
    { class: 'rules' },
    h('h2', null, 'Zo is er gerekend'),
    h(
      'p',
      { class: 'hint' },
      'De verandering is berekend met de onafgeronde gemiddelden: (eind − begin) ÷ begin × 100%, getoond met twee decimalen. ' +
        'Een organisatie zonder quickscan in een kwartaal telt mee met haar laatst bekende versnelling; elk cijfer van een kwartaal gebruikt de sector die de organisatie toen had. ' +
        'De vergelijkbare verandering telt alleen organisaties met een versnelling in beide kwartalen.',
    ),
    old ? h('p', { class: 'hint' }, OLD_GEARS_EXPLAINED) : null,
  );
}
