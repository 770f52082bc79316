// The sector × quarter table for the board: averages with n, the region, and the change.
import type { Matrix, MatrixCell, Summary } from '../../../server/contracts/report.contract.ts';
import { get } from '../api.ts';
import type { View } from '../router.ts';
import { changeSplit } from '../ui/change-split.ts';
import { closedMark, closedText, restatementsSection } from '../ui/closed-figures.ts';
import { h, notice, visuallyHidden } from '../ui/dom.ts';
import { formatAverage, formatPercent, formatQuarter, joinNames } from '../ui/format.ts';
import { countText, OLD_GEARS_EXPLAINED } from '../ui/gear-age.ts';
import { gearFill } from '../ui/gear-colours.ts';
import { errorText } from '../ui/messages.ts';
import { prestatielijstLink } from '../ui/prestatielijst.ts';
import { askedReportQuarter, currentQuarter, periodFields, REVERSED_PERIOD } from '../ui/quarter-select.ts';
import { defaultReportPeriod } from '../ui/report-period.ts';
import { type Column, dataTable, scrollBox, tableRow } from '../ui/table.ts';

type SectorRow = Matrix['sectors'][number];

export async function renderBoardSectors(view: View): Promise<void> {
  const to = askedReportQuarter(view.query, 'tot') ?? currentQuarter();
  const from = askedReportQuarter(view.query, 'van') ?? defaultReportPeriod(to).from;
  const period = periodFields(from, to);
  const content = h('div', { 'aria-live': 'polite' });
  view.main.append(
    h('h1', null, 'Sectoren per kwartaal'),
    h(
      'p',
      null,
      'De gemiddelde versnelling per sector in elk kwartaal, met het aantal organisaties (n) ' +
        'en de procentuele verandering over de gekozen periode.',
    ),
    h(
      'form',
      {
        class: 'controls',
        on: {
          submit: (event) => {
            event.preventDefault();
            const chosen = period.value();
            view.navigate(`/bestuur/sectoren?van=${chosen.from}&tot=${chosen.to}`);
          },
        },
      },
      ...period.fields,
      h('button', { type: 'submit' }, 'Toon'),
    ),
    content,
  );

  if (to < from) {
    period.fromSelect.setAttribute('aria-invalid', 'true');
    content.append(notice('error', REVERSED_PERIOD));
    return;
  }

  let matrix: Matrix;
  let summary: Summary | null;
  try {
    [matrix, summary] = await Promise.all([
      get<Matrix>(`/api/reports/matrix?from=${from}&to=${to}`),
      get<Summary>(`/api/reports/summary?from=${from}&to=${to}`).catch(() => null),
    ]);
  } catch (err) {
    content.append(notice('error', errorText(err, 'De tabel kon niet worden geladen.')));
    return;
  }
  content.append(
    facts(matrix, summary),
    h('p', null, prestatielijstLink(matrix.from, matrix.to, 'Download de prestatielijst')),
    scrollBox('Tabel sectoren per kwartaal', matrixTable(matrix)),
    restatementsSection(matrix.restatements) ?? '',
    h(
      'p',
      { class: 'hint' },
      'De verandering is berekend met de onafgeronde gemiddelden: (laatste − eerste) ÷ eerste × 100%. ' +
        'Een organisatie zonder quickscan in een kwartaal telt mee met haar laatst bekende versnelling.',
    ),
    h(
      'p',
      { class: 'hint' },
      'De kleur van een cel is die van de afgeronde versnelling, zoals in de prestatielijst: van rood (1) via geel (3) naar groen (5). Het getal in de cel is het cijfer.',
    ),
    ...(hasOldGears(matrix) ? [h('p', { class: 'hint' }, OLD_GEARS_EXPLAINED)] : []),
  );
}

function facts(matrix: Matrix, summary: Summary | null): HTMLElement {
  const last = matrix.region.cells[matrix.region.cells.length - 1];
  return h(
    'ul',
    { class: 'facts' },
    h(
      'li',
      null,
      `Regio in ${formatQuarter(matrix.to)}: gemiddeld `,
      h('strong', null, formatAverage(last?.average ?? null)),
      ` (${countText(last)}), ${formatPercent(matrix.region.changePercent)} t.o.v. ${formatQuarter(matrix.from)}.`,
    ),
    closedFacts(matrix),
    ...(summary ? changeSplit(summary).map((p) => h('li', null, p.textContent)) : []),
    summary?.strongest.length
      ? h(
          'li',
          null,
          `Sterkste sector in ${formatQuarter(matrix.to)}: `,
          h('strong', null, joinNames(summary.strongest)),
          '.',
        )
      : null,
  );
}

