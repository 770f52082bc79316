import { GEAR_PALETTE } from '../domain/gear-palette.ts';

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

/** Fill colours per gear 1–5: the palette the pages use too (server/domain/gear-palette.ts). */
export const GEAR_FILLS: Record<number, string> = GEAR_PALETTE;
