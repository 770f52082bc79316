import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AnswerValue, QuickscanSource } from '../contracts/quickscan.contract.ts';
import type { RevisionAction, RevisionEntity } from '../contracts/revision.contract.ts';
import type { Role } from '../contracts/user.contract.ts';
import type { Quarter } from '../domain/quarter.ts';

export type { AnswerValue, QuickscanSource, RevisionAction, RevisionEntity, Role };

// Quarters are stored as canonical strings (`2016-Q4`) and only ever written from checked
// quarters, so the columns carry the Quarter type.

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
  member_from: Quarter;
  member_until: Quarter | null;
  archived_at: string | null;
  /** JSON of the membership periods before archiving, so restoring reopens exactly what archiving closed. */
  restore_memberships: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** Membership periods; the organisation's `member_from`/`member_until` summarise the latest one. */
export interface MembershipsTable {
  id: Generated<number>;
  organisation_id: number;
  from_quarter: Quarter;
  until_quarter: Quarter | null;
}

/** The sector from a quarter onwards; the organisation's `sector_id` is that of the latest one. */
export interface SectorPeriodsTable {
  id: Generated<number>;
  organisation_id: number;
  sector_id: number;
  from_quarter: Quarter;
}

export interface SchakelmodellenTable {
  id: string;
  version: number;
  name: string;
  definition: string;
  registered_at: string;
}

export interface QuickscansTable {
  id: Generated<number>;
  organisation_id: number;
  quarter: Quarter;
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
  answer: AnswerValue;
  note: string | null;
}

export interface RevisionsTable {
  id: Generated<number>;
  entity: RevisionEntity;
  entity_id: number;
  organisation_id: number | null;
  quarter: Quarter | null;
  action: RevisionAction;
  before: string | null;
  after: string | null;
  actor: string;
  at: string;
  /** Why a closed quarter's figure was changed (a restatement); null for ordinary writes. */
  reason: Generated<string | null>;
}

