// The order of closing (pure): the next quarter to close, and what a request to close closes.
import { describe, expect, it } from 'vitest';
import { nextToClose, quartersToClose } from '../../server/domain/closing.ts';
import type { Quarter } from '../../server/domain/quarter.ts';

describe('nextToClose', () => {
  it.each<[string, Quarter[], Quarter | null, Quarter | null]>([
    ['nothing closed, no members', [], null, null],
    ['nothing closed, first members in Q1 2016', [], '2016-Q1', '2016-Q1'],
    ['Q1 and Q2 closed', ['2016-Q1', '2016-Q2'], '2016-Q1', '2016-Q3'],
    ['a late member opened Q4 2015 before the closed ones', ['2016-Q1', '2016-Q2'], '2015-Q4', '2015-Q4'],
    ['closed quarters without members left', ['2016-Q1'], null, '2016-Q2'],
  ])('when %s, then the next is as expected', (_label, closed, first, expected) => {
    expect(nextToClose(closed, first)).toBe(expected);
  });
});

describe('quartersToClose', () => {
  it('when the next quarter is asked, then only it is closed', () => {
    expect(quartersToClose(['2016-Q1'], '2016-Q1', '2016-Q2', false)).toEqual(['2016-Q2']);
  });

  it('when a later quarter is asked without includeEarlier, then it is refused naming the next one', () => {
    expect(quartersToClose([], '2016-Q1', '2016-Q3', false)).toBe(
      'kwartalen worden op volgorde vastgesteld: stel eerst Q1 2016 vast, of stel Q1 2016 tot en met Q3 2016 in één keer vast',
    );
  });

  it('when a later quarter is asked with includeEarlier, then every open quarter up to it is closed, in order', () => {
    expect(quartersToClose([], '2016-Q1', '2016-Q3', true)).toEqual(['2016-Q1', '2016-Q2', '2016-Q3']);
  });

  it('when a late member opened a quarter before the closed ones, then that one comes first and the closed ones are skipped', () => {
    const closed: Quarter[] = ['2016-Q1', '2016-Q2'];
    expect(quartersToClose(closed, '2015-Q4', '2016-Q3', false)).toMatch(/stel eerst Q4 2015 vast/);
    expect(quartersToClose(closed, '2015-Q4', '2015-Q4', false)).toEqual(['2015-Q4']);
    expect(quartersToClose(closed, '2015-Q4', '2016-Q3', true)).toEqual(['2015-Q4', '2016-Q3']);
  });

  it('when a quarter before the first with members or an already closed one is asked, then it is refused', () => {
    expect(quartersToClose([], '2016-Q1', '2015-Q2', true)).toBe(
      'Q2 2015 ligt vóór het eerste kwartaal met leden (Q1 2016); daar zijn geen cijfers om vast te stellen',
    );
    expect(quartersToClose(['2016-Q1'], '2016-Q1', '2016-Q1', true)).toBe('Q1 2016 is al vastgesteld');
  });
});
