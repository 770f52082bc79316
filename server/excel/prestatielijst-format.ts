/**
 * The layout of a prestatielijst that the writer produces and the reader accepts, in one place,
 * so an exported list always imports again.
 */
export const SHEET = {
  list: 'Prestatielijst',
  analysis: 'Analyse',
  sectors: 'Sectoren',
  model: 'Schakelmodel',
} as const;

export const HEADER = {
  organisation: 'Organisatie',
  sector: 'Sector',
  memberFrom: 'Lid sinds',
  memberUntil: 'Lid tot',
  change: 'Verandering',
} as const;

/** Rows whose first cell starts with this are averages, not organisations. */
export const AVERAGE_PREFIX = 'Gemiddelde';

/** Fill colours per gear 1–5: a calm red-to-green scale that keeps black text readable (AA). */
export const GEAR_FILLS: Record<number, string> = {
  1: 'F4C7C3',
  2: 'FCE5CD',
  3: 'FFF2CC',
  4: 'D9EAD3',
  5: 'B6D7A8',
};
