// What a caller may see and do is decided in the services from `ctx.principal` (see
// server/services/visibility.ts), so the CLI, the routes and any later caller get the same rules.
// These tests call the services directly, as a signed-in principal would reach them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../server/contracts/report.contract.ts';
import type { Role } from '../../server/contracts/user.contract.ts';
import { anonymiseMatrix, anonymiseSummary } from '../../server/domain/report.ts';
import type { AppError } from '../../server/errors.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
} from '../../server/services/organisations.service.ts';
import { actorName, type Principal } from '../../server/services/principal.ts';
import { getQuickscan, listQuickscans, recordGear } from '../../server/services/quickscans.service.ts';
import { reportMatrix, reportSummary, worklist } from '../../server/services/reports.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { createShareLink } from '../../server/services/share-links.service.ts';
import { gearHistory, statusAt } from '../../server/services/status.service.ts';
import { listUsers, removeUser, updateUser } from '../../server/services/users.service.ts';
import { buildTestContext, insertTestUser, principalOf } from '../helpers.ts';
import { expectAppError } from '../support.ts';

const Q = '2016-Q1';
const NOTES = 'intern: lastig contact';

let operator: ServiceContext;
let close: () => Promise<void>;
/** Organisation A (the organisatie principal's own), its two neighbours in the same sector, and B elsewhere. */
let own: number;
let other: number;
/** The contexts of an organisatie account of A, a share link of A and a bestuur account. */
const as = {} as Record<'organisatie' | 'share' | 'bestuur', ServiceContext>;

/** The operator's context, now acting for `principal` as a request of theirs would. */
function contextOf(principal: Principal): ServiceContext {
  return { ...operator, principal, actor: actorName(principal) };
}

/** Refused as if the organisation did not exist. */
function expectNotFound(run: () => Promise<unknown>): Promise<AppError> {
  return expectAppError(run, 'organisation_not_found', 404);
}

beforeAll(async () => {
  ({ ctx: operator, close } = await buildTestContext({ actor: 'projectleider@test.example.org' }));
  const sectors = await listSectors(operator);
  const sectorId = (name: string) => sectors.find((s) => s.name === name)!.id;
  const add = async (name: string, sector: string, gear: number, notes: string | null = null) => {
    const org = await createOrganisation(operator, {
      name,
      sectorId: sectorId(sector),
      memberFrom: Q,
      notes,
    });
    await recordGear(operator, org.id, Q, { gear, source: 'manual' }, 'record');
    return org.id;
  };
  // Openbaar Bestuur: three organisations with a gear (an average of 3 may be shown); Zorg: only B.
  own = await add('Gemeente Eigenstad', 'Openbaar Bestuur', 3, NOTES);
  await add('Gemeente Buurdorp', 'Openbaar Bestuur', 4, NOTES);
  await add('Gemeente Overkant', 'Openbaar Bestuur', 2);
  other = await add('Ziekenhuis Elders', 'Zorg', 2, NOTES);

  const organisatie = await insertTestUser(operator.db, 'contact@eigenstad.example.org', 'organisatie', own);
  const bestuur = await insertTestUser(operator.db, 'bestuur@regio.example.org', 'bestuur');
  const { link } = await createShareLink(operator, own, { expiresInDays: 30 });
  as.organisatie = contextOf(await principalOf(operator, { userId: organisatie }));
  as.share = contextOf(await principalOf(operator, { shareLinkId: link.id }));
  as.bestuur = contextOf(await principalOf(operator, { userId: bestuur }));
});

afterAll(async () => {
  await close?.();
});

