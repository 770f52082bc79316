/**
 * `demo`: fills an empty database with a fictional VPT region, "VPT-regio Rivierland".
 *
 * About 75 member organisations over the 8 default sectors, quickscans from 2015-Q4 up to the
 * current quarter (ctx.now()), with answers per criterion so the next steps show. About 40
 * organisations start in 2015-Q4, the network grows to ~70 during 2016 and a few join later;
 * one organisation leaves. Not every organisation is scanned every quarter, so carried-forward
 * gears show. The region mirrors the real final report in DOMAIN.md: an average gear around
 * 3.2 in Q4 2015, around 4 in Q4 2016 and a little higher afterwards.
 *
 * Everything is fictional and deterministic: a small seeded PRNG drives every choice, so the
 * same seed and the same clock give the same region. Every write goes through the real services
 * (validation, revision history and attribution to ctx.actor included).
 */
import { type Answer, type Answers, evaluate } from '../server/domain/gear-engine.ts';
import { nameKey } from '../server/domain/names.ts';
import {
  localDate,
  type Quarter,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
} from '../server/domain/quarter.ts';
import { allowsNotApplicable, type Schakelmodel } from '../server/domain/schakelmodel.ts';
import type { TargetKind } from '../server/domain/targets.ts';
import { RuleError } from '../server/errors.ts';
import type { ServiceContext } from '../server/services/context.ts';
import { recordEmployees, recordIncidentFigures } from '../server/services/incidents.service.ts';
import {
  archiveOrganisation,
  createOrganisation,
  listOrganisations,
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
  from: Quarter;
  to: Quarter;
}

// ---------------------------------------------------------------------------------------------
// The fictional region
// ---------------------------------------------------------------------------------------------

interface SectorPlan {
  sector: string;
  /** Added to the start gear's odds: >0 means a sector that was further along in 2015. */
  bias: number;
  /** Relative chance of reaching gear 5 (chain cooperation). */
  gear5: number;
  names: string[];
}

