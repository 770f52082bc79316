import type { Migration } from 'kysely';
import * as initial from './2026-11-23-001-initial.ts';
import * as accounts from './2026-11-23-002-accounts.ts';
import * as timelines from './2026-11-29-003-timelines.ts';
import * as closedQuarters from './2026-11-30-004-closed-quarters.ts';
import * as twoFactor from './2026-11-30-005-two-factor.ts';
import * as incidents from './2026-11-30-006-incidents.ts';
import * as baselinesTargets from './2026-11-30-007-baselines-targets.ts';
import * as networkWork from './2026-11-30-008-network-work.ts';

/** Every migration, by name; names sort in the order they must run. Add new ones here. */
export const migrations: Record<string, Migration> = {
  '2026-11-23-001-initial': initial,
  '2026-11-23-002-accounts': accounts,
  '2026-11-29-003-timelines': timelines,
  '2026-11-30-004-closed-quarters': closedQuarters,
  '2026-11-30-005-two-factor': twoFactor,
  '2026-11-30-006-incidents': incidents,
  '2026-11-30-007-baselines-targets': baselinesTargets,
  '2026-11-30-008-network-work': networkWork,
};
