import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../server/domain/format.ts';
import {
  type ChangeParts,
  changeParts,
  describeChangeParts,
  describeLikeForLike,
  likeForLike,
  type ScopeGears,
  scopeGearsIn,
} from '../../server/domain/like-for-like.ts';
import { averageOf, gearTimelines, percentChange, summarise } from '../../server/domain/report.ts';
import { regionArb } from './region-arbitraries.ts';

const gear = fc.integer({ min: 1, max: 5 });

/** One organisation's place in the two quarters: counted in A, in B, or both, with its gears. */
const organisationArb = fc.record({ inA: fc.boolean(), inB: fc.boolean(), gearA: gear, gearB: gear });

/** Two quarters of one scope: organisations 1..n, each counted in A, B, both or neither. */
const scopesArb = fc.array(organisationArb, { maxLength: 40 }).map((orgs) => {
  const from = new Map<number, number>();
  const to = new Map<number, number>();
  orgs.forEach((o, i) => {
    if (o.inA) from.set(i + 1, o.gearA);
    if (o.inB) to.set(i + 1, o.gearB);
  });
  return { from: from as ScopeGears, to: to as ScopeGears };
});

/** Scopes in which at least one organisation is counted in both quarters. */
const overlappingArb = scopesArb.filter(({ from, to }) => [...from.keys()].some((id) => to.has(id)));

const mean = (gears: ScopeGears) => averageOf([...gears.values()]).average;

const EPSILON = 1e-9;

function sumOf(split: ChangeParts['points']): number {
  return split.continuing + split.joiners + split.leavers;
}

describe('likeForLike and changeParts, by hand', () => {
  // A: 1→2, 2→3, 3→3, 4→4, 5→1 (5 leaves);  B: 1→3, 2→3, 3→4, 4→4, 6→5, 7→4 (6 and 7 join).
  const from: ScopeGears = new Map([
    [1, 2],
    [2, 3],
    [3, 3],
    [4, 4],
    [5, 1],
  ]);
  const to: ScopeGears = new Map([
    [1, 3],
    [2, 3],
    [3, 4],
    [4, 4],
    [6, 5],
    [7, 4],
  ]);

  it('when four organisations are counted in both quarters, then like-for-like is their change: 3 → 3,5 is +16,67%', () => {
    const change = likeForLike(from, to);
    expect(change.n).toBe(4);
    expect(change.from).toBe(3);
    expect(change.to).toBe(3.5);
    expect(change.changePercent).toBeCloseTo(50 / 3, 12);
  });

  it('when the average goes from 2,6 to 3,83, then continuing, joiners and leavers account for 0,5, 0,33 and 0,4 of it', () => {
    const parts = changeParts(from, to)!;
    // all A = 13/5 = 2,6; all B = 23/6; continuing A = 12/4 = 3; continuing B = 14/4 = 3,5.
    expect(parts.points.total).toBeCloseTo(23 / 6 - 2.6, 12);
    expect(parts.points.continuing).toBeCloseTo(0.5, 12);
    expect(parts.points.joiners).toBeCloseTo(23 / 6 - 3.5, 12);
    // The leaver had gear 1: its going raised the average.
    expect(parts.points.leavers).toBeCloseTo(0.4, 12);
    expect(parts.percent.total).toBeCloseTo(((23 / 6 - 2.6) / 2.6) * 100, 10);
    expect(parts.percent.continuing).toBeCloseTo((0.5 / 2.6) * 100, 10);
    expect(parts.percent.joiners).toBeCloseTo((1 / 3 / 2.6) * 100, 10);
    expect(parts.percent.leavers).toBeCloseTo((0.4 / 2.6) * 100, 10);
    expect(parts.n).toEqual({ continuing: 4, joiners: 2, leavers: 1 });
  });

  it('when the board reads the split, then it is one Dutch sentence with quarters as "Q4 2015" and every figure signed', () => {
    expect(describeChangeParts(changeParts(from, to), '2015-Q4', '2016-Q4')).toBe(
      'Van de +47,44% tussen Q4 2015 en Q4 2016 komt +19,23% door verbetering bij organisaties die in ' +
        'beide kwartalen een versnelling hadden (n = 4), +12,82% door organisaties die erbij kwamen (2) ' +
        'en +15,38% door organisaties die wegvielen (1).',
    );
    expect(describeLikeForLike(likeForLike(from, to), '2015-Q4', '2016-Q4')).toBe(
      'Organisaties met een versnelling in zowel Q4 2015 als Q4 2016 (n = 4): gemiddeld van 3,00 naar 3,50 (+16,67%).',
    );
  });

  it('when the continuing organisations went down, then the sentence says so and the leavers part is negative', () => {
    const a: ScopeGears = new Map([
      [1, 4],
      [2, 4],
      [3, 5],
    ]);
    const b: ScopeGears = new Map([
      [1, 3],
      [2, 4],
    ]);
    // all A = 13/3; continuing A = 4, B = 3,5; all B = 3,5.
    const parts = changeParts(a, b)!;
    expect(parts.points.joiners).toBe(0);
    expect(parts.points.continuing).toBe(-0.5);
    expect(parts.points.leavers).toBeCloseTo(4 - 13 / 3, 12);
    expect(describeChangeParts(parts, '2016-Q1', '2016-Q2')).toBe(
      'Van de -19,23% tussen Q1 2016 en Q2 2016 komt -11,54% door verslechtering bij organisaties die in ' +
        'beide kwartalen een versnelling hadden (n = 2), +0,00% door organisaties die erbij kwamen (0) ' +
        'en -7,69% door organisaties die wegvielen (1).',
    );
  });

  it('when no organisation is counted in both quarters, then there is no like-for-like average and no split', () => {
    const a: ScopeGears = new Map([[1, 2]]);
    const b: ScopeGears = new Map([[2, 4]]);
    expect(likeForLike(a, b)).toEqual({ n: 0, from: null, to: null, changePercent: null });
    expect(changeParts(a, b)).toBeNull();
    expect(changeParts(new Map(), b)).toBeNull();
    expect(changeParts(a, new Map())).toBeNull();
    expect(describeChangeParts(null, '2015-Q4', '2016-Q4')).toBe(
      'De verandering tussen Q4 2015 en Q4 2016 is niet uit te splitsen: geen organisatie had in beide kwartalen een versnelling.',
    );
    expect(describeLikeForLike(likeForLike(a, b), '2015-Q4', '2016-Q4')).toBe(
      'Geen organisatie had een versnelling in zowel Q4 2015 als Q4 2016.',
    );
  });

  it('when the first average is 0, then there is no percentage and so no split', () => {
    expect(changeParts(new Map([[1, 0]]), new Map([[1, 2]]))).toBeNull();
  });
});

