import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface SectorsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  position: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OrganisationsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  sector_id: number;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  notes: string | null;
  member_from: string;
  member_until: string | null;
  archived_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SchakelmodellenTable {
  id: string;
  version: number;
  name: string;
  definition: string;
  registered_at: string;
}

export type QuickscanSource = 'quickscan' | 'import' | 'manual';

export interface QuickscansTable {
  id: Generated<number>;
  organisation_id: number;
  quarter: string;
  source: QuickscanSource;
  gear: number;
  conducted_on: string | null;
  conducted_by: string | null;
  model_id: string | null;
  model_version: number | null;
  remark: string | null;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface QuickscanAnswersTable {
  quickscan_id: number;
  criterion_key: string;
  answer: 'ja' | 'deels' | 'nee' | 'nvt';
  note: string | null;
}

export type RevisionEntity = 'sector' | 'organisation' | 'quickscan' | 'user' | 'share_link';
export type RevisionAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'archive'
  | 'restore'
  | 'disable'
  | 'enable'
  | 'revoke'
  | 'password_reset';

export interface RevisionsTable {
  id: Generated<number>;
  entity: RevisionEntity;
  entity_id: number;
  organisation_id: number | null;
  quarter: string | null;
  action: RevisionAction;
  before: string | null;
  after: string | null;
  actor: string;
  at: string;
}

export type Role = 'projectleider' | 'bestuur' | 'organisatie';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  email_key: string;
  password_hash: string;
  role: Role;
  organisation_id: number | null;
  disabled_at: string | null;
  last_login_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ShareLinksTable {
  id: Generated<number>;
  organisation_id: number;
  token_hash: string;
  label: string | null;
  expires_at: string;
  revoked_at: string | null;
  created_by: string;
  created_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number | null;
  share_link_id: number | null;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface Database {
  users: UsersTable;
  share_links: ShareLinksTable;
  sessions: SessionsTable;
  sectors: SectorsTable;
  organisations: OrganisationsTable;
  schakelmodellen: SchakelmodellenTable;
  quickscans: QuickscansTable;
  quickscan_answers: QuickscanAnswersTable;
  revisions: RevisionsTable;
}

export type SectorRow = Selectable<SectorsTable>;
export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type QuickscanRow = Selectable<QuickscansTable>;
export type AnswerRow = Selectable<QuickscanAnswersTable>;
export type RevisionRow = Selectable<RevisionsTable>;
export type UserRow = Selectable<UsersTable>;
export type ShareLinkRow = Selectable<ShareLinksTable>;
export type SessionRow = Selectable<SessionsTable>;
