// The change history: who changed what and when, with the state before and after.
import type { Schakelmodel } from '../../../server/contracts/model.contract.ts';
import type {
  OrganisationListItem as Organisation,
  OrganisationList,
  SectorPeriodDto,
} from '../../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../../server/contracts/quickscan.contract.ts';
import type {
  RevisionAction as Action,
  AuditPage,
  RevisionEntity as Entity,
  Revision,
} from '../../../server/contracts/revision.contract.ts';
import type { Sector } from '../../../server/contracts/sector.contract.ts';
import { type DiffSide, diffAnswers } from '../../../server/domain/answer-diff.ts';
import { isQuarter } from '../../../server/domain/quarter.ts';
import { targetKindName } from '../../../server/domain/targets.ts';
import { get } from '../api.ts';
import type { View } from '../router.ts';
import { field, h, notice, replace, visuallyHidden } from '../ui/dom.ts';
import { formatDate, formatDateTime, quarterText } from '../ui/format.ts';
import { answerText, metText } from '../ui/gear-diff.ts';
import { ROLE_NAMES } from '../ui/labels.ts';
import { errorText } from '../ui/messages.ts';
import { dataTable } from '../ui/table.ts';
import { periodText, sectorPeriodText } from '../ui/timeline.ts';

/** A quickscan as the history keeps it (before and after a change). */
type QuickscanSnapshot = Pick<
  Quickscan,
  'source' | 'gear' | 'conductedOn' | 'conductedBy' | 'answers' | 'remark'
> &
  Partial<Pick<Quickscan, 'model'>>;

const PAGE_SIZE = 50;

const ENTITY_NAMES: Record<Entity, string> = {
  sector: 'Sector',
  organisation: 'Organisatie',
  quickscan: 'Quickscan',
  user: 'Account',
  share_link: 'Deellink',
  incident_figures: 'Incidentcijfers',
  employees: 'Medewerkers met publieke taak',
  baseline: '0-meting',
  target: 'Doel',
  action: 'Actie',
  activity: 'Activiteit',
  resource: 'Apothekerskast',
  invitation: 'Uitnodiging',
};
const ENTITY_FILTER: Array<[Entity, string]> = [
  ['quickscan', 'Quickscans en versnellingen'],
  ['organisation', 'Organisaties'],
  ['sector', 'Sectoren'],
  ['user', 'Accounts'],
  ['share_link', 'Deellinks'],
  ['incident_figures', 'Incidentcijfers'],
  ['employees', 'Medewerkers met publieke taak'],
  ['baseline', '0-meting'],
  ['target', 'Doelen'],
  ['action', 'Acties'],
  ['activity', 'Activiteiten'],
  ['resource', 'Apothekerskast'],
  ['invitation', 'Uitnodigingen'],
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
const SOURCE_NAMES: Record<string, string> = {
  quickscan: 'quickscan',
  import: 'import',
  manual: 'handmatig vastgelegd',
};
/** The fields people read, in this order; anything else (ids, versions) is left out. */
const FIELD_NAMES: Record<string, string> = {
  name: 'Naam',
  sectorId: 'Sector',
  email: 'E-mailadres',
  role: 'Rol',
  organisationId: 'Organisatie',
  disabled: 'Uitgeschakeld',
  twoFactor: 'Twee-staps-inloggen',
  contactName: 'Contactpersoon',
  contactEmail: 'E-mail contactpersoon',
  contactPhone: 'Telefoon contactpersoon',
  memberFrom: 'Lid sinds',
  memberUntil: 'Lid tot en met',
  memberships: 'Lidmaatschapsperiodes',
  sectorHistory: 'Sector door de tijd',
  archived: 'Gearchiveerd',
  notes: 'Notities',
  label: 'Omschrijving',
  expiresAt: 'Geldig tot',
  revokedAt: 'Ingetrokken op',
  verbal: 'Verbale agressie',
  threat: 'Bedreiging/intimidatie',
  physical: 'Fysieke agressie',
  other: 'Overig',
  reports: 'Aangiftes',
  reactions48h: 'Reacties naar de dader binnen 48 uur',
  damageRecovered: 'Schade verhaald',
  year: 'Jaar',
  employees: 'Medewerkers met publieke taak',
  from: 'Vanaf',
  to: 'Tot en met',
  targetPercent: 'Doel (verandering in %)',
  kind: 'Soort doel',
  value: 'Streefwaarde',
  quarter: 'Kwartaal',
  removed: 'Vervallen',
};

function isDate(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v);
}

