import { get } from '../api.ts';
import { chartWithTable } from '../charts.ts';
import { h } from '../dom.ts';
import { formatQuarter, quarterOfDate } from '../format.ts';
import type { View } from '../router.ts';

interface Criterion {
  key: string;
  text: string;
  measure: string;
  guidance: string;
}
interface Model {
  id: string;
  version: number;
  gears: Array<{ gear: number; name: string; description: string; criteria: Criterion[] }>;
}
interface Status {
  id: number;
  name: string;
  sector: string;
  sectorId: number;
  quarter: string;
  gear: number | null;
  gearName: string | null;
  carriedFrom: string | null;
  model: { id: string; version: number } | null;
  met: string[];
  partial: string[];
  nextSteps: Array<Criterion & { gear: number }>;
  progress: { met: number; total: number };
}
interface History {
  from: string;
  to: string;
  quarters: Array<{ quarter: string; gear: number | null; carriedFrom: string | null }>;
}
interface Cell {
  quarter: string;
  n: number;
  average: number | null;
}
interface Matrix {
  quarters: string[];
  sectors: Array<{ id: number; name: string; cells: Cell[] }>;
  region: { cells: Cell[] };
}

/** The quarter the current gear was first reached: the start of the last run of that gear. */
function reachedIn(history: History, gear: number | null): string | null {
  if (gear === null) return null;
  let since: string | null = null;
  for (const q of history.quarters) {
    if (q.gear === gear) since ??= q.quarter;
    else since = null;
  }
  return since;
}

function gearbox(model: Model, current: number | null): HTMLElement {
  return h(
    'ol',
    { class: 'gearbox', 'aria-label': 'Het schakelmodel: versnelling 1 tot en met 5' },
    ...model.gears.map((g) =>
      h(
        'li',
        {
          class: g.gear === current ? `gear gear-${g.gear} current` : `gear gear-${g.gear}`,
          'aria-current': g.gear === current ? 'step' : undefined,
        },
        h('span', { class: 'gear-number' }, String(g.gear)),
        h('span', { class: 'gear-name' }, g.name),
        g.gear === current ? h('span', { class: 'gear-here' }, 'huidige versnelling') : null,
      ),
    ),
  );
}

/** The organisation's own page: its gear, the next steps, what is in place and its history. */
export async function renderMyGear(view: View): Promise<void> {
  const organisationId = view.session?.user.organisationId;
  if (!organisationId) {
    view.main.append(
      h('h1', null, 'Mijn versnelling'),
      h('p', null, 'Dit account hoort niet bij een organisatie.'),
    );
    return;
  }
  const quarter = quarterOfDate(new Date());
  const [status, history] = await Promise.all([
    get<Status>(`/api/organisations/${organisationId}/status?quarter=${quarter}`),
    get<History>(`/api/organisations/${organisationId}/history`),
  ]);
  const model = await get<Model>(
    status.model ? `/api/models/${status.model.id}/${status.model.version}` : '/api/model',
  );
  const matrix = await get<Matrix>(`/api/reports/matrix?from=${history.from}&to=${history.to}`);
  const criteria = new Map(
    model.gears.flatMap((g) => g.criteria.map((c) => [c.key, { ...c, gear: g.gear }] as const)),
  );
  const since = reachedIn(history, status.gear);
  const next = status.gear !== null && status.gear < 5 ? status.gear + 1 : null;
  const sectorRow = matrix.sectors.find((s) => s.id === status.sectorId);

  view.main.append(
    h('h1', null, `Mijn versnelling: ${status.name}`),
    h('p', { class: 'print-only' }, `Stand van ${formatQuarter(quarter)}, sector ${status.sector}`),
    h(
      'section',
      { class: 'card' },
      h('h2', null, 'Waar staat u nu?'),
      status.gear === null
        ? h('p', null, 'Er is nog geen quickscan vastgelegd. De projectleider neemt die samen met u af.')
        : h(
            'p',
            { class: 'kpi' },
            'Versnelling ',
            h('strong', null, String(status.gear)),
            `: ${status.gearName ?? ''}`,
            since ? ` (sinds ${formatQuarter(since)})` : '',
            status.carriedFrom ? `. Laatste quickscan: ${formatQuarter(status.carriedFrom)}.` : '.',
          ),
      gearbox(model, status.gear),
      next
        ? h(
            'p',
            null,
            h(
              'label',
              { for: 'progress' },
              `Op weg naar versnelling ${next}: ${status.progress.met} van ${status.progress.total} criteria voldaan`,
            ),
            h('progress', { id: 'progress', max: status.progress.total, value: status.progress.met }),
          )
        : status.gear === 5
          ? h(
              'p',
              null,
              'U zit in de hoogste versnelling. Houd de ketensamenwerking vast en blijf evalueren.',
            )
          : null,
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', null, next ? `Volgende stappen naar versnelling ${next}` : 'Volgende stappen'),
      status.nextSteps.length === 0
        ? h(
            'p',
            null,
            status.gear === null
              ? 'Na de eerste quickscan ziet u hier wat u als volgende kunt doen.'
              : 'Er zijn geen volgende stappen: alles is op orde.',
          )
        : h(
            'ol',
            { class: 'steps' },
            ...status.nextSteps.map((step) =>
              h(
                'li',
                null,
                h('strong', null, step.text),
                status.partial.includes(step.key) ? h('span', { class: 'badge' }, 'deels gedaan') : null,
                h('p', null, step.guidance),
              ),
            ),
          ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', null, 'Wat er al staat'),
      status.met.length === 0
        ? h('p', null, 'Nog niets vastgelegd.')
        : h(
            'ul',
            { class: 'in-place' },
            ...status.met.map((key) => h('li', null, criteria.get(key)?.text ?? key)),
          ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', null, 'Uw versnelling door de tijd'),
      h(
        'p',
        null,
        'Vergeleken met het gemiddelde van uw sector en van de regio. Gemiddelden over minder dan 3 organisaties worden niet getoond.',
      ),
      chartWithTable({
        kind: 'line',
        caption: `Versnelling van ${status.name} per kwartaal, met sector- en regiogemiddelde`,
        labels: history.quarters.map((q) => formatQuarter(q.quarter)),
        series: [
          { label: status.name, values: history.quarters.map((q) => q.gear) },
          { label: `Gemiddelde ${status.sector}`, values: sectorRow?.cells.map((c) => c.average) ?? [] },
          { label: 'Gemiddelde regio', values: matrix.region.cells.map((c) => c.average) },
        ],
      }),
    ),
    h(
      'p',
      { class: 'no-print' },
      h('button', { type: 'button', on: { click: () => window.print() } }, 'Afdrukken (A4)'),
    ),
  );
}
