// The regional overview (projectleider) and the board's dashboard: the region's average per
// quarter, the sectors in the chosen quarter, the distribution over the gears and the
// organisations still to visit this quarter.
import type { Distribution, Matrix, Summary, Worklist } from '../../../server/contracts/report.contract.ts';
import { get } from '../api.ts';
import type { View } from '../router.ts';
import { changeSplit } from '../ui/change-split.ts';
import type { Charts } from '../ui/charts.ts';
import { closedText, restatementsSection } from '../ui/closed-figures.ts';
import { h, notice } from '../ui/dom.ts';
import { formatAverage, formatPercent, formatQuarter } from '../ui/format.ts';
import { countText, gearAge } from '../ui/gear-age.ts';
import {
  askedReportQuarter,
  currentQuarter,
  periodFields,
  type Quarter,
  REVERSED_PERIOD,
  shiftQuarter,
} from '../ui/quarter-select.ts';
import { dataTable, scrollBox } from '../ui/table.ts';

export async function renderOverview(view: View, options: { title: string; intro: string }): Promise<void> {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? shiftQuarter(to, -7);
  const period = periodFields(from, to);
  const content = h('div', { 'aria-live': 'polite' });
  const controls = h(
    'form',
    {
      class: 'controls',
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
  view.main.append(h('h1', null, options.title), h('p', null, options.intro), controls, content);

  if (to < from) {
    content.append(notice('error', REVERSED_PERIOD));
    return;
  }
  // The charts module (with chart.js) is a chunk of its own, loaded beside the figures.
  const [charts, matrix, summary, distribution, worklist] = await Promise.all([
    import('../ui/charts.ts'),
    get<Matrix>(`/api/reports/matrix?from=${from}&to=${to}`),
    get<Summary>(`/api/reports/summary?from=${from}&to=${to}`),
    get<Distribution>(`/api/reports/distribution?from=${to}&to=${to}`),
    get<Worklist>(`/api/reports/worklist?quarter=${to}`),
  ]);
  content.append(
    regionSection(charts, matrix, from, to, summary),
    restatementsSection(matrix.restatements) ?? '',
    sectorsSection(charts, matrix, to),
    distributionSection(distribution, to),
    worklistSection(worklist, view.session?.user.role === 'projectleider'),
  );
}

function regionSection(
  { chartWithTable }: Charts,
  matrix: Matrix,
  from: Quarter,
  to: Quarter,
  summary: Summary,
): HTMLElement {
  const cells = matrix.region.cells;
  const last = cells[matrix.quarters.length - 1];
  return h(
    'section',
    null,
    h('h2', null, 'Gemiddelde versnelling van de regio'),
    h(
      'p',
      { class: 'kpi' },
      `${formatQuarter(to)}: `,
      h('strong', null, formatAverage(last?.average ?? null)),
      ` (${countText(last)}), ${formatPercent(matrix.region.changePercent)} t.o.v. ${formatQuarter(from)}`,
    ),
    closedLine(matrix, cells[0], from),
    to !== from ? closedLine(matrix, last, to) : null,
    ...changeSplit(summary),
    chartWithTable({
      kind: 'line',
      caption: `Gemiddelde versnelling regio per kwartaal, ${formatQuarter(from)} – ${formatQuarter(to)}`,
      labels: matrix.quarters.map(formatQuarter),
      series: [{ label: 'Regio', values: cells.map((c) => c.average) }],
    }),
  );
}

/** "Q4 2016 vastgesteld op … door …" (or restated) under the key figure; nothing when open. */
function closedLine(matrix: Matrix, cell: Matrix['region']['cells'][number] | undefined, q: Quarter) {
  const text = closedText(cell, q, matrix.restatements);
  return text ? h('p', { class: 'hint' }, `${formatQuarter(q)}: ${text}.`) : null;
}

function sectorsSection({ chartWithTable }: Charts, matrix: Matrix, to: Quarter): HTMLElement {
  const last = matrix.quarters.length - 1;
  const old = matrix.sectors
    .map((s) => ({ name: s.name, stale: s.cells[last]?.staleCount ?? 0 }))
    .filter((s) => s.stale > 0);
  return h(
    'section',
    null,
    h('h2', null, `Gemiddelde per sector in ${formatQuarter(to)}`),
    chartWithTable({
      kind: 'bar',
      caption: `Gemiddelde versnelling per sector, ${formatQuarter(to)}`,
      labels: matrix.sectors.map((s) => `${s.name} (n = ${s.cells[last]?.n ?? 0})`),
      series: [
        { label: formatQuarter(to), values: matrix.sectors.map((s) => s.cells[last]?.average ?? null) },
      ],
    }),
    old.length > 0
      ? h(
          'p',
          { class: 'hint stale-line' },
          `Versnellingen ouder dan een jaar (meer dan vier kwartalen geleden vastgesteld), meegeteld in het gemiddelde: ${old
            .map((s) => `${s.name} ${s.stale}`)
            .join(', ')}.`,
        )
      : null,
  );
}

function distributionSection(distribution: Distribution, quarter: Quarter): HTMLElement {
  const row = distribution.quarters[0];
  return h(
    'section',
    null,
    h('h2', null, `Verdeling over de versnellingen in ${formatQuarter(quarter)}`),
    row
      ? scrollBox(
          'Verdeling over de versnellingen, scrollbaar',
          dataTable({
            caption: `Aantal organisaties per versnelling (${row.members} leden, ${row.withoutGear} nog zonder versnelling)`,
            columns: row.counts.map((c) => ({
              head: `Versnelling ${c.gear}`,
              cell: () => String(c.count),
              num: true,
            })),
            rows: [row],
          }),
        )
      : h('p', null, 'Geen gegevens.'),
  );
}

function worklistSection(worklist: Worklist, canRecord: boolean): HTMLElement {
  const q = worklist.quarter;
  type Item = Worklist['items'][number];
  return h(
    'section',
    null,
    h('h2', null, `Nog geen quickscan in ${formatQuarter(q)} (${worklist.items.length})`),
    worklist.items.length === 0
      ? h('p', null, 'Alle leden hebben in dit kwartaal een quickscan.')
      : scrollBox(
          'Leden zonder quickscan, scrollbaar',
          dataTable<Item>({
            caption:
              'Leden zonder quickscan in dit kwartaal, met hun huidige (doorgeschoven) versnelling; de oudste versnelling eerst',
            columns: [
              { head: 'Organisatie', cell: (item) => item.name },
              { head: 'Sector', cell: (item) => item.sector },
              {
                head: 'Versnelling',
                cell: (item) =>
                  item.gear === null
                    ? 'nog geen'
                    : [
                        String(item.gear),
                        ' ',
                        gearAge(item.lastRecordedIn, item.ageQuarters, { brackets: true }),
                      ],
              },
              canRecord && {
                head: 'Actie',
                cell: (item) =>
                  h(
                    'a',
                    { href: `/quickscan?organisatie=${item.id}&kwartaal=${q}` },
                    `Quickscan afnemen voor ${item.name}`,
                  ),
              },
            ],
            rows: worklist.items,
          }),
        ),
  );
}
