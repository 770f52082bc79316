import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkName, findForbiddenCharacter, isNoncharacter } from '../../server/domain/names.ts';
import { ValidationError } from '../../server/errors.ts';

const WHAT = 'de organisatie';
const MAX = 200;

function refusal(raw: string): string | null {
  try {
    checkName(raw, WHAT, MAX);
    return null;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.message;
  }
}

describe('names with characters that break files or hide text', () => {
  it.each([
    ['a zero-width space', 'Zorg\u200Bgroep', 'een onzichtbaar teken (U+200B) op plaats 5'],
    ['a left-to-right mark', 'Zorg\u200E', 'leesrichting omdraait (U+200E) op plaats 5'],
    ['a right-to-left mark', '\u200FZorg', 'leesrichting omdraait (U+200F) op plaats 1'],
    ['a right-to-left override', 'Gemeente \u202Ednalrooz', 'leesrichting omdraait (U+202E) op plaats 10'],
    ['a left-to-right embedding', 'A\u202AB', 'leesrichting omdraait (U+202A) op plaats 2'],
    ['a first-strong isolate', 'A\u2068B\u2069', 'leesrichting omdraait (U+2068) op plaats 2'],
    ['an Arabic letter mark', 'A\u061CB', 'leesrichting omdraait (U+061C) op plaats 2'],
    ['a byte order mark inside', 'Zorg\uFEFFgroep', 'een onzichtbaar teken (U+FEFF) op plaats 5'],
    ['a byte order mark in front', '\uFEFFZorggroep', 'een onzichtbaar teken (U+FEFF) op plaats 1'],
    ['a soft hyphen', 'Zorg\u00ADgroep', 'een onzichtbaar teken (U+00AD) op plaats 5'],
    ['a zero-width joiner between letters', 'Zorg\u200Dgroep', 'een onzichtbaar teken (U+200D) op plaats 5'],
    ['a zero-width non-joiner', 'Zorg\u200Cgroep', 'een onzichtbaar teken (U+200C) op plaats 5'],
    ['a word joiner', 'Zorg\u2060groep', 'een onzichtbaar teken (U+2060) op plaats 5'],
    ['a stray tag character', 'Zorg\u{E0041}', 'een onzichtbaar teken (U+E0041) op plaats 5'],
    [
      'a lone high surrogate',
      'Zorg\uD83D',
      'een beschadigd teken (een losse helft van een emoji of ander bijzonder teken) (U+D83D) op plaats 5',
    ],
    [
      'a lone low surrogate',
      '\uDE00Zorg',
      'een beschadigd teken (een losse helft van een emoji of ander bijzonder teken) (U+DE00) op plaats 1',
    ],
    ['U+FFFF', 'Zorg\uFFFF', 'een teken dat in tekst niet mag voorkomen (U+FFFF) op plaats 5'],
    ['U+FFFE', '\uFFFEZorg', 'een teken dat in tekst niet mag voorkomen (U+FFFE) op plaats 1'],
    ['U+FDD0', 'Zorg\uFDD0', 'een teken dat in tekst niet mag voorkomen (U+FDD0) op plaats 5'],
    ['U+FDEF', 'Zorg\uFDEF', 'een teken dat in tekst niet mag voorkomen (U+FDEF) op plaats 5'],
    ['U+1FFFF', 'Zorg\u{1FFFF}', 'een teken dat in tekst niet mag voorkomen (U+1FFFF) op plaats 5'],
    ['U+10FFFE', 'Zorg\u{10FFFE}', 'een teken dat in tekst niet mag voorkomen (U+10FFFE) op plaats 5'],
    // An emoji before counts as one place, as a person counts it.
    ['a zero-width space after an emoji', '😀\u200BZorg', 'een onzichtbaar teken (U+200B) op plaats 2'],
  ])(
    'when a name holds %s, then it is refused naming the code point and its place',
    (_label, raw, expected) => {
      const message = refusal(raw);
      expect(message).toContain(expected);
      expect(message).toMatch(/^de naam bevat .*; typ de naam opnieuw zonder dat teken$/);
    },
  );

  it('when a name is refused for an invisible character, then the message does not hold that character', () => {
    for (const raw of ['A\u202EB', 'A\u200BB', 'A\uFFFFB', 'A\uD800B', 'A\uFEFFB']) {
      const message = refusal(raw)!;
      expect(findForbiddenCharacter(message)).toBeNull();
      expect(message).not.toContain(raw[1]);
    }
  });

  it('when a name is refused, then the error points at the name field with invalid_name', () => {
    try {
      checkName('Zorg\u202Egroep', WHAT, MAX);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('invalid_name');
      expect(JSON.stringify(err)).toContain('"name"');
    }
  });

  it('when a name holds a control character, then the message stays the one the import already shows', () => {
    expect(refusal('Gemeente\u0007Stil')).toBe('de naam bevat onzichtbare stuurtekens; typ hem opnieuw');
  });

  it.each([
    ['accents', 'Woningbouwcoöperatie Ûtrecht é ñ'],
    ['a typographic apostrophe', '’s-Hertogenbosch Stichting ’t Anker'],
    ['an ampersand and a slash', 'Zorg & Welzijn / Noord'],
    ['a plain emoji', 'Kinderopvang 😀 Zon'],
    ['an emoji with skin tone', 'Team 👍🏽'],
    ['an emoji ZWJ sequence', 'Familiehuis 👨‍👩‍👧'],
    ['a rainbow flag (VS16 before the joiner)', 'COC 🏳️‍🌈'],
    ['a profession emoji with skin tone', 'Huisarts 👩🏽‍⚕️'],
    ['a subdivision flag with tag characters', 'Welsh Society 🏴󠁧󠁢󠁷󠁬󠁳󠁿'],
    ['a keycap', 'Basisschool 1️⃣'],
    ['Arabic and Hebrew letters', 'Stichting السلام שלום'],
    ['tabs and newlines, which tidying turns into spaces', 'Zorg\tgroep\nNoord'],
    ['U+FFFD, which is a legal character', 'Zorg\uFFFDgroep'],
  ])('when a name holds %s, then it is accepted', (_label, raw) => {
    expect(refusal(raw)).toBeNull();
  });
});