function matrixTable(matrix: Matrix): HTMLTableElement {
  const period = `${formatQuarter(matrix.from)} – ${formatQuarter(matrix.to)}`;
  // The change first, beside the sector: the number the board reads is never a scroll away.
  const columns: Array<Column<Omit<SectorRow, 'id'>>> = [
    { head: 'Sector', cell: (s) => breakable(s.name), rowHeader: true },
    {
      head: `Verandering ${formatQuarter(matrix.from)} → ${formatQuarter(matrix.to)}`,
      headClass: 'num',
      cell: (s) => (s.changePercent === null ? 'niet te berekenen' : formatPercent(s.changePercent)),
      num: true,
      class: 'matrix-change',
    },
    ...matrix.quarters.map((q, i) => ({
      head: formatQuarter(q),
      headClass: 'num',
      cell: (s: Omit<SectorRow, 'id'>) => average(s.cells[i]),
      num: true,
    })),
  ];
  const region = { name: 'Regio (alle sectoren)', ...matrix.region };
  const table = dataTable({
    class: 'matrix',
    caption: h(
      'span',
      { class: 'matrix-caption' },
      `Gemiddelde versnelling per sector en kwartaal, ${period}; n is het aantal organisaties met een versnelling${hasOldGears(matrix) ? '; "3 oud": 3 daarvan zijn ouder dan een jaar' : ''}`,
    ),
    columns,
    rows: matrix.sectors,
    foot: [tableRow(columns, region, { class: 'matrix-region' }) as HTMLTableRowElement],
  });
  // A heat map: each average's cell filled with the colour of its rounded gear, as in the
  // prestatielijst; the number stays the message, the colour only helps to see the pattern.
  for (const mark of table.querySelectorAll<HTMLElement>('[data-gear]')) {
    mark.closest('td')?.classList.add('heat', gearFill(Number(mark.dataset.gear)));
  }
  return table;
}

/** "3,18" with "n = 12" under it; a dash when no organisation had a gear. */
function average(c: MatrixCell | undefined): Array<Node | string> {
  if (!c || c.average === null) {
    return [h('span', { 'aria-hidden': 'true' }, '–'), visuallyHidden('geen gegevens')];
  }
  const gear = Math.min(5, Math.max(1, Math.round(c.average)));
  return [
    h('span', { 'data-gear': String(gear) }, formatAverage(c.average)),
    h('span', { class: 'matrix-n' }, countText(c, true)),
    closedMark(c) ?? '',
  ];
}

/** Which of the shown quarters are closed (vastgesteld), and the region's figure of the last one. */
function closedFacts(matrix: Matrix): HTMLElement | null {
  const cells = matrix.region.cells;
  const closed = cells.filter((c) => c.closed);
  if (closed.length === 0) return null;
  const last = cells[cells.length - 1]!;
  const quarters =
    closed.length === cells.length
      ? 'Alle getoonde kwartalen zijn vastgesteld'
      : `Vastgesteld: ${closed.map((c) => formatQuarter(c.quarter)).join(', ')}`;
  const lastText = closedText(last, last.quarter, matrix.restatements);
  return h('li', null, `${quarters}.`, lastText ? ` ${formatQuarter(last.quarter)}: ${lastText}.` : '');
}

/** Whether any average in the table counts gears older than a year ("3 oud" needs explaining). */
function hasOldGears(matrix: Matrix): boolean {
  const cells = [...matrix.region.cells, ...matrix.sectors.flatMap((s) => s.cells)];
  return cells.some((c) => (c.staleCount ?? 0) > 0);
}

/** A name that may wrap after a slash ("Veiligheid/Justitie") on a narrow screen. */
function breakable(name: string): Array<string | HTMLElement> {
  return name.split('/').flatMap((part, i) => (i === 0 ? [part] : ['/', h('wbr'), part]));
}
