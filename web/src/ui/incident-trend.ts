// An organisation's incidents per 100 employees per quarter beside its sector's (anonymous, shown
// only when at least three organisations of the sector registered), as a chart with its table.
import type { IncidentTrend } from '../../../server/contracts/outcome.contract.ts';
import type { Charts } from './charts.ts';
import { h } from './dom.ts';
import { formatQuarter } from './format.ts';

export function incidentTrendBlock({ chartWithTable }: Charts, trend: IncidentTrend): HTMLElement {
  const registered = trend.quarters.filter((q) => q.per100 !== null);
  const first = trend.quarters[0];
  const last = trend.quarters[trend.quarters.length - 1];
  const period = first && last ? `${formatQuarter(first.quarter)} – ${formatQuarter(last.quarter)}` : '';
  if (registered.length === 0) {
    return h(
      'p',
      { class: 'hint' },
      `Nog geen cijfers per 100 medewerkers in ${period}: daarvoor zijn de incidenten van een kwartaal en het aantal medewerkers van dat jaar nodig.`,
    );
  }
  const sector = trend.sector ?? 'de sector';
  return h(
    'div',
    { class: 'incident-trend' },
    h('h3', null, `Uw incidenten naast ${trend.sector ? `de sector ${sector}` : 'de sector'}`),
    h(
      'p',
      { class: 'hint' },
      'Incidenten per 100 medewerkers met een publieke taak, omgerekend naar een jaar. Het sectorcijfer telt alle organisaties van de sector met cijfers in dat kwartaal en wordt alleen getoond als dat er minstens drie zijn.',
    ),
    chartWithTable({
      kind: 'line',
      scale: 'rate',
      caption: `Incidenten per 100 medewerkers per jaar, ${period}`,
      labels: trend.quarters.map((q) => formatQuarter(q.quarter)),
      series: [
        { label: 'Uw organisatie', values: trend.quarters.map((q) => q.per100) },
        { label: `Sector ${sector}`, values: trend.quarters.map((q) => q.sectorPer100) },
      ],
    }),
  );
}
