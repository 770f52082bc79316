/**
 * `demo`: fills an empty database with a fictional VPT region, "VPT-regio Rivierland".
 *
 * About 40 member organisations start in 2015-Q4 and the network grows to about 80 by the
 * current quarter (ctx.now()): most joiners come in 2016, then a few a year. Each sector has its
 * own pace: some get to around gear 4 over the years, one stays around 2.5; the region average
 * rises from about 2.5 to about 3.4. Quickscans with answers per criterion (so the next steps
 * show) come often in a member's first year and then now and then, so carried-forward gears
 * show, a few older than a year. Some organisations slip back for a while (a lapsed criterion);
 * one leaves for good (archived), one leaves and rejoins, one moves to another sector. Incident
 * figures fall with the gear; the network's work (meetings, workshops, a house visit to each
 * member every one to two years, agreed actions) runs up to today.
 *
 * Everything is fictional and deterministic: a small seeded PRNG drives every choice, so the
 * same seed and the same clock give the same region. Every write goes through the real services
 * (validation, revision history and attribution to ctx.actor included).
 */
import { type Answer, type Answers, evaluate } from '../server/domain/gear-engine.ts';
import { MEASURES } from '../server/domain/measures.ts';
import { nameKey } from '../server/domain/names.ts';
import { type ActivityKind, quarterEndDate } from '../server/domain/network-work.ts';
import {
  localDate,
  type Quarter,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
  quarterStartDate,
} from '../server/domain/quarter.ts';
import { allowsNotApplicable, type Schakelmodel } from '../server/domain/schakelmodel.ts';
import type { TargetKind } from '../server/domain/targets.ts';
import { RuleError } from '../server/errors.ts';
import { addAction, changeAction } from '../server/services/actions.service.ts';
import { addActivity } from '../server/services/activities.service.ts';
import type { ServiceContext } from '../server/services/context.ts';
import { recordEmployees, recordIncidentFigures } from '../server/services/incidents.service.ts';
import {
  archiveOrganisation,
  createOrganisation,
  listOrganisations,
  replaceTimeline,
} from '../server/services/organisations.service.ts';
import { addTarget, setBaseline } from '../server/services/outcomes.service.ts';
import { recordQuickscan } from '../server/services/quickscans.service.ts';
import { createSector, listSectors } from '../server/services/sectors.service.ts';
import { inTransaction } from '../server/services/transaction.ts';

/** The first quarter of the demo region: October 2015, like the real report. */
export const DEMO_START: Quarter = '2015-Q4';
export const DEFAULT_DEMO_SEED = 20151001;

export interface DemoResult {
  organisations: number;
  quickscans: number;
  /** Organisation-quarters with incident figures. */
  incidentQuarters: number;
  /** Organisation-years with a number of employees. */
  employeeYears: number;
  /** Activities of the network (two of them planned in the coming weeks). */
  activities: number;
  /** Agreed actions. */
  actions: number;
  from: Quarter;
  to: Quarter;
}

// ---------------------------------------------------------------------------------------------
// The fictional region
// ---------------------------------------------------------------------------------------------

interface SectorPlan {
  sector: string;
  /** Weights of the start gears 1..4 of the founders: where the sector stood in 2015. */
  start: readonly number[];
  /** Quarters it takes to shift up one gear, on average: the sector's pace. */
  pace: number;
  /** The gear most of the sector gets to within the demo period (a few go one further). */
  ceiling: number;
  /** Relative chance of reaching gear 5 (chain cooperation). */
  gear5: number;
  names: string[];
}

const REGION: SectorPlan[] = [
  {
    sector: 'Veiligheid/Justitie',
    start: [0.05, 0.2, 0.45, 0.3],
    pace: 7,
    ceiling: 4,
    gear5: 2.5,
    names: [
      'Veiligheidsregio Rivierland',
      'Penitentiaire Inrichting De Kreek',
      'Handhavingsdienst Dijkwaard',
      'Reclassering Rivierland',
      'Justitiële Jeugdinrichting De Vliet',
      'Meldkamer Rivierland',
      'Bureau Slachtofferhulp Rivierland',
    ],
  },
  {
    sector: 'Zorg',
    start: [0.1, 0.35, 0.4, 0.15],
    pace: 9,
    ceiling: 4,
    gear5: 1.2,
    names: [
      'Zorggroep De Linde',
      'Ziekenhuis Rivierland',
      'Thuiszorg Kreekmond',
      'GGZ De Overkant',
      'Huisartsenpost Dijkwaard',
      'Verpleeghuis Het Wilgenhof',
      'Zorgcentrum De Klaproos',
      'Jeugdzorg Rivierland',
      'Gehandicaptenzorg De Boomgaard',
      'Ambulancedienst Rivierland',
      'Revalidatiecentrum De Horizon',
      'GGD Rivierland',
      'Verslavingszorg De Brug',
      'Kraamzorg Het Wiegje',
      'Huisartsengroep Lindeveld',
    ],
  },
  {
    sector: 'Onderwijs',
    start: [0.3, 0.45, 0.2, 0.05],
    pace: 16,
    ceiling: 3,
    gear5: 0.4,
    names: [
      'Scholengroep Noorderlicht',
      'Lyceum Dijkwaard',
      'ROC Rivierland',
      'Hogeschool Kreekmond',
      'Stichting Primair Onderwijs De Waterlelie',
      'Vakcollege Kreekmond',
      'Christelijk College De Schans',
      'Openbare Scholengroep Veenmarken',
      'Basisscholen Het Kompas',
      'Praktijkschool De Werkplaats',
      'Montessorischool De Ontdekking',
      'Kindcentrum De Regenboog',
    ],
  },
  {
    sector: 'Openbaar Vervoer',
    start: [0, 0.1, 0.4, 0.5],
    pace: 8,
    ceiling: 4,
    gear5: 2,
    names: [
      'Vervoerbedrijf Rivierland',
      'Stadsbus Dijkwaard',
      'Veerdienst Kreekmond',
      'Regiotaxi Heidedal',
      'Streekspoor Beekmonde',
      'Buurtbus Oevervliet',
    ],
  },
  {
    sector: 'Openbaar Bestuur',
    start: [0.15, 0.4, 0.35, 0.1],
    pace: 11,
    ceiling: 4,
    gear5: 1,
    names: [
      'Gemeente Dijkwaard',
      'Gemeente Molendaal',
      'Gemeente Kreekmond',
      'Gemeente Lindeveld',
      'Gemeente Zuiderhaven',
      'Gemeente Elzenburg',
      'Gemeente Wilgendonk',
      'Gemeente Veenmarken',
      'Gemeente Heidedal',
      'Gemeente Beekmonde',
      'Gemeente Schelpwijk',
      'Gemeente Oevervliet',
      'Gemeente Klaverdam',
      'Gemeente Rietmeer',
      'Waterschap Polderwaard',
      'Omgevingsdienst Rivierland',
      'Belastingsamenwerking Rivierland',
      'Regionaal Archief Dijkwaard',
    ],
  },
  {
    sector: 'Sociale Zekerheid',
    start: [0.05, 0.45, 0.5, 0],
    pace: 40,
    ceiling: 3,
    gear5: 0.6,
    names: [
      'Sociale Dienst Dijkwaard',
      'Werkbedrijf Rivierland',
      'Intergemeentelijke Sociale Dienst Veenmarken',
      'Schuldhulpverlening Kreekmond',
      'Werkvoorzieningsschap De Schakel',
      'Participatiebedrijf Lindeveld',
      'Sociaal Wijkteam Molendaal',
      'Kredietbank Rivierland',
    ],
  },
  {
    sector: 'Woningbouwcorporaties',
    start: [0.25, 0.45, 0.25, 0.05],
    pace: 13,
    ceiling: 4,
    gear5: 0.4,
    names: [
      'Woonstichting Het Anker',
      'Dijkwaard Wonen',
      'Woonstichting De Zuiderpoort',
      'Wooncompagnie Rivierland',
      'Woonstichting Kreekzicht',
      'Woningstichting Lindehof',
      'Woonpartners Veenmarken',
      'Woonvereniging Molendaal',
      'Woonstichting Beekdal',
    ],
  },
  {
    sector: 'Anders',
    start: [0.15, 0.35, 0.4, 0.1],
    pace: 18,
    ceiling: 3,
    gear5: 0.3,
    names: [
      'Bibliotheek Rivierland',
      'Sportbedrijf Dijkwaard',
      'Stichting Welzijn Kreekmond',
      'Theater De Spiegel',
      'Afvalbedrijf Rivierland',
      'Kinderopvang Het Speelhuis',
      'Museum Het Veerhuis',
    ],
  },
];

