// The gear colours come from the palette the workbook uses too (server/domain/gear-palette.ts):
// set once at start as --gear-1 … --gear-5 on <html>, which app.css reads through .gear-fill-N.
// Setting custom properties through the CSSOM is allowed by our CSP (style-src 'self'); only
// style attributes in HTML and inline <style> elements are blocked.
import { GEAR_PALETTE } from '../../../server/domain/gear-palette.ts';

export function applyGearPalette(root: HTMLElement = document.documentElement): void {
  for (const [gear, hex] of Object.entries(GEAR_PALETTE)) root.style.setProperty(`--gear-${gear}`, `#${hex}`);
}

/** The class that fills an element with a gear's colour ("gear-fill-3"). */
export function gearFill(gear: number): string {
  return `gear-fill-${gear}`;
}
