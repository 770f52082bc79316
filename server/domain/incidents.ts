/**
 * The incident figures an organisation registers per quarter (issue 12), in the order a form and
 * the Excel show them, and what each is called. Free of zod, so the pages can import it.
 */
export const INCIDENT_FIELDS = [
  'verbal',
  'threat',
  'physical',
  'other',
  'reports',
  'reactions48h',
  'damageRecovered',
] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];

/** The kinds of incident; their sum is the quarter's registered incidents. */
export const INCIDENT_KINDS = [
  'verbal',
  'threat',
  'physical',
  'other',
] as const satisfies readonly IncidentField[];

/** What each figure is called on the pages, in the CLI and in the Excel. */
export const INCIDENT_FIELD_NAMES: Record<IncidentField, string> = {
  verbal: 'verbale agressie',
  threat: 'bedreiging/intimidatie',
  physical: 'fysieke agressie',
  other: 'overig',
  reports: 'aangiftes',
  reactions48h: 'reacties naar de dader binnen 48 uur',
  damageRecovered: 'schade verhaald',
};