/** The organisation that leaves the network (merged into 'Woonstichting Het Anker'). */
const LEAVER = 'Woonvereniging Molendaal';
const LEAVES_QUARTERS_AGO = 9;
/** The organisation that left for a few years (a reorganisation) and came back. */
const REJOINER = { name: 'Theater De Spiegel', until: '2019-Q2' as Quarter, rejoins: '2022-Q1' as Quarter };
/** The organisation that moved sector when it merged with the social services. */
const MOVER = { name: 'Stichting Welzijn Kreekmond', to: 'Sociale Zekerheid', from: '2020-Q1' as Quarter };

/** Criteria that do not apply to a particular organisation, with the reason (required for nvt). */
const NOT_APPLICABLE: Record<string, Record<string, string>> = {
  'Thuiszorg Kreekmond': {
    '4e': 'Geen eigen ontvangstruimte: medewerkers werken bij cliënten thuis; bejegening zit in de training.',
  },
  'Kraamzorg Het Wiegje': {
    '4e': 'Geen balie of ontvangstruimte: alle zorg wordt bij de cliënt thuis verleend.',
  },
  'Regiotaxi Heidedal': {
    '4e': 'Geen balie of wachtruimte: het contact met reizigers is in het voertuig of telefonisch.',
  },
  'Penitentiaire Inrichting De Kreek': {
    '2c': 'Geen vrije inloop van bezoekers; de gedragsregels voor gedetineerden en bezoek gelden al via het huisreglement.',
  },
  'Regionaal Archief Dijkwaard': {
    '4b': 'Geen publieksbalie met eigendommen van de organisatie; materiële schade door bezoekers komt niet voor.',
  },
};

/** What a project leader writes down when a criterion is partly met. */
const PARTLY: Record<string, string[]> = {
  '2a': [
    'Concept-protocol ligt klaar en wacht op vaststelling door de directie.',
    'Protocol is geschreven, maar nog niet formeel vastgesteld.',
  ],
  '2b': ['Huisregels in concept; nog niet vastgesteld.', 'Huisregels gelden alleen voor het hoofdkantoor.'],
  '2c': [
    'Huisregels hangen bij de hoofdingang, nog niet op de website en in de wachtruimte.',
    'Norm staat op de website, maar is op de locaties nog niet zichtbaar.',
  ],
  '2d': [
    'Meldroute bestaat, maar is nog niet bij alle afdelingen bekend.',
    'Melden kan alleen via de leidinggevende; een eenvoudig formulier volgt.',
  ],
  '3a': [
    'Registratie gebeurt per afdeling; centrale registratie in voorbereiding.',
    'Registratiesysteem gekozen, nog niet overal in gebruik.',
  ],
  '3b': [
    'Ongeveer de helft van de medewerkers met publiekscontact is getraind.',
    'Training gestart bij de balie; buitendienst volgt dit jaar.',
  ],
  '3c': [
    'Opvang direct na een incident is geregeld, nazorg nog niet vastgelegd.',
    'Opvangers aangewezen, maar nog niet getraind.',
  ],
  '3d': [
    'Standaardbrief naar de dader is er, maar gaat niet altijd binnen 48 uur de deur uit.',
    'Reactie naar de dader alleen bij ernstige incidenten.',
  ],
  '3e': [
    'Coördinator aangewezen, maar nog zonder tijd en mandaat.',
    'Taak ligt tijdelijk bij de arbo-adviseur.',
  ],
  '4a': [
    'Aangifte onder nummer is mogelijk; werkgeversaangifte nog niet geregeld.',
    'Aangifte wordt aangemoedigd, maar medewerkers worden nog niet begeleid.',
  ],
  '4b': [
    'Schade wordt soms verhaald; nog geen vaste werkwijze.',
    'Afspraken met een schadeverhaalbureau in voorbereiding.',
  ],
  '4c': [
    'Eerste analyse gemaakt; nog geen vaste rapportage aan het management.',
    'Cijfers worden verzameld, maar nog niet geanalyseerd.',
  ],
  '4d': [
    'VPT staat in het beleid, maar nog niet jaarlijks op de agenda.',
    'Eenmalig besproken in het managementteam.',
  ],
  '4e': [
    'Doorlichting van de ontvangstruimte gedaan; verbeteringen deels doorgevoerd.',
    'Nieuwe balie-inrichting gepland bij de verbouwing.',
  ],
  '5a': [
    'Contactpersoon bij de politie bekend; afspraken met het OM volgen.',
    'ELA-afspraken in concept met de politie besproken.',
  ],
  '5b': [
    'Neemt af en toe deel aan netwerkbijeenkomsten.',
    'Deelname aan het netwerk via de coördinator, wisselend.',
  ],
  '5c': [
    'Eerste evaluatie met de politie gehouden; OM nog niet betrokken.',
    'Evaluatie met ketenpartners gepland, nog niet gehouden.',
  ],
};
const PARTLY_FALLBACK = ['Gedeeltelijk op orde; afgesproken wat nog nodig is.', 'In uitvoering.'];

