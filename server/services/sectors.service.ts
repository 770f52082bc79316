import type { Sector } from '../contracts/sector.contract.ts';
import { deleteDroppedTargetsOfSector, sectorOutcomeCounts } from '../db/repositories/outcomes.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import * as repo from '../db/repositories/sectors.repository.ts';
import type { SectorRow } from '../db/schema.ts';
import { checkName as checkNameRule, duplicateName, nameKey } from '../domain/names.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { inTransaction } from './transaction.ts';

function toDto(row: SectorRow, organisationCount: number, totalCount: number): Sector {
  return { id: row.id, name: row.name, organisationCount, deletable: totalCount === 0, version: row.version };
}

async function counted(db: ServiceContext['db'], row: SectorRow): Promise<Sector> {
  const [active, total] = await Promise.all([
    repo.countOrganisationsInSector(db, row.id, { includeArchived: false }),
    repo.countOrganisationsInSector(db, row.id, { includeArchived: true }),
  ]);
  return toDto(row, active, total);
}

function snapshot(row: SectorRow) {
  return { id: row.id, name: row.name };
}

function checkName(raw: string): string {
  return checkNameRule(raw, 'de sector', 100);
}

export async function listSectors(ctx: ServiceContext): Promise<Sector[]> {
  const rows = await repo.listSectors(ctx.db);
  return rows.map((r) => toDto(r, Number(r.organisation_count), Number(r.total_count)));
}

export async function getSector(ctx: ServiceContext, id: number): Promise<Sector> {
  const row = await repo.findSector(ctx.db, id);
  if (!row) throw new NotFoundError(`sector ${id} bestaat niet`, 'sector_not_found');
  return counted(ctx.db, row);
}

/** Finds a sector by id or by name (case-insensitive); for the CLI and the import. */
export async function resolveSector(ctx: ServiceContext, idOrName: string | number): Promise<SectorRow> {
  const asNumber =
    typeof idOrName === 'number' ? idOrName : /^\d+$/.test(idOrName.trim()) ? Number(idOrName) : null;
  const row =
    asNumber !== null
      ? await repo.findSector(ctx.db, asNumber)
      : await repo.findSectorByKey(ctx.db, nameKey(String(idOrName)));
  if (!row) throw new NotFoundError(`sector '${idOrName}' bestaat niet`, 'sector_not_found');
  return row;
}

export function createSector(ctx: ServiceContext, rawName: string): Promise<Sector> {
  const name = checkName(rawName);
  return inTransaction(ctx.db, async (trx) => {
    if (await repo.findSectorByKey(trx, nameKey(name))) {
      throw duplicateName('sector', name);
    }
    const now = ctx.now().toISOString();
    const row = await repo.insertSector(trx, name, nameKey(name), now);
    await insertRevision(trx, {
      entity: 'sector',
      entityId: row.id,
      organisationId: null,
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(row),
      actor: ctx.actor,
      at: now,
    });
    return toDto(row, 0, 0);
  });
}

export function renameSector(
  ctx: ServiceContext,
  id: number,
  rawName: string,
  expectedVersion?: number,
): Promise<Sector> {
  const name = checkName(rawName);
  return inTransaction(ctx.db, async (trx) => {
    const before = await repo.findSector(trx, id);
    if (!before) throw new NotFoundError(`sector ${id} bestaat niet`, 'sector_not_found');
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new ConflictError(
        `sector '${before.name}' is intussen gewijzigd (nu versie ${before.version}); laad de lijst opnieuw`,
        'version_conflict',
        { currentVersion: before.version },
      );
    }
    const clash = await repo.findSectorByKey(trx, nameKey(name));
    if (clash && clash.id !== id) throw duplicateName('sector', name);
    if (before.name === name) return counted(trx, before);
    const now = ctx.now().toISOString();
    const row = await repo.renameSector(trx, id, name, nameKey(name), now);
    await insertRevision(trx, {
      entity: 'sector',
      entityId: id,
      organisationId: null,
      quarter: null,
      action: 'update',
      before: snapshot(before),
      after: snapshot(row),
      actor: ctx.actor,
      at: now,
    });
    return counted(trx, row);
  });
}

/** Removes an empty sector. A sector that has (or had) organisations cannot vanish. */
export function deleteSector(ctx: ServiceContext, id: number): Promise<void> {
  return inTransaction(ctx.db, async (trx) => {
    const row = await repo.findSector(trx, id);
    if (!row) throw new NotFoundError(`sector ${id} bestaat niet`, 'sector_not_found');
    const count = await repo.countOrganisationsInSector(trx, id, { includeArchived: true });
    if (count > 0) {
      throw new ConflictError(
        `sector '${row.name}' heeft of had ${count} organisatie${count === 1 ? '' : 's'} (ook gearchiveerde en eerdere); ` +
          'hun cijfers van toen horen bij deze sector, dus hij kan niet verdwijnen',
        'sector_in_use',
        { organisationCount: count },
      );
    }
    const outcomes = await sectorOutcomeCounts(trx, id);
    if (outcomes.targets > 0 || outcomes.baseline) {
      const what = [
        outcomes.baseline ? 'een eigen 0-meting' : null,
        outcomes.targets > 0 ? `${outcomes.targets} doel${outcomes.targets === 1 ? '' : 'en'}` : null,
      ]
        .filter(Boolean)
        .join(' en ');
      throw new ConflictError(
        `sector '${row.name}' heeft ${what}; haal die eerst weg (Uitkomsten) voordat de sector kan verdwijnen`,
        'sector_in_use',
      );
    }
    // Dropped targets of the sector are history in the revisions; their rows go with the sector.
    await deleteDroppedTargetsOfSector(trx, id);
    await repo.deleteSector(trx, id);
    const now = ctx.now().toISOString();
    await insertRevision(trx, {
      entity: 'sector',
      entityId: id,
      organisationId: null,
      quarter: null,
      action: 'delete',
      before: snapshot(row),
      after: null,
      actor: ctx.actor,
      at: now,
    });
  });
}
