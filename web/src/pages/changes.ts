import { ApiError, get } from '../api.ts';
import { field, h, notice } from '../dom.ts';
import { formatDate, formatDateTime, formatQuarter } from '../format.ts';
import type { View } from '../router.ts';

type Entity = 'sector' | 'organisation' | 'quickscan' | 'user' | 'share_link';
type Action =
  | 'create'
  | 'update'
  | 'delete'
  | 'archive'
  | 'restore'
  | 'disable'
  | 'enable'
  | 'revoke'
  | 'password_reset';

interface Revision {
  id: number;
  entity: Entity;
  entityId: number;
  organisationId: number | null;
  quarter: string | null;
  action: Action;
  before: unknown;
  after: unknown;
  actor: string;
  at: string;
}
interface Organisation {
  id: number;
  name: string;
  archived: boolean;
}
interface Sector {
  id: number;
  name: string;
}
interface Model {
  gears: Array<{ gear: number; criteria: Array<{ key: string; text: string }> }>;
}
interface Answer {
  answer: string;
  note: string | null;
}
interface QuickscanSnapshot {
  source: 'quickscan' | 'import' | 'manual';
  gear: number;
  conductedOn: string | null;
  conductedBy: string | null;
  answers: Record<string, Answer> | null;
  remark: string | null;
}

const PAGE_SIZE = 50;

const ENTITY_NAMES: Record<Entity, string> = {
  sector: 'Sector',
  organisation: 'Organisatie',
  quickscan: 'Quickscan',
  user: 'Account',
  share_link: 'Deellink',
};
const ENTITY_FILTER: Array<[Entity, string]> = [
  ['quickscan', 'Quickscans en versnellingen'],
  ['organisation', 'Organisaties'],
  ['sector', 'Sectoren'],
  ['user', 'Accounts'],
  ['share_link', 'Deellinks'],
];
const ACTION_NAMES: Record<Action, string> = {
  create: 'toegevoegd',
  update: 'gewijzigd',
  delete: 'verwijderd',
  archive: 'gearchiveerd',
  restore: 'teruggezet',
  disable: 'uitgeschakeld',
  enable: 'ingeschakeld',
  revoke: 'ingetrokken',
  password_reset: 'nieuw wachtwoord ingesteld',
};
const ANSWER_NAMES: Record<string, string> = { ja: 'ja', deels: 'deels', nee: 'nee', nvt: 'n.v.t.' };
const SOURCE_NAMES: Record<string, string> = {
  quickscan: 'quickscan',
  import: 'import',
  manual: 'handmatig vastgelegd',
};
const ROLE_NAMES: Record<string, string> = {
  projectleider: 'Projectleider',
  bestuur: 'Bestuur',
  organisatie: 'Organisatie',
};
/** The fields people read, in this order; anything else (ids, versions) is left out. */
const FIELD_NAMES: Record<string, string> = {
  name: 'Naam',
  sectorId: 'Sector',
  email: 'E-mailadres',
  role: 'Rol',
  organisationId: 'Organisatie',
  disabled: 'Uitgeschakeld',
  contactName: 'Contactpersoon',
  contactEmail: 'E-mail contactpersoon',
  contactPhone: 'Telefoon contactpersoon',
  memberFrom: 'Lid sinds',
  memberUntil: 'Lid tot en met',
  archived: 'Gearchiveerd',
  notes: 'Notities',
  label: 'Omschrijving',
  expiresAt: 'Geldig tot',
  revokedAt: 'Ingetrokken op',
};

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isDate(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v);
}

interface Lookups {
  organisation: (id: number | null) => string;
  sector: (id: number) => string;
  criterion: (key: string) => string;
}

function show(key: string, value: unknown, names: Lookups): string {
  if (value === null || value === undefined || value === '') return '(leeg)';
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (key === 'sectorId' && typeof value === 'number') return names.sector(value);
  if (key === 'organisationId' && typeof value === 'number') return names.organisation(value);
  if (key === 'role') return ROLE_NAMES[String(value)] ?? String(value);
  if ((key === 'memberFrom' || key === 'memberUntil') && typeof value === 'string')
    return formatQuarter(value);
  if ((key === 'expiresAt' || key === 'revokedAt') && typeof value === 'string') return formatDateTime(value);
  return String(value);
}

