import { get } from '../api.ts';
import { chartWithTable } from '../charts.ts';
import { field, h, notice } from '../dom.ts';
import { formatAverage, formatPercent, formatQuarter, quarterOfDate, quarterRange } from '../format.ts';
import type { View } from '../router.ts';

interface Cell {
  quarter: string;
  n: number;
  average: number | null;
}
interface Matrix {
  quarters: string[];
  sectors: Array<{ id: number; name: string; cells: Cell[]; changePercent: number | null }>;
  region: { cells: Cell[]; changePercent: number | null };
}
interface Distribution {
  quarters: Array<{
    quarter: string;
    members: number;
    withoutGear: number;
    counts: Array<{ gear: number; count: number }>;
  }>;
}
interface Worklist {
  quarter: string;
  items: Array<{
    id: number;
    name: string;
    sector: string;
    gear: number | null;
    lastRecordedIn: string | null;
  }>;
}

/** Quarters people can pick: from 2010 up to the current quarter, newest first. */
export function quarterOptions(selected: string): HTMLSelectElement {
  const current = quarterOfDate(new Date());
  const select = h('select', null);
  for (const q of quarterRange('2010-Q1', current).reverse()) {
    select.append(h('option', { value: q, selected: q === selected }, formatQuarter(q)));
  }
  return select;
}

export function shiftQuarter(q: string, by: number): string {
  const [year, n] = [Number(q.slice(0, 4)), Number(q.slice(6))];
  const index = year * 4 + n - 1 + by;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/**
 * The regional overview: the region's average per quarter, the sectors in the chosen quarter,
 * the distribution over the gears and the organisations still to visit this quarter.
 */
export async function renderOverview(view: View, options: { title: string; intro: string }): Promise<void> {
  const to = view.query.get('tot') ?? quarterOfDate(new Date());
  const from = view.query.get('van') ?? shiftQuarter(to, -7);
  const fromSelect = quarterOptions(from);
  const toSelect = quarterOptions(to);
  const content = h('div', { 'aria-live': 'polite' });
  const controls = h(
    'form',
    {
      class: 'controls',
      on: {
        submit: (event) => {
          event.preventDefault();
          view.navigate(`${location.pathname}?van=${fromSelect.value}&tot=${toSelect.value}`);
        },
      },
    },
    field('Van', fromSelect),
    field('Tot en met', toSelect),
    h('button', { type: 'submit' }, 'Toon'),
  );
  view.main.append(h('h1', null, options.title), h('p', null, options.intro), controls, content);

  if (to < from) {
    content.append(notice('error', 'Het eindkwartaal ligt vóór het beginkwartaal. Kies een andere periode.'));
    return;
  }
  const [matrix, distribution, worklist] = await Promise.all([
    get<Matrix>(`/api/reports/matrix?from=${from}&to=${to}`),
    get<Distribution>(`/api/reports/distribution?from=${to}&to=${to}`),
    get<Worklist>(`/api/reports/worklist?quarter=${to}`),
  ]);
  const last = matrix.quarters.length - 1;
  const regionCells = matrix.region.cells;

  content.append(
    h(
      'section',
      null,
      h('h2', null, 'Gemiddelde versnelling van de regio'),
      h(
        'p',
        { class: 'kpi' },
        `${formatQuarter(to)}: `,
        h('strong', null, formatAverage(regionCells[last]?.average ?? null)),
        ` (n = ${regionCells[last]?.n ?? 0}), ${formatPercent(matrix.region.changePercent)} t.o.v. ${formatQuarter(from)}`,
      ),
      chartWithTable({
        kind: 'line',
        caption: `Gemiddelde versnelling regio per kwartaal, ${formatQuarter(from)} – ${formatQuarter(to)}`,
        labels: matrix.quarters.map(formatQuarter),
        series: [{ label: 'Regio', values: regionCells.map((c) => c.average) }],
      }),
    ),
    h(
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
    ),
    distributionSection(distribution, to),
    worklistSection(worklist, view.session?.user.role === 'projectleider'),
  );
}

function distributionSection(distribution: Distribution, quarter: string): HTMLElement {
  const row = distribution.quarters[0];
  return h(
    'section',
    null,
    h('h2', null, `Verdeling over de versnellingen in ${formatQuarter(quarter)}`),
    row
      ? scrollBox(
          'Verdeling over de versnellingen, scrollbaar',
          h(
            'table',
            null,
            h(
              'caption',
              null,
              `Aantal organisaties per versnelling (${row.members} leden, ${row.withoutGear} nog zonder versnelling)`,
            ),
            h(
              'thead',
              null,
              h('tr', null, ...row.counts.map((c) => h('th', { scope: 'col' }, `Versnelling ${c.gear}`))),
            ),
            h(
              'tbody',
              null,
              h('tr', null, ...row.counts.map((c) => h('td', { class: 'num' }, String(c.count)))),
            ),
          ),
        )
      : h('p', null, 'Geen gegevens.'),
  );
}

function worklistSection(worklist: Worklist, canRecord: boolean): HTMLElement {
  const q = worklist.quarter;
  return h(
    'section',
    null,
    h('h2', null, `Nog geen quickscan in ${formatQuarter(q)} (${worklist.items.length})`),
    worklist.items.length === 0
      ? h('p', null, 'Alle leden hebben in dit kwartaal een quickscan.')
      : scrollBox(
          'Leden zonder quickscan, scrollbaar',
          h(
            'table',
            null,
            h(
              'caption',
              null,
              'Leden zonder quickscan in dit kwartaal, met hun huidige (doorgeschoven) versnelling',
            ),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Organisatie'),
                h('th', { scope: 'col' }, 'Sector'),
                h('th', { scope: 'col' }, 'Versnelling'),
                canRecord ? h('th', { scope: 'col' }, 'Actie') : null,
              ),
            ),
            h(
              'tbody',
              null,
              ...worklist.items.map((item) =>
                h(
                  'tr',
                  null,
                  h('td', null, item.name),
                  h('td', null, item.sector),
                  h(
                    'td',
                    null,
                    item.gear === null
                      ? 'nog geen'
                      : `${item.gear} (uit ${formatQuarter(item.lastRecordedIn ?? '')})`,
                  ),
                  canRecord
                    ? h(
                        'td',
                        null,
                        h(
                          'a',
                          { href: `/quickscan?organisatie=${item.id}&kwartaal=${q}` },
                          `Quickscan afnemen voor ${item.name}`,
                        ),
                      )
                    : null,
                ),
              ),
            ),
          ),
        ),
  );
}

/** A wide table scrolls in its own box on a phone, so the page itself never scrolls sideways. */
function scrollBox(label: string, table: HTMLElement): HTMLElement {
  // Keyboard users reach the box with Tab and scroll it with the arrow keys.
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: 0 }, table);
}