/** A criterion that was met and slipped back for a while ("once ja mostly stays ja"). */
const LAPSES: Record<string, string> = {
  '3e': 'Coördinator vertrokken; een opvolger is nog niet benoemd.',
  '3b': 'Veel nieuwe medewerkers nog niet getraind; herhalingstraining is gepland.',
  '3a': 'Overstap naar een nieuw registratiesysteem; meldingen tijdelijk niet centraal geregistreerd.',
  '4c': 'Analyse en rapportage dit jaar blijven liggen door personeelswisselingen.',
  '4d': 'Nieuwe directie; VPT staat dit jaar niet meer in het jaarplan.',
  '4a': 'Begeleiding bij aangifte ligt stil sinds de jurist is vertrokken.',
};
const LAPSE_FALLBACK = 'Niet meer volledig op orde; herstel is afgesproken.';

const PROJECT_LEADERS: Array<{ from: Quarter; name: string }> = [
  { from: '2015-Q4', name: 'M. de Vries (projectleider)' },
  { from: '2021-Q1', name: 'S. el Amrani (projectleider)' },
];

const FIRST_NAMES = [
  'Anouk',
  'Bas',
  'Carla',
  'Daan',
  'Esther',
  'Fatima',
  'Gerrit',
  'Hanneke',
  'Ivo',
  'Joyce',
  'Kees',
  'Lotte',
  'Mohamed',
  'Nicole',
  'Olaf',
  'Petra',
  'Ruud',
  'Sanne',
  'Tom',
  'Ilse',
  'Wim',
  'Yvonne',
  'Sevda',
  'Jeroen',
];
const SURNAMES = [
  'Jansen',
  'de Boer',
  'Visser',
  'Smit',
  'Meijer',
  'de Groot',
  'Mulder',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Leeuwen',
  'Dekker',
  'Brouwer',
  'de Wit',
  'Dijkstra',
  'Kok',
  'van der Linden',
  'Yilmaz',
  'Verhoeven',
  'Kuipers',
  'Postma',
];

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: tiny, fast and good enough for demo data. */
function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    shuffle: (items) => {
      const a = items.slice();
      for (let i = a.length - 1; i > 0; i--) {
        const j = int(0, i);
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Planning: who joins when, and how each organisation progresses criterion by criterion
// ---------------------------------------------------------------------------------------------

interface OrgPlan {
  name: string;
  /** The sector it joined in; `move` says when it went to another one. */
  sector: string;
  move: { sector: string; from: number } | null;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  /** Quarter index (quarterIndex) of the first joining. */
  join: number;
  /** The membership periods (quarter indices, `until` inclusive, null: still a member). */
  periods: Array<{ from: number; until: number | null }>;
  /** The last quarter of the organisation that left for good (it is archived); null otherwise. */
  leave: number | null;
  /** Quarter index from which a criterion is met (-Infinity: from the start, Infinity: never). */
  metFrom: Map<string, number>;
  /** Quarter index from which an unmet criterion is answered 'deels'. */
  partlyFrom: Map<string, number>;
  partlyNote: Map<string, string>;
  notApplicable: Map<string, string>;
  lapse: { key: string; from: number; until: number; note: string } | null;
  scans: Set<number>;
}

function isMember(plan: OrgPlan, q: number): boolean {
  return plan.periods.some((p) => p.from <= q && (p.until === null || q <= p.until));
}

/**
 * How many organisations join in each year after the founding quarter: most in the project year,
 * then a few a year, so the network grows from about 40 to about 80.
 */
const JOINERS_BY_YEAR: Record<number, number> = {
  2016: 8,
  2017: 6,
  2018: 5,
  2019: 4,
  2020: 3,
  2021: 4,
  2022: 3,
  2023: 3,
  2024: 3,
  2025: 2,
  2026: 1,
};
const FOUNDERS = 40;

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function contactFor(rnd: Random, orgName: string) {
  const first = rnd.pick(FIRST_NAMES);
  const last = rnd.pick(SURNAMES);
  const domain = slug(orgName.replace(/^(Gemeente|Stichting) /, ''));
  const phone = `088-${rnd.int(100, 999)} ${String(rnd.int(0, 99)).padStart(2, '0')} ${String(rnd.int(0, 99)).padStart(2, '0')}`;
  return {
    contactName: `${first} ${last}`,
    contactEmail: `${slug(first)}.${slug(last).replace(/-/g, '')}@${domain}.example.org`,
    contactPhone: phone,
  };
}

/** A gear drawn from weights for gears 1..4. */
function drawGear(rnd: Random, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rnd.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i + 1;
  }
  return weights.length;
}

/**
 * The quarter index at which each gear 2..5 is reached: -Infinity when the organisation starts
 * in it, Infinity when it does not get there in the demo period. Each step up takes about the
 * sector's pace; most stop at the sector's ceiling, a few go one further or stay one below.
 */
function gearTimes(
  rnd: Random,
  plan: { join: number; start: number; pioneer: boolean; sector: SectorPlan },
  startIdx: number,
): number[] {
  const t: number[] = [];
  const ceiling = Math.max(
    plan.start,
    Math.min(4, plan.sector.ceiling + (rnd.chance(0.2) ? 1 : rnd.chance(0.12) ? -1 : 0)),
  );
  let previous = plan.join;
  for (let gear = 2; gear <= 4; gear++) {
    if (gear <= plan.start) t[gear] = -Infinity;
    else if (gear > ceiling || previous === Infinity) t[gear] = Infinity;
    else t[gear] = previous + Math.max(1, Math.round(plan.sector.pace * (0.4 + rnd.next() * 1.2)));
    if (t[gear] !== -Infinity) previous = t[gear]!;
  }
  // Gear 5 needs chain partners (police, OM): rare.
  const reached4 = t[4] === -Infinity ? plan.join : t[4]!;
  if (plan.pioneer) t[5] = Math.max(reached4 + 1, startIdx + rnd.int(3, 8));
  else if (t[4] !== Infinity && rnd.chance(0.05 * plan.sector.gear5)) {
    t[5] = Math.max(reached4 + rnd.int(4, 12), startIdx + rnd.int(12, 40));
  } else t[5] = Infinity;
  return t;
}

/** How many founders reach gear 5 in the first years (the region's front runners). */
const PIONEERS = 2;

function planRegion(model: Schakelmodel, rnd: Random, startIdx: number, currentIdx: number): OrgPlan[] {
  const orgs: Array<{ name: string; sector: SectorPlan; join: number; founder: boolean }> = [];
  const later: Array<{ name: string; sector: SectorPlan }> = [];
  const totalNames = REGION.reduce((n, s) => n + s.names.length, 0);
  // The leaver, the rejoiner and the mover have a history from the start.
  const fixed = new Set([LEAVER, REJOINER.name, MOVER.name]);
  for (const sector of REGION) {
    const names = rnd.shuffle(sector.names.filter((n) => !fixed.has(n)));
    let founders = Math.round((sector.names.length * FOUNDERS) / totalNames);
    for (const name of sector.names.filter((n) => fixed.has(n))) {
      orgs.push({ name, sector, join: startIdx, founder: true });
      founders--;
    }
    for (const [i, name] of names.entries()) {
      if (i < founders) orgs.push({ name, sector, join: startIdx, founder: true });
      else later.push({ name, sector });
    }
  }
  // Join quarters, year by year; the later ones are clipped to the current quarter.
  const joinQuarters: number[] = [];
  for (const [year, count] of Object.entries(JOINERS_BY_YEAR)) {
    for (let i = 0; i < count; i++) joinQuarters.push(quarterIndex(`${year}-Q1` as Quarter) + rnd.int(0, 3));
  }
  joinQuarters.sort((a, b) => a - b);
  const shuffledLater = rnd.shuffle(later);
  for (const [i, o] of shuffledLater.entries()) {
    const join = joinQuarters[Math.min(i, joinQuarters.length - 1)]!;
    orgs.push({ ...o, join: Math.min(Math.max(join, startIdx + 1), currentIdx), founder: false });
  }

  const criteriaByGear = new Map(model.gears.map((g) => [g.gear, g.criteria.map((c) => c.key)]));
  const horizon = Math.max(currentIdx, startIdx + 8);

  // Joiners start a little lower than the founders of their sector: the keen ones came first.
  const starts = orgs.map((o) => {
    const gear = drawGear(rnd, o.sector.start);
    return o.founder || !rnd.chance(0.4) ? gear : Math.max(1, gear - 1);
  });
  // Front runners: founders already in gear 4, drawn with their sector's gear-5 weight.
  const pioneers = new Set(
    orgs
      .map((o, i) => ({ i, ok: o.founder && starts[i] === 4, key: rnd.next() ** (1 / o.sector.gear5) }))
      .filter((c) => c.ok)
      .sort((a, b) => b.key - a.key)
      .slice(0, PIONEERS)
      .map((c) => c.i),
  );

  return orgs.map((o, i) => {
    const start = starts[i]!;
    const t = gearTimes(rnd, { join: o.join, start, pioneer: pioneers.has(i), sector: o.sector }, startIdx);

    const notApplicable = new Map<string, string>();
    for (const [key, reason] of Object.entries(NOT_APPLICABLE[o.name] ?? {})) {
      // Only where the model allows "n.v.t." (version 2 refuses it for 2a and 5a–5c).
      const allowed = model.gears.some((g) =>
        g.criteria.some((c) => c.key === key && allowsNotApplicable(c)),
      );
      if (allowed) notApplicable.set(key, reason);
    }

    const metFrom = new Map<string, number>();
    const partlyFrom = new Map<string, number>();
    const partlyNote = new Map<string, string>();
    for (const gear of [2, 3, 4, 5] as const) {
      const keys = (criteriaByGear.get(gear) ?? []).filter((k) => !notApplicable.has(k));
      const reached = t[gear]!;
      // The criterion whose completion marks the shift up: the gear is reached exactly then.
      const pinned = keys.length > 0 ? rnd.pick(keys) : undefined;
      for (const key of keys) {
        let met: number;
        if (reached === -Infinity) met = -Infinity;
        else if (reached === Infinity) {
          met = key === pinned || !rnd.chance(gear === 5 ? 0.3 : 0.35) ? Infinity : rnd.int(o.join, horizon);
        } else met = key === pinned ? reached : reached - rnd.int(0, 4);
        metFrom.set(key, met);
        let partly = Infinity;
        if (met === Infinity) {
          if (rnd.chance(gear === 5 ? 0.35 : 0.55)) partly = rnd.int(o.join - 2, horizon);
        } else if (met > o.join) {
          partly = met - rnd.int(0, 3);
        }
        partlyFrom.set(key, partly);
        partlyNote.set(key, rnd.pick(PARTLY[key] ?? PARTLY_FALLBACK));
      }
    }

    // Regressions: some organisations slip back on a criterion of a gear they had reached, for a
    // while or (lately) not yet recovered.
    let lapse: OrgPlan['lapse'] = null;
    const lapsable = ([3, 4] as const).filter(
      (g) => t[g] !== Infinity && Math.max(t[g]!, o.join) + 3 < currentIdx,
    );
    if (lapsable.length > 0 && rnd.chance(0.25)) {
      const gear = rnd.pick(lapsable);
      const keys = (criteriaByGear.get(gear) ?? []).filter((k) => !notApplicable.has(k));
      const known = keys.filter((k) => LAPSES[k]);
      const key = rnd.pick(known.length > 0 ? known : keys);
      const earliest = Math.max(o.join, t[gear] === -Infinity ? o.join : t[gear]!, metFrom.get(key)!) + 3;
      if (earliest < currentIdx) {
        const from = rnd.int(earliest, currentIdx);
        lapse = { key, from, until: from + rnd.int(2, 6), note: LAPSES[key] ?? LAPSE_FALLBACK };
      }
    }

    let periods: OrgPlan['periods'] = [{ from: o.join, until: null }];
    let leave: number | null = null;
    if (o.name === LEAVER) {
      leave = Math.min(currentIdx, Math.max(o.join + 1, currentIdx - LEAVES_QUARTERS_AGO));
      periods = [{ from: o.join, until: leave }];
    } else if (o.name === REJOINER.name) {
      periods = [
        { from: o.join, until: quarterIndex(REJOINER.until) },
        { from: quarterIndex(REJOINER.rejoins), until: null },
      ].filter((p) => p.from <= currentIdx);
    }
    const move = o.name === MOVER.name ? { sector: MOVER.to, from: quarterIndex(MOVER.from) } : null;
    const last = leave ?? currentIdx;

    // Scans: often in the first year of a membership, then now and then (some organisations more
    // than others), and mostly when the gear moves; in the quarters between, gears carry forward.
    const rate = 0.2 + rnd.next() * 0.3;
    const moments = new Set(
      [...t.filter((x) => Number.isFinite(x)), lapse?.from, lapse?.until].filter((x) => x !== undefined),
    );
    const scans = new Set<number>();
    for (const p of periods) {
      scans.add(p.from);
      let previousScan = p.from;
      for (let q = p.from + 1; q <= (p.until ?? last); q++) {
        // At least one visit with a quickscan every two years.
        const chance = q - previousScan >= 7 ? 1 : q < p.from + 4 ? 0.6 : moments.has(q) ? 0.85 : rate;
        if (rnd.chance(chance)) {
          scans.add(q);
          previousScan = q;
        }
      }
    }

    return {
      name: o.name,
      sector: o.sector.sector,
      move,
      ...contactFor(rnd, o.name),
      join: o.join,
      periods,
      leave,
      metFrom,
      partlyFrom,
      partlyNote,
      notApplicable,
      lapse,
      scans,
    };
  });
}

/**
 * Makes sure every quarter has a quickscan, that a few members have not been scanned for more
 * than a year (their gear is old) and that the current quarter has both fresh and carried gears.
 */
function adjustScans(rnd: Random, plans: OrgPlan[], startIdx: number, currentIdx: number): void {
  const sleepers = rnd
    .shuffle(
      plans.filter((p) => p.leave === null && p.periods[0]!.from < currentIdx - 12 && p.periods.length === 1),
    )
    .slice(0, 5);
  for (const p of sleepers) {
    const quiet = rnd.int(5, 10);
    for (const q of [...p.scans]) if (q > currentIdx - quiet) p.scans.delete(q);
  }
  for (let q = startIdx; q <= currentIdx; q++) {
    const members = plans.filter((p) => isMember(p, q) && !sleepers.includes(p));
    if (members.length > 0 && !members.some((p) => p.scans.has(q))) members[0]!.scans.add(q);
  }
  const current = plans.filter((p) => p.leave === null && p.join < currentIdx);
  if (current.length > 1 && current.every((p) => p.scans.has(currentIdx))) {
    current[current.length - 1]!.scans.delete(currentIdx);
  }
}

function answersAt(model: Schakelmodel, plan: OrgPlan, q: number): Answers {
  const answers: Answers = {};
  for (const g of model.gears) {
    for (const { key } of g.criteria) {
      let answer: Answer;
      const nvt = plan.notApplicable.get(key);
      if (nvt !== undefined) answer = { answer: 'nvt', note: nvt };
      else if (plan.lapse && plan.lapse.key === key && plan.lapse.from <= q && q < plan.lapse.until) {
        answer = { answer: 'deels', note: plan.lapse.note };
      } else if ((plan.metFrom.get(key) ?? Infinity) <= q) answer = { answer: 'ja', note: null };
      else if ((plan.partlyFrom.get(key) ?? Infinity) <= q) {
        answer = { answer: 'deels', note: plan.partlyNote.get(key) ?? PARTLY_FALLBACK[0]! };
      } else answer = { answer: 'nee', note: null };
      answers[key] = answer;
    }
  }
  return answers;
}

/** A date inside the quarter, never after today. */
function dateIn(rnd: Random, q: Quarter, today: string): string {
  const year = Number(q.slice(0, 4));
  const month = (Number(q.slice(6)) - 1) * 3;
  const first = Date.UTC(year, month, 1);
  const days = Math.round((Date.UTC(year, month + 3, 1) - first) / 86_400_000);
  // Visits happen on working days, mostly in the middle of the quarter.
  let date = new Date(first + rnd.int(3, days - 10) * 86_400_000);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date = new Date(date.getTime() + 86_400_000);
  const iso = date.toISOString().slice(0, 10);
  return iso > today ? today : iso;
}

function projectLeaderIn(q: Quarter): string {
  let name = PROJECT_LEADERS[0]!.name;
  for (const p of PROJECT_LEADERS) if (q >= p.from) name = p.name;
  return name;
}

// ---------------------------------------------------------------------------------------------
// Incident figures (issue 12): employees per year, figures per quarter, the 0-meting and targets
// ---------------------------------------------------------------------------------------------

/** Registration of incidents starts with the 0-meting year. */
const INCIDENTS_START: Quarter = '2016-Q1';
const BASELINE = { from: '2016-Q1' as Quarter, to: '2016-Q4' as Quarter, targetPercent: -25 };

/** Employees with a public task, [min, max] by sector; municipalities apart (see employeeRange). */
const EMPLOYEES_BY_SECTOR: Record<string, [number, number]> = {
  Zorg: [300, 3000],
  Onderwijs: [100, 800],
  'Openbaar Vervoer': [500, 2500],
};
const MUNICIPALITY_EMPLOYEES: [number, number] = [200, 1500];
const OTHER_EMPLOYEES: [number, number] = [50, 600];

/** Incidents per 100 employees per year of an organisation in gear 1, [min, max] by sector. */
const RATE_BY_SECTOR: Record<string, [number, number]> = {
  'Openbaar Vervoer': [20, 30],
  Zorg: [15, 25],
  'Veiligheid/Justitie': [12, 22],
  'Sociale Zekerheid': [9, 14],
  Woningbouwcorporaties: [8, 12],
  Onderwijs: [6, 10],
  'Openbaar Bestuur': [6, 12],
  Anders: [4, 9],
};
/** Each gear above 1 takes this share off the rate: the measures work. */
const GEAR_EFFECT = 0.08;
/**
 * On top of the gear, the rate falls a little each year of membership (a culture that no longer
 * accepts aggression takes years): up to this share a year, drawn per organisation.
 */
const MAX_YEARLY_DECLINE = 0.04;
const KIND_SHARES = { verbal: 0.6, threat: 0.25, physical: 0.1, other: 0.05 } as const;
/** Organisations that never register incidents (not every member delivers figures). */
const NEVER_REGISTER_SHARE = 0.08;
/** Mixed into the seed for the incident figures' own random stream. */
const INCIDENT_SEED = 0x1c1d3;

type DemoFigures = {
  verbal: number;
  threat: number;
  physical: number;
  other: number | null;
  reports: number | null;
  reactions48h: number;
  damageRecovered: number | null;
};

interface IncidentPlan {
  employees: Array<{ year: number; employees: number }>;
  quarters: Array<{ q: number; figures: DemoFigures }>;
}

function employeeRange(plan: OrgPlan): [number, number] {
  if (plan.name.startsWith('Gemeente ')) return MUNICIPALITY_EMPLOYEES;
  return EMPLOYEES_BY_SECTOR[plan.sector] ?? OTHER_EMPLOYEES;
}

function yearOf(q: number): number {
  return Number(quarterFromIndex(q).slice(0, 4));
}

/** Rounds up with the chance of the fraction, so small expected numbers are not all rounded away. */
function roundRandomly(rnd: Random, x: number): number {
  return Math.floor(x + rnd.next());
}

/**
 * Per organisation its employees per membership year and its figures per registered quarter.
 * An organisation registers from when its registration criterion (3a) is at least partly met (many
 * a little earlier), not while that criterion has lapsed, and skips some quarters; a few never
 * register.
 */
function planIncidents(
  rnd: Random,
  plans: readonly OrgPlan[],
  gearAt: ReadonlyMap<OrgPlan, ReadonlyMap<number, number>>,
  currentIdx: number,
): Map<OrgPlan, IncidentPlan> {
  const never = new Set(
    rnd
      .shuffle(plans.filter((p) => p.leave === null))
      .slice(0, Math.max(1, Math.round(plans.length * NEVER_REGISTER_SHARE))),
  );
  const result = new Map<OrgPlan, IncidentPlan>();
  for (const plan of plans) {
    const last = plan.leave ?? currentIdx;
    const [min, max] = employeeRange(plan);
    let size = rnd.int(min, max);
    const employees: IncidentPlan['employees'] = [];
    for (let year = yearOf(plan.join); year <= yearOf(last); year++) {
      // Only the years of a membership (the rejoiner has none for the years it was away).
      const member = [1, 2, 3, 4].some((n) => isMember(plan, quarterIndex(`${year}-Q${n}` as Quarter)));
      if (member) employees.push({ year, employees: Math.max(1, Math.round(size)) });
      size *= 1 + (rnd.next() * 0.08 - 0.035);
    }
    const quarters: IncidentPlan['quarters'] = [];
    const [low, high] = RATE_BY_SECTOR[plan.sector] ?? [5, 10];
    const rate = low + rnd.next() * (high - low);
    const decline = rnd.next() * MAX_YEARLY_DECLINE;
    const diligence = 0.72 + rnd.next() * 0.26;
    const registersOther = rnd.chance(0.85);
    const registersReports = rnd.chance(0.9);
    const registersDamage = rnd.chance(0.7);
    // Most start registering some time after joining, before their registration is fully in order.
    const early = rnd.chance(0.6) ? plan.join + rnd.int(1, 8) : Infinity;
    const registersFrom = Math.max(
      plan.join,
      quarterIndex(INCIDENTS_START),
      Math.min(plan.metFrom.get('3a') ?? -Infinity, plan.partlyFrom.get('3a') ?? Infinity, early),
    );
    // A quarter's figures come in after it has ended: none yet for the current one.
    const lastFigures = Math.min(last, currentIdx - 1);
    for (let q = registersFrom; q <= lastFigures && !never.has(plan); q++) {
      const lapsed = plan.lapse?.key === '3a' && plan.lapse.from <= q && q < plan.lapse.until;
      if (lapsed || !isMember(plan, q) || !rnd.chance(diligence)) continue;
      const gear = gearAt.get(plan)?.get(q) ?? 1;
      const staff = employees.find((e) => e.year === yearOf(q))!.employees;
      const years = (q - Math.max(plan.join, quarterIndex(INCIDENTS_START))) / 4;
      const expected =
        (rate / 100) *
        (staff / 4) *
        (1 - GEAR_EFFECT) ** (gear - 1) *
        (1 - decline) ** years *
        (0.75 + rnd.next() * 0.5);
      const kind = (share: number) => roundRandomly(rnd, expected * share * (0.8 + rnd.next() * 0.4));
      const verbal = kind(KIND_SHARES.verbal);
      const threat = kind(KIND_SHARES.threat);
      const physical = kind(KIND_SHARES.physical);
      const other = kind(KIND_SHARES.other);
      const incidents = verbal + threat + physical + (registersOther ? other : 0);
      // Reacting to the offender within 48 hours (criterion 3d) gets better with the gear.
      const reacted = Math.min(0.7, 0.3 + 0.08 * (gear - 1) + rnd.next() * 0.1);
      quarters.push({
        q,
        figures: {
          verbal,
          threat,
          physical,
          other: registersOther ? other : null,
          reports: registersReports
            ? roundRandomly(rnd, (threat + physical) * (0.1 + rnd.next() * 0.1))
            : null,
          reactions48h: Math.round(incidents * reacted),
          damageRecovered: registersDamage ? roundRandomly(rnd, physical * rnd.next() * 0.3) : null,
        },
      });
    }
    result.set(plan, { employees, quarters });
  }
  return result;
}

/** The last quarter of next year: the demo's targets run to it. */
function targetQuarter(current: Quarter): Quarter {
  return `${Number(current.slice(0, 4)) + 1}-Q4` as Quarter;
}

const DEMO_TARGETS: Array<{ kind: TargetKind; value: number }> = [
  { kind: 'gear-share-3', value: 80 },
  { kind: 'sector-minimum', value: 3.5 },
  { kind: 'incidents-change', value: -25 },
];

/**
 * Writes the incident figures, the 0-meting and the targets through the services, in one
 * transaction: thousands of small writes, each its own commit otherwise.
 */
async function writeIncidents(
  ctx: ServiceContext,
  planned: ReadonlyMap<OrgPlan, IncidentPlan>,
  ids: ReadonlyMap<OrgPlan, number>,
  currentIdx: number,
): Promise<{ incidentQuarters: number; employeeYears: number }> {
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    let incidentQuarters = 0;
    let employeeYears = 0;
    for (const [plan, { employees, quarters }] of planned) {
      const id = ids.get(plan)!;
      for (const e of employees) {
        await recordEmployees(tx, id, e.year, { employees: e.employees });
        employeeYears++;
      }
      for (const { q, figures } of quarters) {
        await recordIncidentFigures(tx, id, quarterFromIndex(q), figures);
        incidentQuarters++;
      }
    }
    if (quarterIndex(BASELINE.to) <= currentIdx) {
      await setBaseline(tx, null, BASELINE, { keep: true });
      const quarter = targetQuarter(quarterFromIndex(currentIdx));
      for (const t of DEMO_TARGETS) await addTarget(tx, { ...t, quarter, sectorId: null });
    }
    return { incidentQuarters, employeeYears };
  });
}