/** Strings that often hold the characters at stake: plain text, emoji parts, Cf, surrogates, noncharacters. */
const anyCodeUnitOrPoint = fc.oneof(
  fc.constantFrom(
    'a',
    'Z',
    ' ',
    'é',
    '’',
    '&',
    '😀',
    '👩',
    '🏽',
    '🏴',
    '\u{E0067}',
    '\u{E007F}',
    '\uFE0F',
    '\u200D',
    '\u200B',
    '\u202E',
    '\u2066',
    '\uFEFF',
    '\u00AD',
    '\uD83D',
    '\uDE00',
    '\uFFFE',
    '\uFFFF',
    '\uFDD0',
    '\u{1FFFF}',
    '\u0000',
    '\u0007',
    '\u009F',
    '\t',
  ),
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((cu) => String.fromCharCode(cu)),
);
const messyString = fc.array(anyCodeUnitOrPoint, { maxLength: 30 }).map((parts) => parts.join(''));

describe('names, over arbitrary strings', () => {
  it('when a name is accepted, then it holds no control, surrogate or noncharacter, and format characters only inside emoji', () => {
    fc.assert(
      fc.property(messyString, (raw) => {
        let name: string;
        try {
          name = checkName(raw, WHAT, MAX);
        } catch (err) {
          if (err instanceof ValidationError) return;
          throw err;
        }
        const points = Array.from(name);
        points.forEach((point, i) => {
          const cp = point.codePointAt(0)!;
          expect(/\p{Cc}/u.test(point)).toBe(false);
          expect(cp >= 0xd800 && cp <= 0xdfff).toBe(false);
          expect(isNoncharacter(cp)).toBe(false);
          if (/\p{Cf}/u.test(point)) {
            const joiner = cp === 0x200d && /\p{Extended_Pictographic}/u.test(points[i + 1] ?? '');
            const tag = cp >= 0xe0020 && cp <= 0xe007f;
            expect(joiner || tag, `U+${cp.toString(16)} in ${JSON.stringify(name)}`).toBe(true);
          }
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('when a name is refused for a forbidden character, then the message names a code point that is in the name at that place', () => {
    fc.assert(
      fc.property(messyString, (raw) => {
        const found = findForbiddenCharacter(raw);
        if (!found) return;
        expect(Array.from(raw)[found.position - 1]!.codePointAt(0)).toBe(found.codePoint);
        expect(refusal(raw)).toContain(`(U+${found.codePoint.toString(16).toUpperCase().padStart(4, '0')})`);
      }),
      { numRuns: 1000 },
    );
  });

  it('when a name holds only letters, digits, punctuation, symbols and spaces, then the new rules accept it', () => {
    const printable = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .filter((s) => /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]*$/u.test(s));
    fc.assert(
      fc.property(printable, (raw) => {
        expect(findForbiddenCharacter(raw)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
