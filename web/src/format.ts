// Dutch formats for what people read: "3,18", "+27,04%", "Q4 2016". The same functions the
// server's export uses, from the pure domain.
export { formatAverage, formatPercent } from '../../server/domain/format.ts';
export { formatQuarter, previousQuarter, quarterOfDate, quarterRange } from '../../server/domain/quarter.ts';

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Amsterdam',
});
const date = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return date.format(new Date(iso));
}
