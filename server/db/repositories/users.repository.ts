import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, LoginChallengesTable, UserRow, UsersTable } from '../schema.ts';

type Db = Kysely<Database>;

/**
 * The columns an account is read with: every column but the password hash, which only
 * {@link findCredentials} reads (for signing in), so it cannot leak through a reply or a log.
 */
const USER_COLUMNS = [
  'id',
  'email',
  'email_key',
  'role',
  'organisation_id',
  'disabled_at',
  'last_login_at',
  'version',
  'created_at',
  'updated_at',
  'totp_enabled_at',
] as const;

/** An account without its password hash and TOTP secret. */
export type UserRecord = Pick<UserRow, (typeof USER_COLUMNS)[number]>;

export function listUsers(db: Db): Promise<UserRecord[]> {
  return db.selectFrom('users').select(USER_COLUMNS).orderBy('email_key').execute();
}

export function findUser(db: Db, id: number): Promise<UserRecord | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findUserByEmailKey(db: Db, key: string): Promise<UserRecord | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('email_key', '=', key).executeTakeFirst();
}

/** An account with its password hash, to check a sign-in. */
export function findCredentials(
  db: Db,
  key: string,
): Promise<(UserRecord & Pick<UserRow, 'password_hash'>) | undefined> {
  return db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where('email_key', '=', key)
    .executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active projectleider accounts other than `exceptId`: the last one may not be removed or demoted. */
export async function countOtherActiveProjectleiders(db: Db, exceptId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'projectleider')
    .where('disabled_at', 'is', null)
    .where('id', '<>', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertUser(
  db: Db,
  values: Omit<
    UsersTable,
    'id' | 'version' | 'disabled_at' | 'last_login_at' | 'totp_secret' | 'totp_enabled_at' | 'totp_last_step'
  >,
): Promise<UserRecord> {
  return db.insertInto('users').values(values).returning(USER_COLUMNS).executeTakeFirstOrThrow();
}

export function updateUser(db: Db, id: number, values: Updateable<UsersTable>): Promise<UserRecord> {
  return db
    .updateTable('users')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function recordLogin(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}

export async function deleteUser(db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Two-factor sign-in

/** An account's TOTP state: the secret (pending while not enabled) and the last accepted step. */
export function findTotp(
  db: Db,
  id: number,
): Promise<Pick<UserRow, 'totp_secret' | 'totp_enabled_at' | 'totp_last_step'> | undefined> {
  return db
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled_at', 'totp_last_step'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Sets the TOTP columns without counting as an edit of the account (no version bump). */
export async function setTotp(
  db: Db,
  id: number,
  values: Partial<Pick<UsersTable, 'totp_secret' | 'totp_enabled_at' | 'totp_last_step'>>,
): Promise<void> {
  await db.updateTable('users').set(values).where('id', '=', id).execute();
}

/**
 * Records that a code of `step` was accepted, only when no code of that step or a later one was:
 * false when the code was already used (a replay), also when two requests race.
 */
export async function advanceTotpStep(db: Db, id: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(
  db: Db,
  userId: number,
  hashes: string[],
  at: string,
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: at })))
    .execute();
}

/** Marks an unused recovery code as used; false when there is no such unused code. */
export async function useRecoveryCode(db: Db, userId: number, hash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type LoginChallengeRow = Selectable<LoginChallengesTable>;

/** Stores a login challenge; earlier challenges of the account and expired ones of anyone go. */
export async function insertLoginChallenge(db: Db, values: Omit<LoginChallengeRow, 'id'>): Promise<void> {
  await db
    .deleteFrom('login_challenges')
    .where((eb) => eb.or([eb('user_id', '=', values.user_id), eb('expires_at', '<=', values.created_at)]))
    .execute();
  await db.insertInto('login_challenges').values(values).execute();
}

export function findLoginChallenge(db: Db, tokenHash: string): Promise<LoginChallengeRow | undefined> {
  return db.selectFrom('login_challenges').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Removes a challenge; false when it was already gone (used by a request that came first). */
export async function deleteLoginChallenge(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('login_challenges').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteLoginChallengesOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
}