/** Incident figures of one organisation in one quarter; null is "not registered" (not 0). */
export interface IncidentFiguresTable {
  id: Generated<number>;
  organisation_id: number;
  quarter: Quarter;
  verbal: number | null;
  threat: number | null;
  physical: number | null;
  other: number | null;
  reports: number | null;
  reactions_48h: number | null;
  damage_recovered: number | null;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** The 0-meting: a baseline period and target change, for the region (no sector) or one sector. */
export interface IncidentBaselinesTable {
  id: Generated<number>;
  sector_id: number | null;
  from_quarter: Quarter;
  to_quarter: Quarter;
  /** The aimed change of incidents per 100 employees, in percent: −25 is 25% fewer. */
  target_percent: number;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** A figure the region aims at by a quarter; removed ones stay, marked. */
export interface TargetsTable {
  id: Generated<number>;
  kind: string;
  value: number;
  quarter: Quarter;
  sector_id: number | null;
  created_at: string;
  created_by: string;
  removed_at: string | null;
  removed_by: string | null;
}

export type ActionStatus = 'open' | 'bezig' | 'klaar' | 'vervallen';

/** An action agreed with an organisation, on a criterion of the model. */
export interface ActionsTable {
  id: Generated<number>;
  organisation_id: number;
  criterion_key: string;
  title: string;
  owner: string | null;
  due_quarter: Quarter | null;
  /** YYYY-MM-DD. */
  due_date: string | null;
  status: Generated<ActionStatus>;
  note: string | null;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export type ActivityKind =
  | 'huisbezoek'
  | 'netwerkbijeenkomst'
  | 'ambassadeursbijeenkomst'
  | 'workshop'
  | 'advies'
  | 'overig';

/** Something the network did: a house visit, a meeting, a workshop, advice. */
export interface ActivitiesTable {
  id: Generated<number>;
  /** YYYY-MM-DD. */
  date: string;
  kind: ActivityKind;
  title: string;
  notes: string | null;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  removed_at: string | null;
  removed_by: string | null;
}

export interface ActivityOrganisationsTable {
  activity_id: number;
  organisation_id: number;
}

export interface ActivityMeasuresTable {
  activity_id: number;
  measure: string;
}

/** A resource of the apothekerskast: a link, or a document stored here. */
export interface ResourcesTable {
  id: Generated<number>;
  criterion_key: string | null;
  measure: string | null;
  title: string;
  description: string | null;
  url: string | null;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  content: Buffer | null;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  removed_at: string | null;
  removed_by: string | null;
}

/** A one-time link to set a password: a new account (invite) or a forgotten password (reset). */
export interface InvitationsTable {
  id: Generated<number>;
  token_hash: string;
  purpose: 'invite' | 'reset';
  email: string;
  role: Role;
  organisation_id: number | null;
  user_id: number | null;
  created_at: string;
  created_by: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

/** An organisation's employees with a public task in one year (the rates' denominator). */
export interface OrganisationEmployeesTable {
  id: Generated<number>;
  organisation_id: number;
  year: number;
  employees: number;
  version: Generated<number>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface QuarterClosingsTable {
  id: Generated<number>;
  quarter: Quarter;
  closed_at: string;
  closed_by: string;
  reopened_at: string | null;
  reopened_by: string | null;
  reopen_reason: string | null;
}

export interface ClosedOrganisationFiguresTable {
  closing_id: number;
  organisation_id: number;
  sector_id: number;
  gear: number | null;
  recorded_in: Quarter | null;
}

export interface ClosedScopeFiguresTable {
  closing_id: number;
  /** 0 is the region. */
  sector_id: number;
  name: string;
  n: number;
  average: number | null;
  stale_count: number;
}

export interface RestatementsTable {
  id: Generated<number>;
  closing_id: number;
  quarter: Quarter;
  /** 0 is the region. */
  sector_id: number;
  name: string;
  before_n: number;
  before_average: number | null;
  n: number;
  average: number | null;
  stale_count: number;
  reason: string;
  actor: string;
  at: string;
}

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
  /** The TOTP secret (base32): pending while `totp_enabled_at` is null. */
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** The last TOTP time step a code was accepted for: a code of this step or earlier is refused. */
  totp_last_step: number | null;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface LoginChallengesTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  /** `verify`: the account has two-factor sign-in; `enrol`: it must set it up first. */
  purpose: 'verify' | 'enrol';
  /** The secret being set up (enrol only). */
  secret: string | null;
  created_at: string;
  expires_at: string;
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
  memberships: MembershipsTable;
  sector_periods: SectorPeriodsTable;
  schakelmodellen: SchakelmodellenTable;
  quickscans: QuickscansTable;
  quickscan_answers: QuickscanAnswersTable;
  revisions: RevisionsTable;
  incident_figures: IncidentFiguresTable;
  organisation_employees: OrganisationEmployeesTable;
  incident_baselines: IncidentBaselinesTable;
  targets: TargetsTable;
  actions: ActionsTable;
  activities: ActivitiesTable;
  activity_organisations: ActivityOrganisationsTable;
  activity_measures: ActivityMeasuresTable;
  resources: ResourcesTable;
  invitations: InvitationsTable;
  quarter_closings: QuarterClosingsTable;
  closed_organisation_figures: ClosedOrganisationFiguresTable;
  closed_scope_figures: ClosedScopeFiguresTable;
  restatements: RestatementsTable;
  recovery_codes: RecoveryCodesTable;
  login_challenges: LoginChallengesTable;
}

export type SectorRow = Selectable<SectorsTable>;
export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type QuickscanRow = Selectable<QuickscansTable>;
export type AnswerRow = Selectable<QuickscanAnswersTable>;
export type RevisionRow = Selectable<RevisionsTable>;
export type IncidentFiguresRow = Selectable<IncidentFiguresTable>;
export type EmployeesRow = Selectable<OrganisationEmployeesTable>;
export type BaselineRow = Selectable<IncidentBaselinesTable>;
export type TargetRow = Selectable<TargetsTable>;
export type ActionRow = Selectable<ActionsTable>;
export type ActivityRow = Selectable<ActivitiesTable>;
export type ResourceRow = Selectable<ResourcesTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type UserRow = Selectable<UsersTable>;
export type ShareLinkRow = Selectable<ShareLinksTable>;
export type SessionRow = Selectable<SessionsTable>;