describe('likeForLike and changeParts, for any two quarters', () => {
  it('when the change is split, then continuing, joiners and leavers add up to the total, in points and in percent', () => {
    fc.assert(
      fc.property(overlappingArb, ({ from, to }) => {
        const parts = changeParts(from, to)!;
        const a = mean(from)!;
        const b = mean(to)!;
        expect(parts.points.total).toBe(b - a);
        expect(Math.abs(sumOf(parts.points) - (b - a))).toBeLessThan(EPSILON);
        expect(parts.percent.total).toBe(percentChange(a, b));
        expect(Math.abs(sumOf(parts.percent) - percentChange(a, b)!)).toBeLessThan(EPSILON);
      }),
      { numRuns: 500 },
    );
  });

  it('when nobody joins or leaves, then like-for-like is the plain change and the continuing part is all of it', () => {
    const sameOrganisations = fc
      .array(fc.tuple(gear, gear), { minLength: 1, maxLength: 40 })
      .map((pairs) => ({
        from: new Map(pairs.map(([g], i) => [i + 1, g])) as ScopeGears,
        to: new Map(pairs.map(([, g], i) => [i + 1, g])) as ScopeGears,
      }));
    fc.assert(
      fc.property(sameOrganisations, ({ from, to }) => {
        const change = likeForLike(from, to);
        expect(change).toEqual({
          n: from.size,
          from: mean(from),
          to: mean(to),
          changePercent: percentChange(mean(from), mean(to)),
        });
        const parts = changeParts(from, to)!;
        expect(parts.points).toEqual({
          total: parts.points.total,
          continuing: parts.points.total,
          joiners: 0,
          leavers: 0,
        });
        expect(parts.n).toEqual({ continuing: from.size, joiners: 0, leavers: 0 });
      }),
    );
  });

  it('when nobody joins, then the joiners part is 0; when nobody leaves, the leavers part is 0', () => {
    fc.assert(
      fc.property(overlappingArb, ({ from, to }) => {
        const parts = changeParts(from, to)!;
        if (parts.n.joiners === 0) {
          expect(parts.points.joiners).toBe(0);
          expect(parts.percent.joiners).toBe(0);
        }
        if (parts.n.leavers === 0) {
          expect(parts.points.leavers).toBe(0);
          expect(parts.percent.leavers).toBe(0);
        }
      }),
    );
  });

  it('when the continuing organisations keep their gears, then the continuing part is 0', () => {
    fc.assert(
      fc.property(overlappingArb, ({ from, to }) => {
        const kept = new Map(to);
        for (const [id, g] of from) if (kept.has(id)) kept.set(id, g);
        const parts = changeParts(from, kept)!;
        expect(parts.points.continuing).toBe(0);
        expect(likeForLike(from, kept).changePercent).toBe(0);
      }),
    );
  });

  it('when joiners score above the continuing organisations, then their part is positive (and below, negative)', () => {
    fc.assert(
      fc.property(overlappingArb, ({ from, to }) => {
        const parts = changeParts(from, to)!;
        const joiners = [...to].filter(([id]) => !from.has(id)).map(([, g]) => g);
        const leavers = [...from].filter(([id]) => !to.has(id)).map(([, g]) => g);
        const continuing = likeForLike(from, to);
        if (joiners.length > 0) {
          expect(Math.sign(parts.points.joiners)).toBe(
            Math.sign(averageOf(joiners).average! - continuing.to!),
          );
        }
        if (leavers.length > 0) {
          // Losing organisations below the continuing ones raises the average.
          expect(Math.sign(parts.points.leavers)).toBe(
            Math.sign(continuing.from! - averageOf(leavers).average!),
          );
        }
      }),
    );
  });

  it('when the quarters are swapped, then every part changes sign and joiners and leavers trade places', () => {
    fc.assert(
      fc.property(overlappingArb, ({ from, to }) => {
        const forward = changeParts(from, to)!;
        const back = changeParts(to, from)!;
        // `+ 0` makes −0 and 0 the same.
        expect(back.points.continuing).toBe(-forward.points.continuing + 0);
        expect(back.points.joiners).toBe(-forward.points.leavers + 0);
        expect(back.points.leavers).toBe(-forward.points.joiners + 0);
        expect(back.n).toEqual({
          continuing: forward.n.continuing,
          joiners: forward.n.leavers,
          leavers: forward.n.joiners,
        });
      }),
    );
  });

  it('when organisations are counted, then continuing plus joiners are those in B, continuing plus leavers those in A', () => {
    fc.assert(
      fc.property(scopesArb, ({ from, to }) => {
        const change = likeForLike(from, to);
        const parts = changeParts(from, to);
        const both = [...from.keys()].filter((id) => to.has(id)).length;
        expect(change.n).toBe(both);
        expect(parts === null).toBe(both === 0);
        if (parts) {
          expect(parts.n.continuing + parts.n.joiners).toBe(to.size);
          expect(parts.n.continuing + parts.n.leavers).toBe(from.size);
        }
      }),
    );
  });

  it('when the board reads any split, then it shows the four figures as formatPercent does and no quarter in data form', () => {
    fc.assert(
      fc.property(overlappingArb, ({ from, to }) => {
        const parts = changeParts(from, to)!;
        const text = describeChangeParts(parts, '2015-Q4', '2016-Q4');
        expect(text).not.toMatch(/\d{4}-Q\d/);
        expect(text).toContain('tussen Q4 2015 en Q4 2016');
        const shown = text.match(/[+-][\d.]+,\d\d%/g);
        expect(shown).toEqual([
          formatPercent(parts.percent.total),
          formatPercent(parts.percent.continuing),
          formatPercent(parts.percent.joiners),
          formatPercent(parts.percent.leavers),
        ]);
      }),
    );
  });
});

