import type { z } from 'zod';
import { formatDate } from '../domain/date-format.ts';

// zod's validation messages as a person says them, in Dutch: "vul dit in", "mag hoogstens 300
// tekens lang zijn", "vul een heel getal van 0 tot en met 100 in". They stand next to a field, so
// they never name the field, its path, a type or an operator. A message a schema sets itself
// (`{ error: '…' }`, `.regex(re, '…')`) still wins: zod asks this map only when there is none.
// Lower case without a full stop, like every other message of the server; pages make a sentence.

type Issue = z.core.$ZodRawIssue;

const number = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 6 });

function amount(n: number | bigint): string {
  return number.format(n);
}

/** "a", "a of b", "a, b of c": the choices as a person lists them (or with "en"). */
function list(items: readonly string[], last: 'of' | 'en'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** The schema an issue is about (zod stamps it on the raw issue, untyped). */
function schemaOf(issue: Issue): unknown {
  const raw = issue as { schema?: unknown; inst?: unknown };
  return raw.schema ?? raw.inst;
}

function quoted(value: unknown): string {
  if (typeof value === 'string') return value === '' ? "'' (leeg)" : `'${value}'`;
  if (value === null) return 'niets (null)';
  return String(value);
}

/** The bounds a number schema sets with .min/.max/.positive and friends, and whether it is whole. */
function numberBounds(schema: unknown): {
  min?: { value: number; inclusive: boolean };
  max?: { value: number; inclusive: boolean };
  whole: boolean;
} {
  const checks =
    (schema as { _zod?: { def?: { checks?: Array<{ _zod?: { def?: Record<string, unknown> } }> } } })?._zod
      ?.def?.checks ?? [];
  const bounds: ReturnType<typeof numberBounds> = { whole: false };
  for (const check of checks) {
    const def = check._zod?.def ?? {};
    const value = def.value;
    const inclusive = def.inclusive === true;
    if (def.check === 'number_format' && typeof def.format === 'string' && /int/.test(def.format)) {
      bounds.whole = true;
    } else if (def.check === 'greater_than' && typeof value === 'number') {
      if (!bounds.min || value > bounds.min.value) bounds.min = { value, inclusive };
    } else if (def.check === 'less_than' && typeof value === 'number') {
      if (!bounds.max || value < bounds.max.value) bounds.max = { value, inclusive };
    }
  }
  return bounds;
}

/** "vul een heel getal van 0 tot en met 100 in", from whatever bounds the schema has. */
function numberRange(schema: unknown, fallback: { min?: number; max?: number; inclusive?: boolean }): string {
  const bounds = numberBounds(schema);
  const kind = bounds.whole ? 'een heel getal' : 'een getal';
  const min =
    bounds.min ??
    (fallback.min === undefined ? undefined : { value: fallback.min, inclusive: !!fallback.inclusive });
  const max =
    bounds.max ??
    (fallback.max === undefined ? undefined : { value: fallback.max, inclusive: !!fallback.inclusive });
  // The limits of a safe integer are no limit anyone chose: leave them out.
  const realMin = min && Math.abs(min.value) < Number.MAX_SAFE_INTEGER ? min : undefined;
  const realMax = max && Math.abs(max.value) < Number.MAX_SAFE_INTEGER ? max : undefined;
  if (realMin?.inclusive && realMax?.inclusive) {
    return `vul ${kind} van ${amount(realMin.value)} tot en met ${amount(realMax.value)} in`;
  }
  const parts: string[] = [];
  if (realMin) {
    parts.push(
      realMin.inclusive
        ? `van ${amount(realMin.value)} of meer`
        : realMin.value === 0
          ? 'groter dan 0'
          : `groter dan ${amount(realMin.value)}`,
    );
  }
  if (realMax) {
    parts.push(
      realMax.inclusive ? `van hoogstens ${amount(realMax.value)}` : `kleiner dan ${amount(realMax.value)}`,
    );
  }
  if (parts.length === 0) return bounds.whole ? 'vul een kleiner heel getal in' : 'vul een kleiner getal in';
  return `vul ${kind} ${parts.join(' en ')} in`;
}

function dateOf(value: unknown): string {
  const d = value instanceof Date ? value : new Date(Number(value));
  return Number.isNaN(d.getTime()) ? String(value) : formatDate(d.toISOString());
}

/** What goes in a field of a type, said as what to do. */
function expectedText(expected: string): string {
  switch (expected) {
    case 'string':
      return 'vul hier tekst in';
    case 'number':
      return 'vul een getal in';
    case 'int':
    case 'bigint':
      return 'vul een heel getal in';
    case 'boolean':
      return 'kies ja of nee (true of false)';
    case 'array':
      return 'hier hoort een lijst';
    case 'object':
    case 'record':
    case 'map':
      return 'hier hoort een groep gegevens (een object)';
    case 'date':
      return 'vul een geldige datum in';
    case 'null':
      return 'laat dit leeg';
    default:
      return 'dit soort waarde past hier niet';
  }
}

function sizeText(origin: string, n: number | bigint, bound: 'min' | 'max'): string {
  const count = Number(n);
  switch (origin) {
    case 'string':
      if (bound === 'min') return count <= 1 ? 'vul dit in' : `vul minstens ${amount(count)} tekens in`;
      return `mag hoogstens ${amount(count)} ${count === 1 ? 'teken' : 'tekens'} lang zijn`;
    case 'array':
    case 'set':
      if (bound === 'min')
        return count <= 1 ? 'kies of vul er minstens één in' : `geef er minstens ${amount(count)}`;
      return `geef er hoogstens ${amount(count)}`;
    case 'file':
      return bound === 'min'
        ? `het bestand moet minstens ${amount(count)} bytes groot zijn`
        : `het bestand mag hoogstens ${amount(count)} bytes groot zijn`;
    default:
      return bound === 'min' ? `moet minstens ${amount(count)} zijn` : `mag hoogstens ${amount(count)} zijn`;
  }
}

const FORMAT_TEXT: Record<string, string> = {
  email: 'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl',
  url: 'vul een geldig webadres in, zoals https://www.voorbeeld.nl',
  date: 'vul een geldige datum in',
  datetime: 'vul een geldige datum en tijd in',
  time: 'vul een geldige tijd in, zoals 14:30',
  duration: 'vul een geldige tijdsduur in',
  uuid: 'deze code klopt niet',
  guid: 'deze code klopt niet',
  jwt: 'deze code klopt niet',
  base64: 'deze code klopt niet',
  base64url: 'deze code klopt niet',
  ipv4: 'vul een geldig IP-adres in',
  ipv6: 'vul een geldig IP-adres in',
  e164: 'vul een geldig telefoonnummer in, zoals +31612345678',
  iban: 'vul een geldig IBAN in',
};

/**
 * The Dutch message for one zod issue, or undefined to leave it to zod (which then says
 * "Invalid input"; every kind we can meet has a message here).
 */
export function dutchMessage(issue: Issue): string {
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined || input === null) return 'vul dit in';
      if (issue.expected === 'number' || issue.expected === 'int') {
        const bounds = numberBounds(schemaOf(issue));
        if (bounds.min || bounds.max) return numberRange(schemaOf(issue), {});
      }
      return expectedText(issue.expected);
    case 'too_small': {
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return numberRange(schemaOf(issue), {
          min: Number(issue.minimum),
          inclusive: issue.inclusive,
        });
      }
      if (issue.origin === 'date') {
        return issue.inclusive
          ? `kies een datum op of na ${dateOf(issue.minimum)}`
          : `kies een datum na ${dateOf(issue.minimum)}`;
      }
      if (issue.origin === 'string' && input === '' && Number(issue.minimum) <= 1) return 'vul dit in';
      const min = issue.inclusive ? issue.minimum : Number(issue.minimum) + 1;
      return sizeText(issue.origin, min, 'min');
    }
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return numberRange(schemaOf(issue), { max: Number(issue.maximum), inclusive: issue.inclusive });
      }
      if (issue.origin === 'date') {
        return issue.inclusive
          ? `kies een datum op of voor ${dateOf(issue.maximum)}`
          : `kies een datum voor ${dateOf(issue.maximum)}`;
      }
      const max = issue.inclusive ? issue.maximum : Number(issue.maximum) - 1;
      return sizeText(issue.origin, max, 'max');
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with' && 'prefix' in issue) return `moet beginnen met '${issue.prefix}'`;
      if (issue.format === 'ends_with' && 'suffix' in issue) return `moet eindigen op '${issue.suffix}'`;
      if (issue.format === 'includes' && 'includes' in issue) return `moet '${issue.includes}' bevatten`;
      if (input === '' && issue.format !== 'regex') return 'vul dit in';
      return FORMAT_TEXT[issue.format] ?? 'dit heeft niet de goede vorm';
    }
    case 'not_multiple_of': {
      const divisor = Number(issue.divisor);
      if (divisor > 0 && divisor < 1) {
        const decimals = Math.round(-Math.log10(divisor));
        if (10 ** -decimals === divisor) {
          return decimals === 1
            ? 'gebruik hoogstens 1 cijfer achter de komma'
            : `gebruik hoogstens ${decimals} cijfers achter de komma`;
        }
      }
      return `vul een veelvoud van ${amount(divisor)} in`;
    }
    case 'invalid_value': {
      if (issue.values.length === 1) return `hier kan alleen ${quoted(issue.values[0])}`;
      // Choices are words (projectleider, bestuur): listed as they are, an empty one said so.
      const values = issue.values.map((v) => (typeof v === 'string' && v !== '' ? v : quoted(v)));
      return `kies een van: ${list(values, 'of')}`;
    }
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? `onbekend veld '${issue.keys[0]}'`
        : `onbekende velden: ${list(
            issue.keys.map((k) => `'${k}'`),
            'en',
          )}`;
    case 'invalid_key':
      return issue.origin === 'map'
        ? 'een sleutel in deze lijst klopt niet'
        : 'een veldnaam in deze groep klopt niet';
    case 'invalid_element':
      return 'een waarde in deze lijst klopt niet';
    case 'invalid_union': {
      if (input === undefined || input === null) return 'vul dit in';
      // The choice whose kind fits (an e-mail address among "an address, '' or null") says best
      // what is wrong with it.
      const branches =
        'errors' in issue ? (issue.errors as Array<Array<{ code: string; message: string }>>) : [];
      const fitting = branches.find(
        (issues) =>
          issues.length > 0 && issues.every((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value'),
      );
      return fitting?.[0]?.message ?? 'deze waarde past hier niet';
    }
    default:
      return 'deze waarde klopt niet';
  }
}

/** The settings for `z.config`: this map in place of zod's own (English or Dutch) locale. */
export function dutchMessages(): { localeError: (issue: Issue) => string } {
  return { localeError: dutchMessage };
}
