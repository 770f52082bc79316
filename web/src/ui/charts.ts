import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from './dom.ts';
import { formatAverage, formatGear } from './format.ts';
import { dataTable } from './table.ts';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.animation = false;

/** A colour token of base.css (--chart-1 … --chart-4, --colour-text): a canvas cannot use var(). */
function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

// Colours with enough contrast on white (base.css), told apart by line style and point shape as
// well: colour is never the only cue.
const SERIES = [
  { color: '--chart-1', dash: [] as number[], point: 'circle' },
  { color: '--chart-2', dash: [6, 4], point: 'triangle' },
  { color: '--chart-3', dash: [2, 3], point: 'rect' },
  { color: '--chart-4', dash: [10, 3, 2, 3], point: 'rectRot' },
] as const;

/**
 * This module brings chart.js (about 60% of the script): pages import it with `import()`, so
 * esbuild makes it a chunk of its own that pages without a chart never load.
 */
export type Charts = typeof import('./charts.ts');

export interface Series {
  label: string;
  values: Array<number | null>;
  /**
   * What the values are: an average over organisations ("3,25", the default) or one
   * organisation's own gear, a whole number ("3"). An own gear is drawn as a solid step line with
   * large points, so it stays visible where it lies on top of an average.
   */
  kind?: 'average' | 'gear';
}

export interface ChartOptions {
  kind: 'line' | 'bar';
  caption: string;
  labels: string[];
  series: Series[];
  yMax?: number;
  /** What the values are: gears (1–5, the default) or a rate from 0 (incidents per 100). */
  scale?: 'gear' | 'rate';
  /** Whether the table under the chart starts open (a redrawn chart keeps what the user chose). */
  tableOpen?: boolean;
  /** The caption shown above the chart (also on paper); none when the section's text says it. */
  figcaption?: string;
}

/** How a value of a series reads: a whole gear as "3", an average or rate as "3,25". */
function formatterOf(series: Series | undefined): (value: number | null) => string {
  return series?.kind === 'gear' ? formatGear : formatAverage;
}

/**
 * A chart with its data as a table underneath (in a disclosure), so the numbers are there for
 * screen readers, keyboard users and print, not only as pixels. On paper the table is printed
 * open and the chart is drawn again at the width of the page.
 */