interface Lookups {
  organisation: (id: number | null) => string;
  sector: (id: number) => string;
  criterion: (key: string) => string;
  /** The model a quickscan was answered against, when the page has it (the active one). */
  model: (ref: Quickscan['model'] | undefined) => Schakelmodel | null;
}

/** Incident figures: null is "not registered", which is not 0. */
const INCIDENT_KEYS = new Set([
  'verbal',
  'threat',
  'physical',
  'other',
  'reports',
  'reactions48h',
  'damageRecovered',
]);

function show(key: string, value: unknown, names: Lookups): string {
  if (value === null && INCIDENT_KEYS.has(key)) return 'niet geregistreerd';
  if (value === null && key !== 'sectorId') return '(leeg)';
  if (value === undefined || value === '') return '(leeg)';
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (key === 'sectorId' && value === null) return 'de hele regio';
  if (key === 'sectorId' && typeof value === 'number') return names.sector(value);
  if ((key === 'from' || key === 'to' || key === 'quarter') && typeof value === 'string' && isQuarter(value))
    return quarterText(value);
  if (key === 'kind' && typeof value === 'string') return targetKindName(value);
  if (key === 'organisationId' && typeof value === 'number') return names.organisation(value);
  if (key === 'role') return ROLE_NAMES[String(value) as keyof typeof ROLE_NAMES] ?? String(value);
  if ((key === 'memberFrom' || key === 'memberUntil') && typeof value === 'string') return quarterText(value);
  if ((key === 'expiresAt' || key === 'revokedAt') && typeof value === 'string') return formatDateTime(value);
  if (key === 'memberships' && Array.isArray(value)) return timelineText(value, periodText);
  if (key === 'sectorHistory' && Array.isArray(value))
    return timelineText<SectorPeriodDto>(value, (p) =>
      sectorPeriodText({ ...p, sector: names.sector(p.sectorId) }),
    );
  return String(value);
}

/** An organisation's periods in a snapshot, one after another: "Q4 2015 tot en met Q2 2016; Q1 2017 tot nu". */
function timelineText<T>(items: unknown[], text: (item: T) => string): string {
  return items.length === 0 ? '(geen)' : items.map((item) => text(item as T)).join('; ');
}

/**
 * Snapshots with the whole timeline say the membership by its periods: "Lid sinds" and "Lid tot
 * en met" (the latest period only) would tell half of it.
 */
function hiddenFields(b: Record<string, unknown> | null, a: Record<string, unknown> | null): Set<string> {
  const whole = (s: Record<string, unknown> | null) => s === null || 'memberships' in s;
  return whole(b) && whole(a) ? new Set(['memberFrom', 'memberUntil']) : new Set();
}

/** "Naam: A → B", with the arrow also said in words for screen readers. */
function changeLine(label: string, before: string | null, after: string | null): HTMLElement {
  if (before === null) return h('li', null, h('span', { class: 'change-what' }, `${label}: `), after ?? '');
  if (after === null) return h('li', null, h('span', { class: 'change-what' }, `${label}: `), before);
  return h(
    'li',
    null,
    h('span', { class: 'change-what' }, `${label}: `),
    h('span', null, before),
    h('span', { 'aria-hidden': 'true' }, ' → '),
    visuallyHidden(' wordt '),
    h('span', null, after),
  );
}

