import type { Kysely, Updateable } from 'kysely';
import type { Database, UserRow, UsersTable } from '../schema.ts';

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
] as const;

/** An account without its password hash. */
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
  values: Omit<UsersTable, 'id' | 'version' | 'disabled_at' | 'last_login_at'>,
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
