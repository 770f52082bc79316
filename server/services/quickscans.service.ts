import type { GearInput, Quickscan, QuickscanInput } from '../contracts/quickscan.contract.ts';
import type { Revision } from '../contracts/revision.contract.ts';
import * as repo from '../db/repositories/quickscans.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import type { QuickscanRow } from '../db/schema.ts';
import { formatDate } from '../domain/date-format.ts';
import { type Answers, evaluate, parseGear, validateAnswers } from '../domain/gear-engine.ts';
import {
  formatQuarter,
  localDate,
  type Quarter,
  quarterOfDate,
  quarterStartDate,
} from '../domain/quarter.ts';
import type { Gear } from '../domain/schakelmodel.ts';
import { describePeriod, isMemberIn } from '../domain/timeline.ts';
import { ConflictError, fieldProblem, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { guardClosedQuarters } from './closing.service.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { revisions } from './revisions.service.ts';
import { requireTimeline } from './timeline.service.ts';
import { assertMaySee } from './visibility.ts';

/**
 * How a write treats an existing entry in the same quarter: `create` refuses it, `edit` needs
 * the version the writer last saw (optimistic concurrency), `record` edits whatever is there
 * (the CLI's "recording again edits it", safe because it reads and writes in one transaction).
 */
export type WriteMode = 'create' | 'edit' | 'record';

type Db = ServiceContext['db'];

async function toDtos(db: Db, rows: readonly QuickscanRow[]): Promise<Quickscan[]> {
  const answerRows = await repo.answersOf(
    db,
    rows.filter((r) => r.source === 'quickscan').map((r) => r.id),
  );
  const byId = new Map<number, Answers>();
  for (const a of answerRows) {
    const answers = byId.get(a.quickscan_id) ?? {};
    answers[a.criterion_key] = { answer: a.answer, note: a.note };
    byId.set(a.quickscan_id, answers);
  }
  return rows.map((r) => quickscanDto(r, r.source === 'quickscan' ? (byId.get(r.id) ?? {}) : null));
}

/** An entry as the API and the history show it; `answers` null for a directly recorded gear. */
export function quickscanDto(r: QuickscanRow, answers: Answers | null): Quickscan {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    quarter: r.quarter,
    source: r.source,
    gear: r.gear,
    conductedOn: r.conducted_on,
    conductedBy: r.conducted_by,
    model:
      r.model_id !== null && r.model_version !== null ? { id: r.model_id, version: r.model_version } : null,
    answers,
    remark: r.remark,
    version: r.version,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

async function toDto(db: Db, row: QuickscanRow): Promise<Quickscan> {
  return (await toDtos(db, [row]))[0]!;
}

export async function listQuickscans(ctx: ServiceContext, organisationId: number): Promise<Quickscan[]> {
  assertMaySee(ctx, organisationId);
  await requireOrganisation(ctx, organisationId);
  return toDtos(ctx.db, await repo.listQuickscans(ctx.db, organisationId));
}

export async function getQuickscan(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
): Promise<Quickscan> {
  assertMaySee(ctx, organisationId);
  const org = await requireOrganisation(ctx, organisationId);
  const row = await repo.findQuickscan(ctx.db, organisationId, quarter);
  if (!row) {
    throw new NotFoundError(
      `'${org.name}' heeft geen quickscan of versnelling in ${formatQuarter(quarter)}`,
      'quickscan_not_found',
    );
  }
  return toDto(ctx.db, row);
}

function checkDate(value: string | null | undefined, today: string, quarter: Quarter): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const v = value.trim();
  const date = new Date(`${v}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(v) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== v
  ) {
    throw new ValidationError(
      `'${value}' is geen geldige datum: gebruik JJJJ-MM-DD`,
      fieldProblem('invalid_date', 'conductedOn', `'${value}' is geen geldige datum: gebruik JJJJ-MM-DD`),
      'invalid_date',
    );
  }
  if (v > today)
    throw new ValidationError(
      `de datum van de quickscan (${formatDate(v)}) ligt in de toekomst`,
      fieldProblem(
        'invalid_date',
        'conductedOn',
        `de datum van de quickscan (${formatDate(v)}) ligt in de toekomst`,
      ),
      'invalid_date',
    );
  const start = quarterStartDate(quarter);
  if (v < start) {
    const message = `de datum van de quickscan (${formatDate(v)}) ligt vóór ${formatQuarter(quarter)}; kies een datum op of na ${formatDate(start)}`;
    throw new ValidationError(message, fieldProblem('invalid_date', 'conductedOn', message), 'invalid_date');
  }
  return v;
}

function tidy(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const t = value.trim();
  return t === '' ? null : t;
}

/** The checks every gear write shares: organisation exists, was a member then, quarter not in the future. */
async function checkWritable(ctx: ServiceContext, trx: Db, organisationId: number, quarter: Quarter) {
  const org = await requireOrganisation({ ...ctx, db: trx }, organisationId);
  const current = quarterOfDate(ctx.now());
  if (quarter > current) {
    throw new RuleError(
      `${formatQuarter(quarter)} ligt in de toekomst; een versnelling kan tot en met ${formatQuarter(current)} worden vastgelegd`,
      'future_quarter',
    );
  }
  const timeline = await requireTimeline(trx, organisationId);
  if (!isMemberIn(timeline, quarter)) {
    const periods = timeline.memberships.map(describePeriod).join(', ') || 'geen';
    throw new RuleError(
      `'${org.name}' was in ${formatQuarter(quarter)} geen lid van het netwerk (lid: ${periods}); pas zo nodig het lidmaatschap aan`,
      'not_a_member',
      { memberFrom: org.member_from, memberUntil: org.member_until, memberships: timeline.memberships },
    );
  }
  return org;
}

function checkExisting(
  existing: QuickscanRow | undefined,
  mode: WriteMode,
  expectedVersion: number | undefined,
  orgName: string,
  quarter: Quarter,
): void {
  if (!existing) {
    if (mode === 'edit' && expectedVersion !== undefined) {
      throw new ConflictError(
        `de quickscan van '${orgName}' in ${formatQuarter(quarter)} is intussen verwijderd`,
        'version_conflict',
        { currentVersion: null },
      );
    }
    return;
  }
  if (mode === 'record') return;
  if (mode === 'create' || expectedVersion === undefined) {
    throw new ConflictError(
      `'${orgName}' heeft al een ${existing.source === 'quickscan' ? 'quickscan' : 'versnelling'} in ${formatQuarter(quarter)} (versie ${existing.version}); ` +
        `wijzig die met expectedVersion ${existing.version}`,
      'quickscan_exists',
      { currentVersion: existing.version },
    );
  }
  if (existing.version !== expectedVersion) {
    throw new ConflictError(
      `de quickscan van '${orgName}' in ${formatQuarter(quarter)} is intussen door ${existing.updated_by} gewijzigd ` +
        `(nu versie ${existing.version}, u had versie ${expectedVersion}); laad hem opnieuw en probeer het nog eens`,
      'version_conflict',
      { currentVersion: existing.version },
    );
  }
}

/** Records a quickscan: validates the answers against the active model and stores the gear they give. */
export function recordQuickscan(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
  input: QuickscanInput,
  mode: WriteMode,
): Promise<{ quickscan: Quickscan; created: boolean }> {
  const model = ctx.models.active;
  const answers = validateAnswers(model, input.answers);
  const { gear } = evaluate(model, answers);
  const today = localDate(ctx.now());
  const conductedOn =
    input.conductedOn !== undefined ? checkDate(input.conductedOn, today, quarter) : undefined;
  const touches = { from: quarter, organisationIds: [organisationId] };
  return guardClosedQuarters(ctx, touches, input.reason, async (trx) => {
    const org = await checkWritable(ctx, trx, organisationId, quarter);
    const existing = await repo.findQuickscan(trx, organisationId, quarter);
    checkExisting(existing, mode, input.expectedVersion, org.name, quarter);
    const now = ctx.now().toISOString();
    const values = {
      source: 'quickscan' as const,
      gear,
      conducted_on:
        conductedOn !== undefined
          ? conductedOn
          : (existing?.conducted_on ?? (quarter === quarterOfDate(ctx.now()) ? today : null)),
      conducted_by:
        input.conductedBy !== undefined ? tidy(input.conductedBy) : (existing?.conducted_by ?? ctx.actor),
      model_id: model.id,
      model_version: model.version,
      remark: input.remark !== undefined ? tidy(input.remark) : (existing?.remark ?? null),
      updated_at: now,
      updated_by: ctx.actor,
    };
    const entries = Object.entries(answers).map(([key, a]) => ({ key, answer: a.answer, note: a.note }));
    return writeEntry(ctx, trx, organisationId, quarter, existing, values, entries, now);
  });
}

/** Records a gear directly, without answers (a legacy list or a manual correction). */
export function recordGear(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
  input: GearInput,
  mode: WriteMode,
): Promise<{ quickscan: Quickscan; created: boolean }> {
  const gear: Gear = parseGear(input.gear);
  const touches = { from: quarter, organisationIds: [organisationId] };
  return guardClosedQuarters(ctx, touches, input.reason, async (trx) => {
    const org = await checkWritable(ctx, trx, organisationId, quarter);
    const existing = await repo.findQuickscan(trx, organisationId, quarter);
    if (existing?.source === 'quickscan') {
      throw new ConflictError(
        `'${org.name}' heeft in ${formatQuarter(quarter)} een quickscan met antwoorden; de versnelling volgt daaruit. ` +
          'Wijzig de antwoorden, of verwijder de quickscan eerst als u de versnelling rechtstreeks wilt vastleggen',
        'quickscan_has_answers',
        { currentVersion: existing.version },
      );
    }
    checkExisting(existing, mode, input.expectedVersion, org.name, quarter);
    const now = ctx.now().toISOString();
    const values = {
      source: input.source ?? 'manual',
      gear,
      conducted_on: null,
      conducted_by: null,
      model_id: null,
      model_version: null,
      remark: input.remark !== undefined ? tidy(input.remark) : (existing?.remark ?? null),
      updated_at: now,
      updated_by: ctx.actor,
    };
    return writeEntry(ctx, trx, organisationId, quarter, existing, values, [], now);
  });
}

async function writeEntry(
  ctx: ServiceContext,
  trx: Db,
  organisationId: number,
  quarter: Quarter,
  existing: QuickscanRow | undefined,
  values: Parameters<typeof repo.updateQuickscan>[3],
  answers: Parameters<typeof repo.replaceAnswers>[2],
  now: string,
): Promise<{ quickscan: Quickscan; created: boolean }> {
  let row: QuickscanRow;
  let before: Quickscan | null = null;
  if (existing) {
    before = await toDto(trx, existing);
    const updated = await repo.updateQuickscan(trx, existing.id, existing.version, values);
    if (!updated)
      throw new ConflictError(
        'de quickscan is tegelijk door iemand anders gewijzigd; probeer het opnieuw',
        'version_conflict',
      );
    row = updated;
  } else {
    row = await repo.insertQuickscan(trx, {
      ...values,
      organisation_id: organisationId,
      quarter,
      created_at: now,
      created_by: ctx.actor,
    });
  }
  await repo.replaceAnswers(trx, row.id, answers);
  const after = await toDto(trx, row);
  await insertRevision(trx, {
    entity: 'quickscan',
    entityId: row.id,
    organisationId,
    quarter,
    action: existing ? 'update' : 'create',
    before,
    after,
    actor: ctx.actor,
    at: now,
  });
  return { quickscan: after, created: !existing };
}

/** Removes a quickscan or directly recorded gear; the removed version stays in the history. */
export function removeQuickscan(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
  expectedVersion?: number,
  reason?: string,
): Promise<void> {
  const touches = { from: quarter, organisationIds: [organisationId] };
  return guardClosedQuarters(ctx, touches, reason, async (trx) => {
    const org = await requireOrganisation({ ...ctx, db: trx }, organisationId);
    const existing = await repo.findQuickscan(trx, organisationId, quarter);
    if (!existing) {
      throw new NotFoundError(
        `'${org.name}' heeft geen quickscan of versnelling in ${formatQuarter(quarter)}`,
        'quickscan_not_found',
      );
    }
    if (expectedVersion !== undefined && existing.version !== expectedVersion) {
      throw new ConflictError(
        `de quickscan van '${org.name}' in ${formatQuarter(quarter)} is intussen gewijzigd (nu versie ${existing.version}); ` +
          'bekijk de wijziging voordat u hem verwijdert',
        'version_conflict',
        { currentVersion: existing.version },
      );
    }
    const before = await toDto(trx, existing);
    if (!(await repo.deleteQuickscan(trx, existing.id, existing.version))) {
      throw new ConflictError(
        'de quickscan is tegelijk door iemand anders gewijzigd; probeer het opnieuw',
        'version_conflict',
      );
    }
    await insertRevision(trx, {
      entity: 'quickscan',
      entityId: existing.id,
      organisationId,
      quarter,
      action: 'delete',
      before,
      after: null,
      actor: ctx.actor,
      at: ctx.now().toISOString(),
    });
  });
}

/** Every version an organisation's quickscan in a quarter went through, newest first. */
export async function quickscanRevisions(
  ctx: ServiceContext,
  organisationId: number,
  quarter: Quarter,
): Promise<Revision[]> {
  await requireOrganisation(ctx, organisationId);
  return revisions(ctx, {
    entity: 'quickscan',
    organisationId,
    quarter,
    limit: 1000,
    offset: 0,
  });
}
