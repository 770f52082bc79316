// The regional overview (projectleider) and the board's dashboard: the region's average per
// quarter, the sectors in the chosen quarter, the distribution over the gears and the
// organisations still to visit this quarter.
import type { Distribution, Matrix, Summary, Worklist } from '../../../server/contracts/report.contract.ts';
import type { Sector } from '../../../server/contracts/sector.contract.ts';
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
} from '../ui/quarter-select.ts';
import { defaultReportPeriod } from '../ui/report-period.ts';
import { dataTable, scrollBox } from '../ui/table.ts';

export async function renderOverview(view: View, options: { title: string; intro: string }): Promise<void> {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? defaultReportPeriod(to).from;
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
  const [charts, matrix, summary, distribution, worklist, sectors] = await Promise.all([
    import('../ui/charts.ts'),
    get<Matrix>(`/api/reports/matrix?from=${from}&to=${to}`),
    get<Summary>(`/api/reports/summary?from=${from}&to=${to}`),
    get<Distribution>(`/api/reports/distribution?from=${to}&to=${to}`),
    get<Worklist>(`/api/reports/worklist?quarter=${to}`),
    // Only to tell a region without organisations from a period without figures.
    get<Sector[]>('/api/sectors').catch((): Sector[] | null => null),
  ]);
  const canRecord = view.session?.user.role === 'projectleider';
  const organisations = sectors?.reduce((n, s) => n + s.organisationCount, 0) ?? null;
  const figures = matrix.region.cells.some((c) => c.n > 0);
  if (organisations === 0 && !figures) {
    // The first landing on a new region: what to do first instead of empty charts.
    controls.remove();
    content.append(emptyRegion(canRecord));
    return;
  }
  const members = distribution.quarters[0]?.members ?? null;
  if (!figures && members === 0 && summary.organisationCount === 0) {
    content.append(
      notice(
        'info',
        `In ${formatQuarter(to)} is geen organisatie lid, en van ${formatQuarter(from)} tot en met ${formatQuarter(to)} had geen enkele organisatie een versnelling. Kies een andere periode.`,
      ),
    );
    return;
  }
  content.append(
    figures ? regionSection(charts, matrix, from, to, summary) : noFiguresSection(from, to, canRecord),
    restatementsSection(matrix.restatements) ?? '',
    figures ? sectorsSection(charts, matrix, to) : '',
    distributionSection(distribution, to),
    worklistSection(worklist, members, canRecord),
  );
}

/** A region without organisations: the ways to start (the board waits for the projectleider). */
function emptyRegion(canRecord: boolean): HTMLElement {
  const title = 'Nog geen organisaties in de regio';
  if (!canRecord) {
    return h(
      'section',
      { class: 'card empty-state' },
      h('h2', null, title),
      h(
        'p',
        null,
        'De projectleider heeft nog geen organisaties toegevoegd. Zodra er organisaties met een quickscan zijn, staan hier de gemiddelde versnelling van de regio en de sectoren, en de verdeling over de versnellingen.',
      ),
    );
  }
  return h(
    'section',
    { class: 'card empty-state' },
    h('h2', null, title),
    h(
      'p',
      null,
      'Hier komen de gemiddelde versnelling van de regio en de sectoren, de verdeling over de versnellingen en de leden die dit kwartaal nog een quickscan krijgen. Daarvoor zijn eerst organisaties nodig. Begin op een van deze manieren:',
    ),
    h(
      'ul',
      { class: 'empty-steps' },
      h(
        'li',
        null,
        h('a', { href: '/organisaties/nieuw' }, 'Voeg organisaties toe'),
        ': één voor één, met hun sector en sinds wanneer ze lid zijn.',
      ),
      h(
        'li',
        null,
        h('a', { href: '/import-export' }, 'Importeer de bestaande prestatielijst'),
        ': het Excel-bestand met de organisaties en hun versnellingen per kwartaal.',
      ),
      h(
        'li',
        null,
        h('strong', null, 'Laad de demoregio'),
        ' om de app eerst te verkennen met een verzonnen regio. Dat gaat alleen in een lege database, op de server: laat de beheerder daar ',
        h('code', null, 'npm run cli -- demo'),
        ' uitvoeren.',
      ),
    ),
  );
}

/** Members, but no gear yet in the period: no empty charts, but what makes them appear. */
function noFiguresSection(from: Quarter, to: Quarter, canRecord: boolean): HTMLElement {
  return h(
    'section',
    null,
    h('h2', null, 'Gemiddelde versnelling van de regio'),
    h(
      'p',
      null,
      `Van ${formatQuarter(from)} tot en met ${formatQuarter(to)} is nog geen versnelling vastgesteld. De grafieken van de regio en de sectoren verschijnen na de eerste quickscan.`,
      canRecord ? [' ', h('a', { href: '/quickscan' }, 'Quickscan afnemen'), '.'] : null,
    ),
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
    !row
      ? h('p', null, 'Geen gegevens.')
      : row.members === 0
        ? h('p', null, `In ${formatQuarter(quarter)} was geen enkele organisatie lid.`)
        : scrollBox(
            'Verdeling over de versnellingen, scrollbaar',
            dataTable({
              class: 'dist-table',
              caption: `Aantal organisaties per versnelling (${row.members} leden, ${row.withoutGear} nog zonder versnelling)`,
              // On a phone the columns say only the gear's number, so all five fit.
              columns: row.counts.map((c) => ({
                head: [h('span', { class: 'dist-word' }, 'Versnelling '), String(c.gear)],
                cell: () => String(c.count),
                num: true,
              })),
              rows: [row],
            }),
          ),
  );
}

function worklistSection(worklist: Worklist, members: number | null, canRecord: boolean): HTMLElement {
  const q = worklist.quarter;
  type Item = Worklist['items'][number];
  return h(
    'section',
    null,
    h('h2', null, `Nog geen quickscan in ${formatQuarter(q)} (${worklist.items.length})`),
    worklist.items.length === 0
      ? h(
          'p',
          null,
          members === 0
            ? `In ${formatQuarter(q)} was geen enkele organisatie lid.`
            : 'Alle leden hebben in dit kwartaal een quickscan.',
        )
      : scrollBox(
          'Leden zonder quickscan, scrollbaar',
          // Cards on a phone, so each member's "Quickscan afnemen" is in view, not in a far column.
          dataTable<Item>({
            class: 'stack-cards worklist',
            caption:
              'Leden zonder quickscan in dit kwartaal, met hun huidige (doorgeschoven) versnelling; de oudste versnelling eerst',
            columns: [
              { head: 'Organisatie', class: 'worklist-name', cell: (item) => item.name },
              { head: 'Sector', label: 'Sector', cell: (item) => item.sector },
              {
                head: 'Versnelling',
                label: 'Versnelling',
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