const REGION: SectorPlan[] = [
  {
    sector: 'Veiligheid/Justitie',
    bias: 0.6,
    gear5: 2.5,
    names: [
      'Veiligheidsregio Rivierland',
      'Penitentiaire Inrichting De Kreek',
      'Handhavingsdienst Dijkwaard',
      'Reclassering Rivierland',
      'Justitiële Jeugdinrichting De Vliet',
      'Meldkamer Rivierland',
    ],
  },
  {
    sector: 'Zorg',
    bias: 0.5,
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
    bias: -0.7,
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
    ],
  },
  {
    sector: 'Openbaar Vervoer',
    bias: 1.2,
    gear5: 2,
    names: [
      'Vervoerbedrijf Rivierland',
      'Stadsbus Dijkwaard',
      'Veerdienst Kreekmond',
      'Regiotaxi Heidedal',
      'Streekspoor Beekmonde',
    ],
  },
  {
    sector: 'Openbaar Bestuur',
    bias: 0,
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
    bias: -0.4,
    gear5: 0.6,
    names: [
      'Sociale Dienst Dijkwaard',
      'Werkbedrijf Rivierland',
      'Intergemeentelijke Sociale Dienst Veenmarken',
      'Schuldhulpverlening Kreekmond',
      'Werkvoorzieningsschap De Schakel',
      'Participatiebedrijf Lindeveld',
    ],
  },
  {
    sector: 'Woningbouwcorporaties',
    bias: -0.6,
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
    bias: 0.3,
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
  sector: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  /** Quarter indices (quarterIndex) of joining and, for the leaver, the last quarter of membership. */
  join: number;
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

/** How many organisations join in each quarter after the founding quarter (offset from the start). */
const JOINERS_2016: Array<[offset: number, count: number]> = [
  [1, 10],
  [2, 8],
  [3, 7],
  [4, 5],
];
/** Late joiners, as offsets from 2015-Q4 (clipped to the current quarter). */
const LATE_OFFSETS = [7, 10, 13, 20, 27, 34];

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

/** A start gear from weights for gears 1..4, nudged by the sector's bias. */
function startGear(rnd: Random, weights: readonly number[], bias: number): number {
  const shifted = weights.map((w, i) => w * Math.exp(bias * (i - 1.5) * 0.6));
  const total = shifted.reduce((a, b) => a + b, 0);
  let r = rnd.next() * total;
  for (let i = 0; i < shifted.length; i++) {
    r -= shifted[i]!;
    if (r < 0) return i + 1;
  }
  return shifted.length;
}

/**
 * The quarter index at which each gear 2..5 is reached: -Infinity when the organisation starts
 * in it, Infinity when it never gets there in the demo period. Pioneers reach gear 5 during the
 * project year; a few others get there later.
 */
function gearTimes(
  rnd: Random,
  plan: { join: number; start: number; founder: boolean; pioneer: boolean; sector: SectorPlan },
  startIdx: number,
): number[] {
  const t: number[] = [];
  let previous = plan.join;
  // Most organisations work their way up to gear 4 within a year; a few stall at gear 3.
  const stallsAt3 = rnd.chance(plan.founder ? 0.06 : 0.1);
  for (let gear = 2; gear <= 4; gear++) {
    if (gear <= plan.start) {
      t[gear] = -Infinity;
      continue;
    }
    if (gear === 4 && stallsAt3) {
      t[gear] = rnd.chance(0.45) ? Infinity : Math.max(previous + 4, startIdx + rnd.int(8, 30));
    } else {
      t[gear] = previous + rnd.int(1, 2);
    }
    previous = t[gear]!;
  }
  // Gear 5 needs chain partners (police, OM): rare.
  const reached4 = t[4] === -Infinity ? plan.join : t[4]!;
  if (plan.pioneer) t[5] = Math.max(reached4 + 1, startIdx + rnd.int(2, 4));
  else if (t[4] !== Infinity && rnd.chance(0.06 * plan.sector.gear5)) {
    t[5] = Math.max(reached4 + rnd.int(2, 6), startIdx + rnd.int(6, 36));
  } else t[5] = Infinity;
  return t;
}

/** How many founders reach gear 5 in the project year (the report's front runners). */
const PIONEERS = 4;

function planRegion(model: Schakelmodel, rnd: Random, startIdx: number, currentIdx: number): OrgPlan[] {
  const orgs: Array<{ name: string; sector: SectorPlan; join: number; founder: boolean }> = [];
  const later: Array<{ name: string; sector: SectorPlan }> = [];
  const totalNames = REGION.reduce((n, s) => n + s.names.length, 0);
  const foundersWanted = 40;
  for (const sector of REGION) {
    const names = rnd.shuffle(sector.names.filter((n) => n !== LEAVER));
    let founders = Math.round((sector.names.length * foundersWanted) / totalNames);
    if (sector.names.includes(LEAVER)) {
      orgs.push({ name: LEAVER, sector, join: startIdx, founder: true });
      founders--;
    }
    for (const [i, name] of names.entries()) {
      if (i < founders) orgs.push({ name, sector, join: startIdx, founder: true });
      else later.push({ name, sector });
    }
  }
  const joinOffsets = [...JOINERS_2016.flatMap(([offset, count]) => Array(count).fill(offset) as number[])];
  const shuffledLater = rnd.shuffle(later);
  const lateCount = Math.max(0, shuffledLater.length - joinOffsets.length);
  joinOffsets.push(...LATE_OFFSETS.slice(0, lateCount));
  while (joinOffsets.length < shuffledLater.length) joinOffsets.push(LATE_OFFSETS[LATE_OFFSETS.length - 1]!);
  for (const [i, o] of shuffledLater.entries()) {
    orgs.push({ ...o, join: Math.min(startIdx + joinOffsets[i]!, currentIdx), founder: false });
  }

  const criteriaByGear = new Map(model.gears.map((g) => [g.gear, g.criteria.map((c) => c.key)]));
  const horizon = Math.max(currentIdx, startIdx + 8);

  const starts = orgs.map((o) => {
    const weights = o.founder
      ? [0.04, 0.14, 0.38, 0.44]
      : o.join <= startIdx + 4
        ? [0, 0.05, 0.3, 0.65]
        : [0.15, 0.35, 0.35, 0.15];
    return startGear(rnd, weights, o.sector.bias);
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
    const t = gearTimes(
      rnd,
      { join: o.join, start, founder: o.founder, pioneer: pioneers.has(i), sector: o.sector },
      startIdx,
    );

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

    // A few organisations slip back on one criterion for a while.
    let lapse: OrgPlan['lapse'] = null;
    const gear3 = (criteriaByGear.get(3) ?? []).filter((k) => !notApplicable.has(k));
    if (gear3.length > 0 && t[3] !== Infinity && rnd.chance(0.12)) {
      const key = rnd.pick(
        gear3.filter((k) => LAPSES[k]).length > 0 ? gear3.filter((k) => LAPSES[k]) : gear3,
      );
      const earliest = Math.max(o.join, t[3] === -Infinity ? o.join : t[3]!, metFrom.get(key)!) + 3;
      if (earliest < currentIdx) {
        const from = rnd.int(earliest, currentIdx);
        lapse = { key, from, until: from + rnd.int(1, 3), note: LAPSES[key] ?? LAPSE_FALLBACK };
      }
    }

    const leave =
      o.name === LEAVER ? Math.min(currentIdx, Math.max(o.join + 1, currentIdx - LEAVES_QUARTERS_AGO)) : null;
    const last = leave ?? currentIdx;

    // The project leader visits nearly everyone each quarter during the project (until 2017-Q1),
    // and afterwards less often: gears in the quarters between are carried forward.
    const scans = new Set<number>([o.join]);
    for (let q = o.join + 1; q <= last; q++) {
      if (rnd.chance(q <= startIdx + 5 ? 0.9 : 0.42)) scans.add(q);
    }

    return {
      name: o.name,
      sector: o.sector.sector,
      ...contactFor(rnd, o.name),
      join: o.join,
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

/** Makes sure every quarter has a quickscan and that the current quarter shows a carried-forward gear. */
function adjustScans(plans: OrgPlan[], startIdx: number, currentIdx: number): void {
  for (let q = startIdx; q <= currentIdx; q++) {
    const members = plans.filter((p) => p.join <= q && (p.leave === null || q <= p.leave));
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
 * An organisation registers from when its registration criterion (3a) is at least partly met,
 * not while that criterion has lapsed, and skips some quarters; a few never register.
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
      employees.push({ year, employees: Math.max(1, Math.round(size)) });
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
    const registersFrom = Math.max(
      plan.join,
      quarterIndex(INCIDENTS_START),
      Math.min(plan.metFrom.get('3a') ?? -Infinity, plan.partlyFrom.get('3a') ?? Infinity),
    );
    // A quarter's figures come in after it has ended: none yet for the current one.
    const lastFigures = Math.min(last, currentIdx - 1);
    for (let q = registersFrom; q <= lastFigures && !never.has(plan); q++) {
      const lapsed = plan.lapse?.key === '3a' && plan.lapse.from <= q && q < plan.lapse.until;
      if (lapsed || !rnd.chance(diligence)) continue;
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
  adjustScans(plans, startIdx, currentIdx);

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
  const ids = new Map<OrgPlan, number>();
  for (const plan of ordered) {
    const dto = await createOrganisation(ctx, {
      name: plan.name,
      sectorId: sectorIds.get(plan.sector)!,
      contactName: plan.contactName,
      contactEmail: plan.contactEmail,
      contactPhone: plan.contactPhone,
      memberFrom: quarterFromIndex(plan.join),
    });
    ids.set(plan, dto.id);
  }

  // Quickscans quarter by quarter, as the project leader would have recorded them.
  const today = localDate(ctx.now());
  const lastGear = new Map<OrgPlan, number>();
  // The gear that counts in each quarter (carried forward), which the incident rates follow.
  const gearAt = new Map(ordered.map((p) => [p, new Map<number, number>()]));
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
          : gear > previous
            ? `Opgeschakeld van versnelling ${previous} naar ${gear}.`
            : gear < previous
              ? `Teruggeschakeld van versnelling ${previous} naar ${gear}.`
              : null;
      await recordQuickscan(
        ctx,
        ids.get(plan)!,
        quarter,
        { answers, conductedOn: dateIn(rnd, quarter, today), conductedBy: projectLeaderIn(quarter), remark },
        'record',
      );
      lastGear.set(plan, gear);
      quickscans++;
    }
    for (const plan of ordered) {
      const gear = lastGear.get(plan);
      if (gear !== undefined) gearAt.get(plan)!.set(q, gear);
    }
  }

  // Incident figures from their own stream of the seed, so the quickscans stay as they were.
  const planned = planIncidents(
    seededRandom((options.seed ?? DEFAULT_DEMO_SEED) ^ INCIDENT_SEED),
    ordered,
    gearAt,
    currentIdx,
  );
  const { incidentQuarters, employeeYears } = await writeIncidents(ctx, planned, ids, currentIdx);

  // The one organisation that left: archived with its membership ending some quarters ago.
  for (const plan of ordered) {
    if (plan.leave !== null) {
      await archiveOrganisation(ctx, ids.get(plan)!, { memberUntil: quarterFromIndex(plan.leave) });
    }
  }

  return { organisations: ordered.length, quickscans, incidentQuarters, employeeYears, from: DEMO_START, to };
}