// ---------------------------------------------------------------------------------------------
// The network's work (issue 13): meetings, workshops, house visits and agreed actions
// ---------------------------------------------------------------------------------------------

/** Mixed into the seed for the activities' own random stream, and for the actions'. */
const WORK_SEED = 0x3e7c5;
const ACTION_SEED = 0x5a17e;
/** Days between two house visits to a member: every one to two years or so. */
const VISIT_INTERVAL: [number, number] = [330, 800];

const VISIT_TITLES = [
  'Huisbezoek: voortgang van het actieplan',
  'Huisbezoek: quickscan doorgesproken met de directie',
  'Huisbezoek: kennismaking met de nieuwe contactpersoon',
  'Huisbezoek: incidentcijfers en de registratie besproken',
  'Huisbezoek: volgende stappen in het schakelmodel',
];
const MEETING_THEMES = [
  'Ervaringen met de werkgeversaangifte',
  'Terugblik op het jaar en de cijfers van de regio',
  'Samenwerking met politie en OM (ELA)',
  'Opvang en nazorg na een incident',
  'Gastvrijheid en de inrichting van de ontvangstruimte',
  'Reageren naar de dader: wat werkt?',
  'De norm stellen: huisregels zichtbaar maken',
];

/** What gets agreed for a criterion that is not yet met. */
const ACTION_TITLES: Record<string, string> = {
  '2a': 'Protocol agressie en geweld laten vaststellen door de directie',
  '2b': 'Huisregels vaststellen voor alle locaties',
  '2c': 'Huisregels zichtbaar maken op de website en in de wachtruimte',
  '2d': 'Eenvoudig meldformulier invoeren',
  '3a': 'Centrale registratie van incidenten inrichten',
  '3b': 'Training voor alle medewerkers met publiekscontact inplannen',
  '3c': 'Opvang en nazorg vastleggen en opvangers trainen',
  '3d': 'Standaardreactie naar de dader binnen 48 uur invoeren',
  '3e': 'Coördinator VPT aanwijzen met tijd en mandaat',
  '4a': 'Werkgeversaangifte regelen en medewerkers begeleiden',
  '4b': 'Afspraken maken over het verhalen van schade',
  '4c': 'Halfjaarlijkse analyse van de incidenten aan het MT',
  '4d': 'VPT jaarlijks op de agenda van de directie',
  '4e': 'Ontvangstruimte laten doorlichten',
  '5a': 'ELA-afspraken maken met politie en OM',
  '5b': 'Vaste deelname aan het netwerk regelen',
  '5c': 'Jaarlijkse evaluatie met de ketenpartners plannen',
};

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The date itself, or the Monday after when it falls in a weekend. */
function workingDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 6 ? addDays(date, 2) : day === 0 ? addDays(date, 1) : date;
}

