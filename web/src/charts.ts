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
Chart.defaults.color = '#1b1b1b';
Chart.defaults.animation = false;

// Colours with enough contrast on white, told apart by line style as well (colour is never the only cue).
const SERIES = [
  { color: '#0b5394', dash: [] as number[] },
  { color: '#b35900', dash: [6, 4] },
  { color: '#38761d', dash: [2, 3] },
  { color: '#741b47', dash: [10, 3, 2, 3] },
];

export interface Series {
  label: string;
  values: Array<number | null>;
}

/**
 * A chart with its data as a table underneath (in a disclosure), so the numbers are there for
 * screen readers, keyboard users and print, not only as pixels.
 */
export function chartWithTable(options: {
  kind: 'line' | 'bar';
  caption: string;
  labels: string[];
  series: Series[];
  yMax?: number;
}): HTMLElement {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${options.caption} (grafiek; de cijfers staan in de tabel eronder)`,
  });
  const table = h(
    'table',
    null,
    h('caption', null, options.caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, ''),
        ...options.series.map((s) => h('th', { scope: 'col' }, s.label)),
      ),
    ),
    h(
      'tbody',
      null,
      ...options.labels.map((label, i) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, label),
          ...options.series.map((s) => h('td', { class: 'num' }, formatAverage(s.values[i] ?? null))),
        ),
      ),
    ),
  );
  const wrapper = h(
    'figure',
    { class: 'chart' },
    h('div', { class: 'canvas-box' }, canvas),
    h('details', null, h('summary', null, 'Cijfers als tabel'), table),
  );
  // Drawn after the element is in the page, so the chart knows its size.
  queueMicrotask(() => {
    new Chart(canvas, {
      type: options.kind,
      data: {
        labels: options.labels,
        datasets: options.series.map((s, i) => {
          const style = SERIES[i % SERIES.length]!;
          return {
            label: s.label,
            data: s.values,
            borderColor: style.color,
            backgroundColor: options.kind === 'bar' ? style.color : style.color,
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
          y: {
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
  });
  return wrapper;
}