describe.each(['organisatie', 'share'] as const)('the organisatie role (%s) in the services', (who) => {
  it('when it lists organisations, then it gets only its own, without the notes', async () => {
    // Act
    const list = await listOrganisations(as[who], { quarter: Q });

    // Assert
    expect(list.items.map((o) => [o.id, o.name, o.notes])).toEqual([[own, 'Gemeente Eigenstad', null]]);
  });

  it('when it reads its own organisation, then it gets it without the notes', async () => {
    // Act
    const org = await getOrganisation(as[who], own);

    // Assert
    expect(org).toEqual({ ...(await getOrganisation(operator, own)), notes: null });
  });

  it('when it reads another organisation, then the answer is the 404 of one that does not exist', async () => {
    // Act
    const refused = await expectNotFound(() => getOrganisation(as[who], other));
    const missing = await expectNotFound(() => getOrganisation(as[who], 99_999));

    // Assert
    expect(refused.message.replace(String(other), 'N')).toBe(missing.message.replace('99999', 'N'));
  });

  it('when it asks for the status, history or quickscans of another organisation, then each answers 404', async () => {
    // Act & Assert
    await expectNotFound(() => statusAt(as[who], other, Q));
    await expectNotFound(() => gearHistory(as[who], other, {}));
    await expectNotFound(() => listQuickscans(as[who], other));
    await expectNotFound(() => getQuickscan(as[who], other, Q));
  });

  it('when it asks for its own status, then it gets it, in the current quarter by default', async () => {
    // Act
    const inQ = await statusAt(as[who], own, Q);
    const now = await statusAt(as[who], own);

    // Assert
    expect(inQ).toMatchObject({ id: own, quarter: Q, gear: 3, carriedFrom: null });
    expect(now).toMatchObject({ id: own, quarter: '2026-Q4', gear: 3, carriedFrom: Q });
  });

  it('when it reads the summary, then averages over fewer than 3 organisations are withheld, the region too', async () => {
    // Act
    const full = await reportSummary(operator, Q, Q);
    const shown = await reportSummary(as[who], Q, Q);

    // Assert
    const sector = (name: string) => shown.sectors.find((s) => s.name === name)!;
    expect(full.sectors.find((s) => s.name === 'Zorg')!.to).toEqual({
      n: 1,
      average: 2,
      staleCount: 0,
      closed: null,
    });
    expect(sector('Zorg').to).toEqual({ n: 1, average: null, staleCount: null, closed: null });
    expect(sector('Openbaar Bestuur').to).toEqual({ n: 3, average: 3, staleCount: 0, closed: null });
    // The region minus the shown sector would give Zorg's one gear away.
    expect(full.overall.to.average).toBe(2.75);
    expect(shown.overall.to).toEqual({ n: 4, average: null, staleCount: null, closed: null });
    // The averages are those of anonymiseSummary; the split of the change is not shown at all.
    const averages = (x: Summary) => ({
      ...x,
      overall: { from: x.overall.from, to: x.overall.to, changePercent: x.overall.changePercent },
      sectors: x.sectors.map((y) => ({
        name: y.name,
        from: y.from,
        to: y.to,
        changePercent: y.changePercent,
      })),
    });
    expect(averages(shown)).toEqual(averages(anonymiseSummary(full)));
    expect(shown.overall.changeParts).toBeNull();
    expect(shown.sectors.every((y) => y.changeParts === null)).toBe(true);
  });

  it('when it reads the matrix, then it gets the anonymised matrix', async () => {
    // Act
    const shown = await reportMatrix(as[who], Q, Q);

    // Assert
    expect(shown).toEqual(anonymiseMatrix(await reportMatrix(operator, Q, Q)));
    expect(shown).not.toEqual(await reportMatrix(operator, Q, Q));
  });

  it('when it reads the worklist, then only its own organisation can be on it', async () => {
    // Act
    const list = await worklist(as[who], '2016-Q2');

    // Assert
    expect((await worklist(operator, '2016-Q2')).items).toHaveLength(4);
    expect(list.items.map((o) => o.id)).toEqual([own]);
  });
});

describe('the other roles in the services', () => {
  it('when the bestuur lists and reads organisations, then it sees all of them with their notes and full averages', async () => {
    // Act
    const list = await listOrganisations(as.bestuur, { quarter: Q });
    const b = await getOrganisation(as.bestuur, other);
    const summary = await reportSummary(as.bestuur, Q, Q);

    // Assert
    expect(list.items).toHaveLength(4);
    expect(b.notes).toBe(NOTES);
    expect(summary).toEqual(await reportSummary(operator, Q, Q));
  });

  it('when trusted code (the operator) reads, then nothing is hidden', async () => {
    // Act
    const list = await listOrganisations(operator, { quarter: Q });

    // Assert
    expect(list.items.filter((o) => o.notes === NOTES)).toHaveLength(3);
  });
});

describe('an account acting on itself', () => {
  /** An account and the context of its own principal. */
  async function account(email: string, role: Role = 'projectleider') {
    const id = await insertTestUser(operator.db, email, role);
    return { id, ctx: contextOf(await principalOf(operator, { userId: id })) };
  }
  /** Whether the account is disabled; undefined once it is removed. */
  const disabled = async (id: number) => (await listUsers(operator)).find((u) => u.id === id)?.disabled;

  it('when a projectleider disables its own account, then it is refused with cannot_disable_self and stays enabled', async () => {
    // Arrange: a colleague, so the last-projectleider rule is not what refuses
    const me = await account('ik@regio.example.org');
    await account('collega@regio.example.org');

    // Act & Assert: refused
    await expectAppError(() => updateUser(me.ctx, me.id, { disabled: true }), 'cannot_disable_self', 409);

    // Assert: and nothing changed
    expect(await disabled(me.id)).toBe(false);
  });

  it('when a projectleider removes its own account, then it is refused with cannot_remove_self and stays', async () => {
    // Arrange
    const me = await account('zelf@regio.example.org');

    // Act & Assert: refused
    await expectAppError(() => removeUser(me.ctx, me.id), 'cannot_remove_self', 409);

    // Assert: and nothing changed
    expect(await disabled(me.id)).toBe(false);
  });

  it('when a projectleider disables or removes a colleague, then that is allowed: the rule is about oneself', async () => {
    // Arrange
    const me = await account('leider@regio.example.org');
    const colleague = await account('vertrekker@regio.example.org');
    const board = await account('weg@regio.example.org', 'bestuur');

    // Act
    await updateUser(me.ctx, colleague.id, { disabled: true });
    await removeUser(me.ctx, board.id);

    // Assert
    expect(await disabled(colleague.id)).toBe(true);
    expect(await disabled(board.id)).toBeUndefined();
  });
});