function quarterOfDay(date: string): number {
  return quarterIndex(quarterOfDate(new Date(`${date}T12:00:00Z`)));
}

interface PlannedActivity {
  date: string;
  kind: ActivityKind;
  title: string;
  organisations: OrgPlan[];
  measures: string[];
  notes: string | null;
}

/**
 * The activities up to today, and two planned in the coming weeks: per year three network
 * meetings and two of the ambassadors (many members), four workshops on a measure (a few), and
 * a house visit to each member every one to two years, the first soon after joining.
 */
function planActivities(rnd: Random, plans: readonly OrgPlan[], today: string): PlannedActivity[] {
  const out: PlannedActivity[] = [];
  const membersOn = (date: string) => plans.filter((p) => isMember(p, quarterOfDay(date)));
  const attendees = (date: string, share: number) => membersOn(date).filter(() => rnd.chance(share));
  const lastYear = Number(today.slice(0, 4));
  let measure = 0;
  for (let year = Number(DEMO_START.slice(0, 4)) + 1; year <= lastYear; year++) {
    for (const [month, season] of [
      [3, 'voorjaar'],
      [6, 'zomer'],
      [11, 'najaar'],
    ] as const) {
      const date = workingDay(
        `${year}-${String(month).padStart(2, '0')}-${String(rnd.int(8, 24)).padStart(2, '0')}`,
      );
      out.push({
        date,
        kind: 'netwerkbijeenkomst',
        title: `Netwerkbijeenkomst ${season} ${year}`,
        organisations: attendees(date, 0.5 + rnd.next() * 0.25),
        measures: [rnd.pick(MEASURES).key],
        notes: `Thema: ${rnd.pick(MEETING_THEMES)}.`,
      });
    }
    for (const month of [4, 10]) {
      const date = workingDay(
        `${year}-${String(month).padStart(2, '0')}-${String(rnd.int(5, 25)).padStart(2, '0')}`,
      );
      out.push({
        date,
        kind: 'ambassadeursbijeenkomst',
        title: `Ambassadeursbijeenkomst ${month === 4 ? 'voorjaar' : 'najaar'} ${year}`,
        organisations: attendees(date, 0.3 + rnd.next() * 0.15),
        measures: [],
        notes: null,
      });
    }
    for (const month of [2, 5, 9, 11]) {
      const date = workingDay(
        `${year}-${String(month).padStart(2, '0')}-${String(rnd.int(1, 27)).padStart(2, '0')}`,
      );
      const m = MEASURES[measure++ % MEASURES.length]!;
      out.push({
        date,
        kind: 'workshop',
        title: `Workshop ${m.name}`,
        organisations: rnd.shuffle(membersOn(date)).slice(0, rnd.int(4, 12)),
        measures: [m.key],
        notes: null,
      });
    }
  }
  for (const plan of plans) {
    for (const period of plan.periods) {
      const until = period.until === null ? today : quarterEndDate(quarterFromIndex(period.until));
      let date = workingDay(addDays(quarterStartDate(quarterFromIndex(period.from)), rnd.int(10, 80)));
      let first = true;
      while (date <= until && date <= today) {
        out.push({
          date,
          kind: 'huisbezoek',
          title: first ? 'Huisbezoek: intake en eerste quickscan' : rnd.pick(VISIT_TITLES),
          organisations: [plan],
          measures: [],
          notes: null,
        });
        // A follow-up within the first year, then every one to two years.
        date = workingDay(addDays(date, first ? rnd.int(120, 300) : rnd.int(...VISIT_INTERVAL)));
        first = false;
      }
    }
  }
  const regular = out.filter((a) => a.date <= today);
  const next = workingDay(addDays(today, rnd.int(12, 20)));
  const later = workingDay(addDays(today, rnd.int(25, 40)));
  const invited = membersOn(today);
  regular.push(
    {
      date: next,
      kind: 'netwerkbijeenkomst',
      title: `Netwerkbijeenkomst: terugblik ${lastYear} en plannen ${lastYear + 1}`,
      organisations: invited.filter(() => rnd.chance(0.5)),
      measures: [],
      notes: 'Gepland; uitnodiging verstuurd.',
    },
    {
      date: later,
      kind: 'workshop',
      title: 'Workshop werkgeversaangifte',
      organisations: rnd.shuffle(invited).slice(0, 8),
      measures: ['aangifte'],
      notes: 'Gepland.',
    },
  );
  return regular.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

interface PlannedAction {
  plan: OrgPlan;
  criterion: string;
  title: string;
  due: Quarter;
  status: 'open' | 'bezig' | 'klaar';
}

/**
 * Agreed actions for about two in three current members below gear 5: one to three, on the
 * criteria they still work on; some are done, some past their due quarter.
 */
function planActions(
  rnd: Random,
  model: Schakelmodel,
  plans: readonly OrgPlan[],
  currentIdx: number,
): PlannedAction[] {
  const out: PlannedAction[] = [];
  for (const plan of plans) {
    if (plan.leave !== null || !isMember(plan, currentIdx) || !rnd.chance(0.65)) continue;
    const answers = answersAt(model, plan, currentIdx);
    const { gear } = evaluate(model, answers);
    if (gear >= 5) continue;
    const open = model.gears
      .filter((g) => g.gear > gear)
      .flatMap((g) => g.criteria.map((c) => c.key))
      .filter((k) => answers[k]?.answer === 'nee' || answers[k]?.answer === 'deels');
    for (const criterion of rnd.shuffle(open.slice(0, 4)).slice(0, rnd.int(1, 3))) {
      const due = currentIdx + rnd.int(-3, 4);
      const status =
        due < currentIdx
          ? rnd.pick(['klaar', 'klaar', 'open', 'bezig'] as const)
          : rnd.pick(['open', 'open', 'bezig', 'bezig', 'klaar'] as const);
      out.push({
        plan,
        criterion,
        title: ACTION_TITLES[criterion] ?? `Criterium ${criterion} op orde brengen`,
        due: quarterFromIndex(due),
        status,
      });
    }
  }
  return out;
}

/** Writes the activities and the actions through the services, in one transaction. */
async function writeWork(
  ctx: ServiceContext,
  activities: readonly PlannedActivity[],
  actions: readonly PlannedAction[],
  ids: ReadonlyMap<OrgPlan, number>,
): Promise<{ activities: number; actions: number }> {
  return inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    for (const a of activities) {
      await addActivity(tx, {
        date: a.date,
        kind: a.kind,
        title: a.title,
        organisationIds: a.organisations.map((p) => ids.get(p)!),
        measures: a.measures,
        notes: a.notes,
      });
    }
    for (const a of actions) {
      const { id } = await addAction(tx, ids.get(a.plan)!, {
        criterion: a.criterion,
        title: a.title,
        owner: a.plan.contactName,
        due: a.due,
      });
      if (a.status !== 'open') await changeAction(tx, id, { status: a.status }, { keep: true });
    }
    return { activities: activities.length, actions: actions.length };
  });
}