describe('scopeGearsIn', () => {
  it('when the scopes of the two quarters are taken from the report’s timelines, then their averages and the split’s total are the report’s', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        const quarters = input.from === input.to ? [input.from] : [input.from, input.to];
        const timelines = gearTimelines(input.organisations, input.points, quarters);
        const scopesAt = (i: number) =>
          scopeGearsIn(
            input.organisations,
            input.organisations.map((o) => timelines.get(o.id)?.[i] ?? null),
            quarters[i]!,
          );
        const a = scopesAt(0);
        const b = scopesAt(quarters.length - 1);
        const summary = summarise(input);

        expect(mean(a.region)).toBe(summary.overall.from.average);
        expect(mean(b.region)).toBe(summary.overall.to.average);
        const region = changeParts(a.region, b.region);
        if (region) expect(region.percent.total).toBe(summary.overall.changePercent);

        input.sectors.forEach((sector, k) => {
          const row = summary.sectors[k]!;
          const from = a.sectors.get(sector.id) ?? new Map();
          const to = b.sectors.get(sector.id) ?? new Map();
          expect(from.size).toBe(row.from.n);
          expect(to.size).toBe(row.to.n);
          expect(mean(from)).toBe(row.from.average);
          expect(mean(to)).toBe(row.to.average);
          const parts = changeParts(from, to);
          if (parts) expect(parts.percent.total).toBe(row.changePercent);
        });
      }),
      { numRuns: 300 },
    );
  });
});
