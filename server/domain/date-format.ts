import { TIME_ZONE } from './quarter.ts';

// Dates as people read them in the Netherlands ("3 december 2026", "3 dec 2026 14:05"), in the
// region's time zone: one set of formats for the CLI, the pages and the workbook.

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: TIME_ZONE,
});
const date = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: TIME_ZONE });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return date.format(new Date(iso));
}