// ---------------------------------------------------------------------------------------------
// Filling the database
// ---------------------------------------------------------------------------------------------

/**
 * Fills an empty database with the demo region. Refuses (`database_not_empty`) when there are
 * organisations already, before writing anything.
 */
export async function fillDemo(ctx: ServiceContext, options: { seed?: number } = {}): Promise<DemoResult> {
  const existing = await listOrganisations(ctx, { includeArchived: true });
  if (existing.items.length > 0) {
    const n = existing.items.length;
    throw new RuleError(
      `de database bevat al ${n} organisatie${n === 1 ? '' : 's'}; de demoregio kan alleen in een lege database worden geladen`,
      'database_not_empty',
      { organisationCount: n },
    );
  }
  const to = quarterOfDate(ctx.now());
  const startIdx = quarterIndex(DEMO_START);
  const currentIdx = quarterIndex(to);
  if (currentIdx < startIdx) {
    throw new RuleError(
      `de demoregio begint in Q4 2015; het huidige kwartaal (${to}) ligt daarvoor`,
      'demo_period_invalid',
    );
  }

  const model = ctx.models.active;
  const rnd = seededRandom(options.seed ?? DEFAULT_DEMO_SEED);
  const plans = planRegion(model, rnd, startIdx, currentIdx);
  adjustScans(rnd, plans, startIdx, currentIdx);

  // The default sectors; any that was renamed away or removed is created again.
  const sectorIds = new Map<string, number>();
  const sectors = await listSectors(ctx);
  for (const plan of REGION) {
    const found = sectors.find((s) => nameKey(s.name) === nameKey(plan.sector));
    sectorIds.set(plan.sector, found ? found.id : (await createSector(ctx, plan.sector)).id);
  }

  // Organisations in the order they joined, so ids follow the region's history.
  const ordered = plans
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.join - b.p.join || a.i - b.i)
    .map(({ p }) => p);
  const today = localDate(ctx.now());
  // The gear that counts in each quarter of a membership (carried forward), which the incident
  // rates follow.
  const gearAt = new Map(ordered.map((p) => [p, new Map<number, number>()]));
  // One transaction: thousands of small writes, each its own commit otherwise.
  const { ids, quickscans } = await inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const ids = new Map<OrgPlan, number>();
    for (const plan of ordered) {
      const dto = await createOrganisation(tx, {
        name: plan.name,
        sectorId: sectorIds.get(plan.sector)!,
        contactName: plan.contactName,
        contactEmail: plan.contactEmail,
        contactPhone: plan.contactPhone,
        memberFrom: quarterFromIndex(plan.join),
      });
      ids.set(plan, dto.id);
      // The rejoiner's two periods and the mover's second sector.
      if (plan.periods.length > 1 || plan.move) {
        const sectors = [{ sectorId: sectorIds.get(plan.sector)!, from: quarterFromIndex(plan.join) }];
        if (plan.move)
          sectors.push({
            sectorId: sectorIds.get(plan.move.sector)!,
            from: quarterFromIndex(plan.move.from),
          });
        await replaceTimeline(tx, dto.id, {
          memberships: plan.periods.map((p) => ({
            from: quarterFromIndex(p.from),
            until: p.until === null ? null : quarterFromIndex(p.until),
          })),
          sectors,
        });
      }
    }

    // Quickscans quarter by quarter, as the project leader would have recorded them.
    const lastGear = new Map<OrgPlan, number>();
    let quickscans = 0;
    for (let q = startIdx; q <= currentIdx; q++) {
      const quarter = quarterFromIndex(q);
      for (const plan of ordered) {
        if (!plan.scans.has(q)) continue;
        const answers = answersAt(model, plan, q);
        const { gear } = evaluate(model, answers);
        const previous = lastGear.get(plan);
        const remark =
          previous === undefined
            ? 'Intake: eerste quickscan na aansluiting bij het netwerk.'
            : plan.periods.some((p) => p.from === q)
              ? 'Weer lid van het netwerk: quickscan bij de nieuwe start.'
              : gear > previous
                ? `Opgeschakeld van versnelling ${previous} naar ${gear}.`
                : gear < previous
                  ? `Teruggeschakeld van versnelling ${previous} naar ${gear}.`
                  : null;
        await recordQuickscan(
          tx,
          ids.get(plan)!,
          quarter,
          {
            answers,
            conductedOn: dateIn(rnd, quarter, today),
            conductedBy: projectLeaderIn(quarter),
            remark,
          },
          'record',
        );
        lastGear.set(plan, gear);
        quickscans++;
      }
      for (const plan of ordered) {
        const gear = lastGear.get(plan);
        if (gear !== undefined && isMember(plan, q)) gearAt.get(plan)!.set(q, gear);
      }
    }
    return { ids, quickscans };
  });

  // Incident figures from their own stream of the seed, so the quickscans stay as they were.
  const planned = planIncidents(
    seededRandom((options.seed ?? DEFAULT_DEMO_SEED) ^ INCIDENT_SEED),
    ordered,
    gearAt,
    currentIdx,
  );
  const { incidentQuarters, employeeYears } = await writeIncidents(ctx, planned, ids, currentIdx);

  // The network's work, from streams of their own: the visits depend on the day, the actions
  // only on the quarter.
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const work = await writeWork(
    ctx,
    planActivities(seededRandom(seed ^ WORK_SEED), ordered, today),
    planActions(seededRandom(seed ^ ACTION_SEED), model, ordered, currentIdx),
    ids,
  );

  // The one organisation that left for good: archived with its membership ending some quarters ago.
  for (const plan of ordered) {
    if (plan.leave !== null) {
      await archiveOrganisation(ctx, ids.get(plan)!, { memberUntil: quarterFromIndex(plan.leave) });
    }
  }

  return {
    organisations: ordered.length,
    quickscans,
    incidentQuarters,
    employeeYears,
    activities: work.activities,
    actions: work.actions,
    from: DEMO_START,
    to,
  };
}
