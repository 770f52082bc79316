/**
 * The colours of the gears 1–5, in one place for the pages and the prestatielijst workbook: a
 * calm red-to-green scale of light fills on which black text stays readable (WCAG AA). Hex
 * without '#', as exceljs wants it; the web adds the '#' and sets them as --gear-1 … --gear-5.
 */
export const GEAR_PALETTE = {
  1: 'F4C7C3',
  2: 'FCE5CD',
  3: 'FFF2CC',
  4: 'D9EAD3',
  5: 'B6D7A8',
} as const satisfies Record<1 | 2 | 3 | 4 | 5, string>;
