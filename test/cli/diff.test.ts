// The pinned CLI of issue 10, item 4 ("Why did the gear move?"): `org diff ID --from Q --to Q
// [--json]` → { fromGear, toGear, changes: [{ criterion, from, to }] } (answers ja|deels|nee|nvt|null),
// with one line per changed criterion for a person.
import { describe, expect, it } from 'vitest';
import type { GearDiff } from '../../server/contracts/gear-diff.contract.ts';
import { answersForGear, KEYS_OF } from '../support.ts';
import { cliSandbox } from './sandbox.ts';

const sandbox = cliSandbox('vpt-cli-diff-');
const { cli, cliJson } = sandbox;

async function addOrg(name: string, memberFrom = '2015-Q4'): Promise<{ id: number }> {
  return cliJson(['org', 'add', '--name', name, '--sector', 'Openbaar Bestuur', '--member-from', memberFrom]);
}

async function recordQuickscan(id: number, quarter: string, answers: object): Promise<void> {
  const file = sandbox.file(`antwoorden-${id}-${quarter}.json`, JSON.stringify(answers));
  await cliJson(['quickscan', 'record', '--org', String(id), '--quarter', quarter, '--answers', file]);
}

/** Gear 2 in Q1 2016 (3b "nee", 4a "deels"), gear 3 in Q3 2016 (4a still "deels"). */
async function twoQuickscans(): Promise<number> {
  const { id } = await addOrg('Gemeente Dijkwaard');
  await recordQuickscan(id, '2016-Q1', answersForGear(2, { '4a': 'deels' }));
  await recordQuickscan(id, '2016-Q3', answersForGear(3, { '4a': 'deels', '2b': 'deels' }));
  return id;
}

describe('cli: org diff', () => {
  it('when `org diff ID --from Q --to Q --json` is run, then it prints { fromGear, toGear, changes: [{ criterion, from, to }] } and the extensions', async () => {
    // Arrange
    const id = await twoQuickscans();

    // Act
    const diff = (await cliJson([
      'org',
      'diff',
      String(id),
      '--from',
      '2016-Q1',
      '--to',
      '2016-Q3',
    ])) as GearDiff;

    // Assert
    expect(diff).toMatchObject({
      organisationId: id,
      from: '2016-Q1',
      to: '2016-Q3',
      fromGear: 2,
      toGear: 1,
      fromSource: 'quickscan',
      toSource: 'quickscan',
      fromRecordedIn: '2016-Q1',
      toRecordedIn: '2016-Q3',
      comparable: true,
    });
    expect(diff.changes.map((c) => ({ criterion: c.criterion, from: c.from, to: c.to }))).toEqual([
      { criterion: '2b', from: 'ja', to: 'deels' },
      ...KEYS_OF[3].map((criterion) => ({ criterion, from: 'nee', to: 'ja' })),
    ]);
    expect(diff.changes[0]).toMatchObject({ fromMet: true, toMet: false, gear: 2 });
    expect(typeof diff.explanation).toBe('string');
  });

  it('when it is run without --json, then it prints the two gears, the explanation and one line per changed criterion in Dutch', async () => {
    // Arrange
    const id = await twoQuickscans();

    // Act
    const r = await cli(['org', 'diff', String(id), '--from', '2016-Q2', '--to', '2016-Q3']);

    // Assert
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Gemeente Dijkwaard: versnelling 2 in Q2 2016 (uit Q1 2016) → versnelling 1 in Q3 2016',
    );
    expect(lines[1]).toBe(
      'Tussen de quickscan van Q1 2016 en die van Q3 2016 veranderden 6 antwoorden: 5 nu voldaan, 1 niet meer voldaan.',
    );
    expect(lines.slice(2)).toEqual([
      '  2b  ja → deels  (niet meer voldaan)',
      '  3a  nee → ja  (nu voldaan)',
      '  3b  nee → ja  (nu voldaan)',
      '  3c  nee → ja  (nu voldaan)',
      '  3d  nee → ja  (nu voldaan)',
      '  3e  nee → ja  (nu voldaan)',
    ]);
  });

  it('when a gear was recorded directly, then the output says there are no answers', async () => {
    // Arrange
    const { id } = await addOrg('Woonstede');
    await cliJson([
      'gear',
      'set',
      '--org',
      String(id),
      '--quarter',
      '2016-Q1',
      '--gear',
      '3',
      '--source',
      'import',
    ]);
    await recordQuickscan(id, '2016-Q3', answersForGear(3));

    // Act
    const diff = (await cliJson([
      'org',
      'diff',
      String(id),
      '--from',
      '2016-Q2',
      '--to',
      '2016-Q3',
    ])) as GearDiff;
    const human = await cli(['org', 'diff', String(id), '--from', '2016-Q1', '--to', '2016-Q1']);

    // Assert
    expect(diff).toMatchObject({
      fromGear: 3,
      fromSource: 'recorded',
      fromOrigin: 'import',
      comparable: false,
    });
    expect(diff.explanation).toContain(
      'Geen antwoorden: de versnelling in Q2 2016 is in Q1 2016 rechtstreeks vastgelegd (import) en doorgeschoven.',
    );
    expect(diff.changes.every((c) => c.from === null)).toBe(true);
    expect(human.stdout).toBe(
      'Woonstede: versnelling 3 in Q1 2016 → versnelling 3 in Q1 2016\n' +
        'Geen antwoorden: de versnelling in Q1 2016 is rechtstreeks vastgelegd (import). ' +
        'Hetzelfde kwartaal: er is niets te vergelijken (versnelling 3 uit Q1 2016).\n',
    );
  });

  it.each([
    ['a reversed period', ['--from', '2016-Q3', '--to', '2016-Q1'], 'Q3 2016 ligt na Q1 2016'],
    ['a future quarter', ['--from', '2026-Q3', '--to', '2027-Q1'], 'Q1 2027 ligt na het huidige kwartaal'],
    [
      'a quarter that does not exist',
      ['--from', '2016-Q5', '--to', '2016-Q3'],
      "kwartaal '2016-Q5' bestaat niet",
    ],
  ])(
    'when it gets %s, then it exits 1 with a Dutch message on stderr and nothing on stdout',
    async (_label, period, message) => {
      // Arrange
      const id = await twoQuickscans();

      // Act
      const r = await cli(['org', 'diff', String(id), ...period, '--json']);

      // Assert
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    },
  );

  it('when the organisation does not exist, then it exits 1 saying so', async () => {
    const r = await cli(['org', 'diff', '99', '--from', '2016-Q1', '--to', '2016-Q3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('organisatie 99 bestaat niet');
  });

  it('when --to is missing, then it is a usage error: exit 2, naming the option', async () => {
    const r = await cli(['org', 'diff', '1', '--from', '2016-Q1', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--to');
  });
});