export function chartWithTable(options: ChartOptions): HTMLElement {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${options.caption} (grafiek; de cijfers staan in de tabel eronder)`,
  });
  const table = dataTable<number>({
    caption: options.caption,
    columns: [
      { head: '', cell: (i) => options.labels[i], rowHeader: true },
      ...options.series.map((s) => ({
        head: s.label,
        cell: (i: number) => formatterOf(s)(s.values[i] ?? null),
        num: true,
      })),
    ],
    rows: options.labels.map((_label, i) => i),
  });
  const wrapper = h(
    'figure',
    { class: 'chart' },
    options.figcaption ? h('figcaption', null, options.figcaption) : null,
    h('div', { class: 'canvas-box' }, canvas),
    h('details', { open: options.tableOpen === true }, h('summary', null, 'Cijfers als tabel'), table),
  );
  // Drawn after the element is in the page, so the chart knows its size.
  queueMicrotask(() => remember(drawChart(canvas, options)));
  return wrapper;
}

function drawChart(canvas: HTMLCanvasElement, options: ChartOptions): Chart {
  Chart.defaults.color = token('--colour-text');
  const line = options.kind === 'line';
  return new Chart(canvas, {
    type: options.kind,
    data: {
      labels: options.labels,
      datasets: options.series.map((s, i) => {
        const style = SERIES[i % SERIES.length]!;
        const color = token(style.color);
        const gear = s.kind === 'gear';
        return {
          label: s.label,
          data: s.values,
          borderColor: color,
          backgroundColor: color,
          borderDash: line && !gear ? [...style.dash] : [],
          borderWidth: line ? (gear ? 3 : 2) : 0,
          spanGaps: true,
          stepped: line && gear ? ('middle' as const) : false,
          pointStyle: gear ? 'circle' : style.point,
          pointRadius: line ? (gear ? 4 : 3) : 0,
          pointHoverRadius: line ? (gear ? 6 : 5) : 0,
          // The own gear on top, so an average on the same value does not hide it.
          order: gear ? 0 : 1,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // A tooltip shows every series of the quarter under the pointer, not only the nearest line.
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkip: true } },
        y:
          options.scale === 'rate'
            ? {
                min: 0,
                ticks: { callback: (v) => formatAverage(Number(v)) },
                title: { display: true, text: 'Per 100 medewerkers per jaar' },
              }
            : {
                min: options.kind === 'bar' ? 0 : 1,
                max: options.yMax ?? 5,
                // Gears are whole numbers: the axis says "3", not "3,00".
                ticks: { stepSize: 1, callback: (v) => formatGear(Number(v)) },
                title: { display: true, text: 'Versnelling' },
              },
      },
      plugins: {
        // A line chart's legend shows each line as it is drawn: solid, dashed or dotted.
        legend: {
          display: options.series.length > 1,
          labels: line ? { usePointStyle: true, pointStyle: 'line', pointStyleWidth: 36 } : {},
        },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              `${ctx.dataset.label}: ${formatterOf(options.series[ctx.datasetIndex])(ctx.parsed.y ?? null)}`,
          },
        },
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Printing. A canvas keeps the size it was drawn at: chart.js redraws on a resize of its box, but
// the browser lays out the printed page without telling it, so a chart drawn for a wide screen is
// cut off on A4. Before printing every chart is drawn again at the width of the paper (and
// sharper), its table is opened; afterwards both go back to how they were.

/** The charts on the page; a chart whose canvas left the page is destroyed the next time. */
const live = new Set<Chart>();
/** The tables opened for printing, closed again afterwards. */
const openedForPrint = new Set<HTMLDetailsElement>();
let printing = false;

/**
 * The widest a chart is on paper, in CSS pixels (app.css: .canvas-box in print, 178mm: A4 inside
 * its 12mm margins and a card's padding). The box has that width in print too, so chart.js's own
 * resizing, which follows the box, agrees with the size given here.
 */
const PRINT_WIDTH = Math.floor((178 * 96) / 25.4);
/** The height of a chart on paper (app.css: .canvas-box in print), in CSS pixels. */
const PRINT_HEIGHT = (60 * 96) / 25.4;

function remember(chart: Chart): void {
  prune();
  live.add(chart);
  if (printing) sizeForPrint(chart);
  // Seen once the frame is drawn: a chart replaced later (another period) is then let go.
  requestAnimationFrame(() => {
    if (chart.canvas?.isConnected) shown.add(chart.canvas);
  });
}

/** Canvases seen in the page: a chart is drawn before its page is shown, so absence alone says nothing. */
const shown = new WeakSet<HTMLCanvasElement>();

function prune(): void {
  for (const chart of live) {
    if (chart.canvas.isConnected) shown.add(chart.canvas);
    else if (shown.has(chart.canvas)) {
      live.delete(chart);
      chart.destroy();
    }
  }
}

/**
 * The chart at the printed size: its box's size when the print layout is already applied (print
 * media emulated, or the media query fired), otherwise at most the width of the paper.
 */
function sizeForPrint(chart: Chart): void {
  const box = chart.canvas.parentElement;
  if (!box) return;
  const printLayout = window.matchMedia('print').matches;
  const width = Math.min(box.clientWidth || PRINT_WIDTH, PRINT_WIDTH);
  const height = printLayout && box.clientHeight > 0 ? box.clientHeight : PRINT_HEIGHT;
  chart.options.devicePixelRatio = Math.max(window.devicePixelRatio, 2);
  chart.resize(Math.floor(width), Math.floor(height));
}

function beforePrint(): void {
  prune();
  printing = true;
  for (const chart of live) {
    sizeForPrint(chart);
    const details = chart.canvas.closest('figure.chart')?.querySelector('details');
    if (details && !details.open) {
      details.open = true;
      openedForPrint.add(details);
    }
  }
}

function afterPrint(): void {
  if (!printing) return;
  printing = false;
  for (const details of openedForPrint) details.open = false;
  openedForPrint.clear();
  prune();
  for (const chart of live) {
    chart.options.devicePixelRatio = undefined;
    // Without a size chart.js takes its box's size again.
    chart.resize();
  }
}

window.addEventListener('beforeprint', beforePrint);
window.addEventListener('afterprint', afterPrint);
// Some browsers lay out the print before (or without) `beforeprint`; the media query follows the
// layout itself.
window.matchMedia('print').addEventListener('change', (event) => {
  if (event.matches) beforePrint();
  else afterPrint();
});
