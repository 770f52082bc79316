import { ApiError, get } from '../api.ts';
import { field, h, notice } from '../dom.ts';
import { formatAverage, formatPercent, formatQuarter, quarterOfDate } from '../format.ts';
import type { View } from '../router.ts';
import { prestatielijstHref } from './import-export.ts';
import { quarterOptions, shiftQuarter } from './overview.ts';

interface Cell {
  quarter: string;
  n: number;
  average: number | null;
}
interface Matrix {
  from: string;
  to: string;
  quarters: string[];
  sectors: Array<{ id: number; name: string; cells: Cell[]; changePercent: number | null }>;
  region: { cells: Cell[]; changePercent: number | null };
}
interface Summary {
  strongest: string[];
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "3,18" with "n = 12" under it; a dash when no organisation had a gear. */
function cell(c: Cell | undefined): HTMLElement {
  if (!c || c.average === null) {
    return h(
      'td',
      { class: 'num' },
      h('span', { 'aria-hidden': 'true' }, '–'),
      h('span', { class: 'adm-vh' }, 'geen gegevens'),
    );
  }
  return h('td', { class: 'num' }, formatAverage(c.average), h('span', { class: 'adm-n' }, `n = ${c.n}`));
}

function changeCell(percent: number | null): HTMLElement {
  return h(
    'td',
    { class: 'num adm-change' },
    percent === null ? 'niet te berekenen' : formatPercent(percent),
  );
}

/** A name that may wrap after a slash ("Veiligheid/Justitie") on a narrow screen. */
function breakable(name: string): Array<string | HTMLElement> {
  return name.split('/').flatMap((part, i) => (i === 0 ? [part] : ['/', h('wbr'), part]));
}

/** Names joined as people write them: "A, B & C". */
function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`;
}

/** The sector × quarter table for the board: averages with n, the region, and the change. */
export async function renderBoardSectors(view: View): Promise<void> {
  // A quarter from the address only when it is one ("2016-Q4"); otherwise the default period.
  const asked = (key: string) => {
    const v = view.query.get(key);
    return v && /^\d{4}-Q[1-4]$/.test(v) ? v : null;
  };
  const to = asked('tot') ?? quarterOfDate(new Date());
  const from = asked('van') ?? shiftQuarter(to, -4);
  const fromSelect = quarterOptions(from);
  const toSelect = quarterOptions(to);
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
            view.navigate(`/bestuur/sectoren?van=${fromSelect.value}&tot=${toSelect.value}`);
          },
        },
      },
      field('Van', fromSelect),
      field('Tot en met', toSelect),
      h('button', { type: 'submit' }, 'Toon'),
    ),
    content,
  );

  if (to < from) {
    fromSelect.setAttribute('aria-invalid', 'true');
    content.append(notice('error', 'Het eindkwartaal ligt vóór het beginkwartaal. Kies een andere periode.'));
    return;
  }

  let matrix: Matrix;
  let summary: Summary | null;
  try {
    [matrix, summary] = await Promise.all([
      get<Matrix>(`/api/reports/matrix?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
      get<Summary>(
        `/api/reports/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ).catch(() => null),
    ]);
  } catch (err) {
    content.append(
      notice('error', err instanceof ApiError ? sentence(err.message) : 'De tabel kon niet worden geladen.'),
    );
    return;
  }

  const period = `${formatQuarter(matrix.from)} – ${formatQuarter(matrix.to)}`;
  const changeHead = `Verandering ${formatQuarter(matrix.from)} → ${formatQuarter(matrix.to)}`;
  const last = matrix.region.cells[matrix.region.cells.length - 1];

  content.append(
    h(
      'ul',
      { class: 'adm-facts' },
      h(
        'li',
        null,
        `Regio in ${formatQuarter(matrix.to)}: gemiddeld `,
        h('strong', null, formatAverage(last?.average ?? null)),
        ` (n = ${last?.n ?? 0}), ${formatPercent(matrix.region.changePercent)} t.o.v. ${formatQuarter(matrix.from)}.`,
      ),
      summary?.strongest.length
        ? h(
            'li',
            null,
            `Sterkste sector in ${formatQuarter(matrix.to)}: `,
            h('strong', null, joinNames(summary.strongest)),
            '.',
          )
        : null,
    ),
    h(
      'p',
      null,
      h(
        'a',
        {
          class: 'adm-button',
          href: prestatielijstHref(matrix.from, matrix.to),
          download: `prestatielijst-${matrix.from}-${matrix.to}.xlsx`,
        },
        `Download de prestatielijst ${period} (Excel)`,
      ),
    ),
    h(
      'div',
      { class: 'table-scroll', role: 'region', 'aria-label': 'Tabel sectoren per kwartaal', tabindex: 0 },
      h(
        'table',
        { class: 'adm-matrix' },
        h(
          'caption',
          null,
          h(
            'span',
            { class: 'adm-caption-text' },
            `Gemiddelde versnelling per sector en kwartaal, ${period}; n is het aantal organisaties met een versnelling`,
          ),
        ),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Sector'),
            ...matrix.quarters.map((q) => h('th', { scope: 'col', class: 'num' }, formatQuarter(q))),
            h('th', { scope: 'col', class: 'num' }, changeHead),
          ),
        ),
        h(
          'tbody',
          null,
          ...matrix.sectors.map((s) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, ...breakable(s.name)),
              ...matrix.quarters.map((_q, i) => cell(s.cells[i])),
              changeCell(s.changePercent),
            ),
          ),
        ),
        h(
          'tfoot',
          null,
          h(
            'tr',
            { class: 'adm-region' },
            h('th', { scope: 'row' }, 'Regio (alle sectoren)'),
            ...matrix.quarters.map((_q, i) => cell(matrix.region.cells[i])),
            changeCell(matrix.region.changePercent),
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      'De verandering is berekend met de onafgeronde gemiddelden: (laatste − eerste) ÷ eerste × 100%. ' +
        'Een organisatie zonder quickscan in een kwartaal telt mee met haar laatst bekende versnelling.',
    ),
  );
}
