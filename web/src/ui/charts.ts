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
import { formatAverage } from './format.ts';
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

// Colours with enough contrast on white (base.css), told apart by line style as well: colour is
// never the only cue.
const SERIES = [
  { color: '--chart-1', dash: [] as number[] },
  { color: '--chart-2', dash: [6, 4] },
  { color: '--chart-3', dash: [2, 3] },
  { color: '--chart-4', dash: [10, 3, 2, 3] },
];

/**
 * This module brings chart.js (about 60% of the script): pages import it with `import()`, so
 * esbuild makes it a chunk of its own that pages without a chart never load.
 */
export type Charts = typeof import('./charts.ts');

export interface Series {
  label: string;
  values: Array<number | null>;
}

interface ChartOptions {
  kind: 'line' | 'bar';
  caption: string;
  labels: string[];
  series: Series[];
  yMax?: number;
  /** What the values are: gears (1–5, the default) or a rate from 0 (incidents per 100). */
  scale?: 'gear' | 'rate';
}

/**
 * A chart with its data as a table underneath (in a disclosure), so the numbers are there for
 * screen readers, keyboard users and print, not only as pixels.
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
        cell: (i: number) => formatAverage(s.values[i] ?? null),
        num: true,
      })),
    ],
    rows: options.labels.map((_label, i) => i),
  });
  const wrapper = h(
    'figure',
    { class: 'chart' },
    h('div', { class: 'canvas-box' }, canvas),
    h('details', null, h('summary', null, 'Cijfers als tabel'), table),
  );
  // Drawn after the element is in the page, so the chart knows its size.
  queueMicrotask(() => drawChart(canvas, options));
  return wrapper;
}

function drawChart(canvas: HTMLCanvasElement, options: ChartOptions): void {
  Chart.defaults.color = token('--colour-text');
  new Chart(canvas, {
    type: options.kind,
    data: {
      labels: options.labels,
      datasets: options.series.map((s, i) => {
        const style = SERIES[i % SERIES.length]!;
        const color = token(style.color);
        return {
          label: s.label,
          data: s.values,
          borderColor: color,
          backgroundColor: color,
          borderDash: options.kind === 'line' ? style.dash : [],
          spanGaps: true,
          pointRadius: options.kind === 'line' ? 3 : 0,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
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
                ticks: { stepSize: 1, callback: (v) => formatAverage(Number(v)) },
                title: { display: true, text: 'Versnelling' },
              },
      },
      plugins: {
        legend: { display: options.series.length > 1 },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatAverage(ctx.parsed.y as number)}` },
        },
      },
    },
  });
}