/** "Naam: A → B", with the arrow also said in words for screen readers. */
function changeLine(label: string, before: string | null, after: string | null): HTMLElement {
  if (before === null) return h('li', null, h('span', { class: 'adm-what' }, `${label}: `), after ?? '');
  if (after === null) return h('li', null, h('span', { class: 'adm-what' }, `${label}: `), before);
  return h(
    'li',
    null,
    h('span', { class: 'adm-what' }, `${label}: `),
    h('span', { class: 'adm-before' }, before),
    h('span', { class: 'adm-arrow', 'aria-hidden': 'true' }, ' → '),
    h('span', { class: 'adm-vh' }, ' wordt '),
    h('span', { class: 'adm-after' }, after),
  );
}

function fieldChanges(before: unknown, after: unknown, names: Lookups): HTMLElement[] {
  const b = (before ?? null) as Record<string, unknown> | null;
  const a = (after ?? null) as Record<string, unknown> | null;
  const lines: HTMLElement[] = [];
  for (const [key, label] of Object.entries(FIELD_NAMES)) {
    const inB = b !== null && key in b;
    const inA = a !== null && key in a;
    if (!inB && !inA) continue;
    if (b && a) {
      if (JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
      lines.push(changeLine(label, show(key, b[key], names), show(key, a[key], names)));
    } else if (a) {
      if (a[key] === null || a[key] === '' || a[key] === false) continue;
      lines.push(changeLine(label, null, show(key, a[key], names)));
    } else if (b) {
      if (b[key] === null || b[key] === '' || b[key] === false) continue;
      lines.push(changeLine(label, show(key, b[key], names), null));
    }
  }
  return lines;
}

function gearText(q: QuickscanSnapshot): string {
  return `${q.gear}${q.source !== 'quickscan' ? ` (${SOURCE_NAMES[q.source] ?? q.source})` : ''}`;
}

function answerText(a: Answer | undefined): string {
  if (!a) return 'geen antwoord';
  return ANSWER_NAMES[a.answer] ?? a.answer;
}

function quickscanChanges(before: unknown, after: unknown, names: Lookups): HTMLElement[] {
  const b = before as QuickscanSnapshot | null;
  const a = after as QuickscanSnapshot | null;
  const lines: HTMLElement[] = [];
  if (!b && a) {
    lines.push(changeLine('Versnelling', null, gearText(a)));
    const n = Object.keys(a.answers ?? {}).length;
    if (n) lines.push(changeLine('Antwoorden', null, String(n)));
    if (a.remark) lines.push(changeLine('Opmerking', null, a.remark));
    return lines;
  }
  if (b && !a) {
    lines.push(changeLine('Versnelling', gearText(b), null));
    return lines;
  }
  if (!b || !a) return lines;
  if (b.gear !== a.gear || b.source !== a.source) {
    lines.push(changeLine('Versnelling', gearText(b), gearText(a)));
  } else {
    lines.push(changeLine('Versnelling', null, `${gearText(a)} (ongewijzigd)`));
  }
  const ba = b.answers ?? {};
  const aa = a.answers ?? {};
  const keys = [...new Set([...Object.keys(ba), ...Object.keys(aa)])].sort();
  const changed: HTMLElement[] = [];
  for (const key of keys) {
    const x = ba[key];
    const y = aa[key];
    if (x?.answer !== y?.answer) {
      changed.push(changeLine(names.criterion(key), answerText(x), answerText(y)));
    }
    if ((x?.note ?? null) !== (y?.note ?? null)) {
      changed.push(changeLine(`${key}, notitie`, x?.note ?? '(leeg)', y?.note ?? '(leeg)'));
    }
  }
  if (changed.length) {
    lines.push(
      h(
        'li',
        null,
        h('span', { class: 'adm-what' }, 'Gewijzigd in de antwoorden:'),
        h('ul', { class: 'adm-sublist' }, ...changed),
      ),
    );
  }
  if ((b.remark ?? null) !== (a.remark ?? null)) {
    lines.push(changeLine('Opmerking', b.remark ?? '(leeg)', a.remark ?? '(leeg)'));
  }
  if ((b.conductedOn ?? null) !== (a.conductedOn ?? null)) {
    lines.push(
      changeLine(
        'Afgenomen op',
        b.conductedOn ? formatDate(b.conductedOn) : '(leeg)',
        a.conductedOn ? formatDate(a.conductedOn) : '(leeg)',
      ),
    );
  }
  return lines;
}

function describe(r: Revision, names: Lookups): { what: HTMLElement; change: HTMLElement } {
  const snapshot = (r.after ?? r.before ?? {}) as Record<string, unknown>;
  const subject =
    r.entity === 'user'
      ? String(snapshot.email ?? '')
      : r.entity === 'sector'
        ? String(snapshot.name ?? '')
        : r.entity === 'share_link'
          ? String(snapshot.label ?? '')
          : '';
  const isDirect =
    r.entity === 'quickscan' && (snapshot as unknown as QuickscanSnapshot).source !== 'quickscan';
  const title =
    r.action === 'password_reset'
      ? 'Wachtwoord opnieuw ingesteld'
      : r.entity === 'share_link' && r.action === 'create'
        ? 'Deellink gemaakt'
        : `${isDirect ? 'Versnelling' : ENTITY_NAMES[r.entity]} ${ACTION_NAMES[r.action]}`;
  const where: string[] = [];
  if (subject) where.push(subject);
  if (r.organisationId !== null && r.entity !== 'organisation')
    where.push(names.organisation(r.organisationId));
  if (r.entity === 'organisation') where.push(String(snapshot.name ?? names.organisation(r.organisationId)));
  if (r.quarter) where.push(formatQuarter(r.quarter));
  const what = h(
    'div',
    null,
    h('strong', null, title),
    where.length ? h('div', null, where.join(', ')) : null,
  );
  const lines =
    r.entity === 'quickscan'
      ? quickscanChanges(r.before, r.after, names)
      : fieldChanges(r.before, r.after, names);
  const change = lines.length
    ? h('ul', { class: 'adm-change-list' }, ...lines)
    : h('span', null, r.action === 'password_reset' ? 'Wachtwoord vervangen (niet zichtbaar)' : '–');
  return { what, change };
}

/** The change history: who changed what and when, with the state before and after. */
export async function renderChanges(view: View): Promise<void> {
  const q = view.query;
  const organisationId = q.get('organisatie') ?? '';
  const entity = (q.get('soort') ?? '') as Entity | '';
  const from = q.get('van') ?? '';
  const to = q.get('tot') ?? '';
  const page = Math.max(1, Number(q.get('pagina')) || 1);

  const status = h('div', { 'aria-live': 'polite' });
  const results = h('div');
  const orgSelect = h(
    'select',
    { name: 'organisatie', class: 'adm-select' },
    h('option', { value: '' }, 'Alle organisaties'),
  );
  const kindSelect = h(
    'select',
    { name: 'soort', class: 'adm-select' },
    h('option', { value: '' }, 'Alles'),
    ...ENTITY_FILTER.map(([value, label]) => h('option', { value, selected: value === entity }, label)),
  );
  const fromInput = h('input', { type: 'date', name: 'van', value: isDate(from) ? from : '' });
  const toInput = h('input', { type: 'date', name: 'tot', value: isDate(to) ? to : '' });
  fromInput.classList.add('adm-date');
  toInput.classList.add('adm-date');

  const urlOf = (params: URLSearchParams) => {
    const s = params.toString();
    return `/wijzigingen${s ? `?${s}` : ''}`;
  };
  /** The filters as chosen in the form, from the first page. */
  const filterUrl = () => {
    const params = new URLSearchParams();
    const values = {
      organisatie: orgSelect.value,
      soort: kindSelect.value,
      van: fromInput.value,
      tot: toInput.value,
    };
    for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
    return urlOf(params);
  };
  /** The same filters as now, another page. */
  const pageUrl = (p: number) => {
    const params = new URLSearchParams(q);
    if (p > 1) params.set('pagina', String(p));
    else params.delete('pagina');
    return urlOf(params);
  };

  const form = h(
    'form',
    {
      class: 'controls',
      on: {
        submit: (event) => {
          event.preventDefault();
          view.navigate(filterUrl());
        },
      },
    },
    field('Organisatie', orgSelect),
    field('Soort wijziging', kindSelect),
    field('Van (datum)', fromInput),
    field('Tot en met (datum)', toInput),
    h('button', { type: 'submit' }, 'Toon'),
    h('a', { href: '/wijzigingen', class: 'adm-reset' }, 'Filters wissen'),
  );
  view.main.append(
    h('h1', null, 'Wijzigingen'),
    h(
      'p',
      null,
      'Wie wat veranderde en wanneer, met de stand ervoor en erna. De nieuwste wijziging staat bovenaan.',
    ),
    form,
    status,
    results,
  );

  if (from && to && isDate(from) && isDate(to) && to < from) {
    fromInput.setAttribute('aria-invalid', 'true');
    status.append(notice('error', 'De einddatum ligt vóór de begindatum. Kies een andere periode.'));
    return;
  }

  const params = new URLSearchParams();
  if (organisationId) params.set('organisationId', organisationId);
  if (entity) params.set('entity', entity);
  if (isDate(from)) params.set('from', from);
  if (isDate(to)) params.set('to', to);
  params.set('limit', String(PAGE_SIZE + 1));
  params.set('offset', String((page - 1) * PAGE_SIZE));

  let organisations: Organisation[];
  let sectors: Sector[];
  let model: Model | null;
  let items: Revision[];
  try {
    [organisations, sectors, model, items] = await Promise.all([
      get<{ items: Organisation[] }>('/api/organisations?includeArchived=true').then((r) => r.items),
      get<Sector[]>('/api/sectors').catch(() => []),
      get<Model>('/api/model').catch(() => null),
      get<{ items: Revision[] }>(`/api/audit?${params}`).then((r) => r.items),
    ]);
  } catch (err) {
    status.append(
      notice(
        'error',
        err instanceof ApiError ? sentence(err.message) : 'De wijzigingen konden niet worden geladen.',
      ),
    );
    return;
  }

  for (const o of [...organisations].sort((a, b) => a.name.localeCompare(b.name, 'nl'))) {
    orgSelect.append(
      h(
        'option',
        { value: String(o.id), selected: String(o.id) === organisationId },
        o.archived ? `${o.name} (gearchiveerd)` : o.name,
      ),
    );
  }
  const criteria = new Map<string, string>();
  for (const g of model?.gears ?? []) for (const c of g.criteria) criteria.set(c.key, c.text);
  const names: Lookups = {
    organisation: (id) =>
      id === null ? '' : (organisations.find((o) => o.id === id)?.name ?? `organisatie ${id}`),
    sector: (id) => sectors.find((s) => s.id === id)?.name ?? `sector ${id}`,
    criterion: (key) => {
      const text = criteria.get(key);
      return text ? `${key} (${text.replace(/\.$/, '')})` : key;
    },
  };

  const hasNext = items.length > PAGE_SIZE;
  const shown = items.slice(0, PAGE_SIZE);
  const first = (page - 1) * PAGE_SIZE + 1;

  if (shown.length === 0) {
    results.append(
      h(
        'p',
        null,
        page > 1
          ? 'Op deze pagina staan geen wijzigingen meer.'
          : 'Geen wijzigingen gevonden met deze filters.',
      ),
    );
  } else {
    results.append(
      h(
        'table',
        { class: 'adm-stack adm-changes' },
        h('caption', null, `Wijzigingen ${first} tot en met ${first + shown.length - 1}, nieuwste eerst`),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Wanneer'),
            h('th', { scope: 'col' }, 'Wie'),
            h('th', { scope: 'col' }, 'Wat'),
            h('th', { scope: 'col' }, 'Voor en na'),
          ),
        ),
        h(
          'tbody',
          null,
          ...shown.map((r) => {
            const { what, change } = describe(r, names);
            return h(
              'tr',
              null,
              h('td', { 'data-label': 'Wanneer', class: 'adm-nowrap' }, formatDateTime(r.at)),
              h('td', { 'data-label': 'Wie' }, r.actor),
              h('td', { 'data-label': 'Wat' }, what),
              h('td', { 'data-label': 'Voor en na', class: 'adm-wrap' }, change),
            );
          }),
        ),
      ),
    );
  }

  if (page > 1 || hasNext) {
    results.append(
      h(
        'nav',
        { class: 'adm-pager', 'aria-label': 'Pagina’s met wijzigingen' },
        page > 1 ? h('a', { href: pageUrl(page - 1), rel: 'prev', class: 'adm-pager-link' }, 'Vorige') : null,
        h('span', null, `Pagina ${page}`),
        hasNext
          ? h('a', { href: pageUrl(page + 1), rel: 'next', class: 'adm-pager-link' }, 'Volgende')
          : null,
      ),
    );
  }
}