function fieldChanges(before: unknown, after: unknown, names: Lookups): HTMLElement[] {
  const b = (before ?? null) as Record<string, unknown> | null;
  const a = (after ?? null) as Record<string, unknown> | null;
  const lines: HTMLElement[] = [];
  const hidden = hiddenFields(b, a);
  for (const [key, label] of Object.entries(FIELD_NAMES)) {
    if (hidden.has(key)) continue;
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

/** The answers of a snapshot for the diff, read with its own model when the page has that. */
function answersSide(q: QuickscanSnapshot, names: Lookups): DiffSide {
  return { model: names.model(q.model), answers: q.answers };
}

/**
 * The criteria whose answer changed (before → after, and whether that made them met or not, as
 * "Waarom veranderde de versnelling?" says it) and the notes that changed, in model order.
 */
function answerChanges(b: QuickscanSnapshot, a: QuickscanSnapshot, names: Lookups): HTMLElement[] {
  const lines: HTMLElement[] = [];
  for (const d of diffAnswers(answersSide(b, names), answersSide(a, names))) {
    if (d.changed) {
      lines.push(
        changeLine(names.criterion(d.key), answerText(d.from), `${answerText(d.to)} (${metText(d)})`),
      );
    }
    const before = b.answers?.[d.key]?.note ?? null;
    const after = a.answers?.[d.key]?.note ?? null;
    if (before !== after) lines.push(changeLine(`${d.key}, notitie`, before ?? '(leeg)', after ?? '(leeg)'));
  }
  return lines;
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
  const changed = answerChanges(b, a, names);
  if (changed.length) {
    lines.push(
      h(
        'li',
        null,
        h('span', { class: 'change-what' }, 'Gewijzigd in de antwoorden:'),
        h('ul', { class: 'change-sublist' }, ...changed),
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
  if (r.quarter) where.push(quarterText(r.quarter));
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
    ? h('ul', { class: 'change-list' }, ...lines)
    : h('span', null, r.action === 'password_reset' ? 'Wachtwoord vervangen (niet zichtbaar)' : '–');
  return { what, change };
}

/** The filters of the page, as they are in the address. */
interface Filters {
  organisationId: string;
  entity: Entity | '';
  from: string;
  to: string;
  page: number;
}

function readFilters(q: URLSearchParams): Filters {
  return {
    organisationId: q.get('organisatie') ?? '',
    entity: (q.get('soort') ?? '') as Entity | '',
    from: q.get('van') ?? '',
    to: q.get('tot') ?? '',
    page: Math.max(1, Number(q.get('pagina')) || 1),
  };
}

function urlOf(params: URLSearchParams): string {
  const s = params.toString();
  return `/wijzigingen${s ? `?${s}` : ''}`;
}

export async function renderChanges(view: View): Promise<void> {
  const filters = readFilters(view.query);
  const status = h('div', { 'aria-live': 'polite' });
  const results = h('div');
  const form = filterForm(view, filters);
  view.main.append(
    h('h1', null, 'Wijzigingen'),
    h(
      'p',
      null,
      'Wie wat veranderde en wanneer, met de stand ervoor en erna. De nieuwste wijziging staat bovenaan.',
    ),
    form.element,
    status,
    results,
  );

  const { from, to } = filters;
  if (from && to && isDate(from) && isDate(to) && to < from) {
    form.fromInput.setAttribute('aria-invalid', 'true');
    status.append(notice('error', 'De einddatum ligt vóór de begindatum. Kies een andere periode.'));
    return;
  }
  let data: Awaited<ReturnType<typeof load>>;
  try {
    data = await load(filters);
  } catch (err) {
    status.append(notice('error', errorText(err, 'De wijzigingen konden niet worden geladen.')));
    return;
  }
  form.offerOrganisations(data.organisations);
  const hasNext = data.items.length > PAGE_SIZE;
  const shown = data.items.slice(0, PAGE_SIZE);
  replace(
    results,
    shown.length === 0
      ? noChanges(filters, view.query)
      : changesTable(shown, (filters.page - 1) * PAGE_SIZE + 1, lookups(data)),
    pager(view.query, filters.page, hasNext),
  );
}

/** What an empty result means, and what to do next. */
function noChanges(filters: Filters, query: URLSearchParams): HTMLElement {
  if (filters.page > 1) {
    const first = new URLSearchParams(query);
    first.delete('pagina');
    return h(
      'p',
      null,
      'Op deze pagina staan geen wijzigingen meer. ',
      h('a', { href: urlOf(first) }, 'Naar de eerste pagina'),
      '.',
    );
  }
  const filtered = filters.organisationId || filters.entity || filters.from || filters.to;
  return filtered
    ? h(
        'p',
        null,
        'Geen wijzigingen gevonden met deze filters. Kies een andere organisatie, soort of periode, of ',
        h('a', { href: '/wijzigingen' }, 'wis de filters'),
        '.',
      )
    : h(
        'p',
        null,
        'Er is nog niets gewijzigd. Zodra er organisaties, sectoren, quickscans of accounts worden toegevoegd of gewijzigd, staat hier wie wat deed en wanneer. Begin bij ',
        h('a', { href: '/organisaties/nieuw' }, 'een organisatie toevoegen'),
        '.',
      );
}

/** The filter form; the organisations are offered once they are loaded. */
function filterForm(view: View, filters: Filters) {
  const orgSelect = h(
    'select',
    { name: 'organisatie', class: 'select-fit' },
    h('option', { value: '' }, 'Alle organisaties'),
  );
  const kindSelect = h(
    'select',
    { name: 'soort', class: 'select-fit' },
    h('option', { value: '' }, 'Alles'),
    ...ENTITY_FILTER.map(([value, label]) =>
      h('option', { value, selected: value === filters.entity }, label),
    ),
  );
  const dateInput = (name: string, value: string) =>
    h('input', { type: 'date', name, value: isDate(value) ? value : '', class: 'input-auto' });
  const fromInput = dateInput('van', filters.from);
  const toInput = dateInput('tot', filters.to);
  /** The filters as chosen in the form, from the first page. */
  const filterUrl = () => {
    const params = new URLSearchParams();
    for (const control of [orgSelect, kindSelect, fromInput, toInput]) {
      if (control.value) params.set(control.name, control.value);
    }
    return urlOf(params);
  };
  const element = h(
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
    h('a', { href: '/wijzigingen', class: 'controls-link' }, 'Filters wissen'),
  );
  const offerOrganisations = (organisations: Organisation[]) => {
    for (const o of [...organisations].sort((a, b) => a.name.localeCompare(b.name, 'nl'))) {
      orgSelect.append(
        h(
          'option',
          { value: String(o.id), selected: String(o.id) === filters.organisationId },
          o.archived ? `${o.name} (gearchiveerd)` : o.name,
        ),
      );
    }
  };
  return { element, fromInput, offerOrganisations };
}

async function load(filters: Filters) {
  const params = new URLSearchParams();
  if (filters.organisationId) params.set('organisationId', filters.organisationId);
  if (filters.entity) params.set('entity', filters.entity);
  if (isDate(filters.from)) params.set('from', filters.from);
  if (isDate(filters.to)) params.set('to', filters.to);
  params.set('limit', String(PAGE_SIZE + 1));
  params.set('offset', String((filters.page - 1) * PAGE_SIZE));
  const [organisations, sectors, model, items] = await Promise.all([
    get<OrganisationList>('/api/organisations?includeArchived=true').then((r) => r.items),
    get<Sector[]>('/api/sectors').catch((): Sector[] => []),
    get<Schakelmodel>('/api/model').catch(() => null),
    get<AuditPage>(`/api/audit?${params}`).then((r) => r.items),
  ]);
  return { organisations, sectors, model, items };
}

/** Names for the ids and keys in the history. */
function lookups(data: {
  organisations: Organisation[];
  sectors: Sector[];
  model: Schakelmodel | null;
}): Lookups {
  const criteria = new Map<string, string>();
  for (const g of data.model?.gears ?? []) for (const c of g.criteria) criteria.set(c.key, c.text);
  return {
    organisation: (id) =>
      id === null ? '' : (data.organisations.find((o) => o.id === id)?.name ?? `organisatie ${id}`),
    sector: (id) => data.sectors.find((s) => s.id === id)?.name ?? `sector ${id}`,
    model: (ref) =>
      data.model && ref && ref.id === data.model.id && ref.version === data.model.version ? data.model : null,
    criterion: (key) => {
      const text = criteria.get(key);
      return text ? `${key} (${text.replace(/\.$/, '')})` : key;
    },
  };
}

function changesTable(shown: Revision[], first: number, names: Lookups): HTMLElement {
  const described = new Map(shown.map((r) => [r, describe(r, names)]));
  return dataTable<Revision>({
    class: 'stack-cards changes',
    caption: `Wijzigingen ${first} tot en met ${first + shown.length - 1}, nieuwste eerst`,
    columns: [
      { head: 'Wanneer', label: 'Wanneer', class: 'nowrap changes-when', cell: (r) => formatDateTime(r.at) },
      { head: 'Wie', label: 'Wie', class: 'changes-who', cell: (r) => r.actor },
      { head: 'Wat', label: 'Wat', class: 'label-above changes-what', cell: (r) => described.get(r)?.what },
      {
        head: 'Voor en na',
        label: 'Voor en na',
        class: 'label-above wrap changes-change',
        cell: (r) => described.get(r)?.change,
      },
    ],
    rows: shown,
  });
}

/** Links to the previous and next page, with the same filters. */
function pager(query: URLSearchParams, page: number, hasNext: boolean): HTMLElement | null {
  if (page === 1 && !hasNext) return null;
  const pageUrl = (p: number) => {
    const params = new URLSearchParams(query);
    if (p > 1) params.set('pagina', String(p));
    else params.delete('pagina');
    return urlOf(params);
  };
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pagina’s met wijzigingen' },
    page > 1 ? h('a', { href: pageUrl(page - 1), rel: 'prev' }, 'Vorige') : null,
    h('span', null, `Pagina ${page}`),
    hasNext ? h('a', { href: pageUrl(page + 1), rel: 'next' }, 'Volgende') : null,
  );
}
