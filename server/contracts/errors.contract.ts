import { z } from 'zod';

/**
 * Every error code the API, the CLI and the services use: one code per condition. A page or
 * script decides by code (and by a problem's path or criterion), never by the Dutch message.
 */
export const ERROR_CODES = [
  // Input that does not have the right shape or breaks a validation rule (400)
  'validation_failed',
  'invalid_json',
  'invalid_url',
  'url_too_long',
  'empty_body',
  'invalid_content_length',
  'bad_request',
  'invalid_quarter',
  'reversed_period',
  'future_quarter',
  'invalid_name',
  'invalid_membership',
  'invalid_date',
  'invalid_answers',
  'invalid_gear',
  'weak_password',
  'organisation_required',
  'organisation_not_allowed',
  'file_missing',
  'invalid_upload',
  'import_invalid',
  'invalid_target',
  'unknown_criterion',
  'invalid_file_name',
  'invalid_file_type',
  'file_type_mismatch',
  // Sign-in and access (401, 403, 429)
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'csrf_failed',
  'no_access_rule',
  'too_many_requests',
  'invalid_two_factor_code',
  'two_factor_challenge_invalid',
  'wrong_password',
  // Things that do not exist (404)
  'route_not_found',
  'organisation_not_found',
  'sector_not_found',
  'quickscan_not_found',
  'user_not_found',
  'share_link_not_found',
  'model_not_found',
  'setup_token_invalid',
  'target_not_found',
  'action_not_found',
  'activity_not_found',
  'baseline_not_found',
  'resource_not_found',
  'invitation_not_found',
  'invitation_invalid',
  // Collisions with the current state (409)
  'version_conflict',
  'duplicate_name',
  'duplicate_email',
  'quickscan_exists',
  'quickscan_has_answers',
  'sector_in_use',
  'archived',
  'already_archived',
  'not_archived',
  'already_revoked',
  'cannot_disable_self',
  'cannot_remove_self',
  'last_projectleider',
  'setup_done',
  'quarter_closed',
  'quarter_already_closed',
  'quarter_not_closed',
  'close_order',
  'reopen_order',
  'two_factor_already_enabled',
  'two_factor_not_enabled',
  'two_factor_not_started',
  'two_factor_required',
  'cannot_reset_own_two_factor',
  'invitation_used',
  'user_disabled',
  // Well-formed input a business rule refuses (422)
  'not_a_member',
  'gears_outside_membership',
  'no_baseline',
  // Request size and type (413, 415)
  'body_too_large',
  'file_too_large',
  'unsupported_media_type',
  // The server and its surroundings (5xx, start-up, CLI)
  'internal_error',
  'database_busy',
  'disk_full',
  'server_stopping',
  'database_unavailable',
  'migration_failed',
  'model_version_changed',
  'read_failed',
  'write_failed',
  'database_not_empty',
  'demo_period_invalid',
  'file_exists',
  'database_in_use',
  'backup_invalid',
  'schema_too_new',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What one problem in a refused request is about. Validation of a field: `invalid_field` (or
 * `unknown_field`); a quickscan's answers: `answer_missing`, `answer_invalid`, `criterion_unknown`,
 * `note_required`; a list being imported: `import_file` (the file as a whole), `import_cell`
 * (a row, and its column when known) or `similar_sector` (a new sector name that looks like an
 * existing one; confirm it with `newSector`). A service refusing one field uses the error's own code.
 */
export const PROBLEM_CODES = [
  'invalid_field',
  'unknown_field',
  'answer_missing',
  'answer_invalid',
  'criterion_unknown',
  'note_required',
  'import_file',
  'import_cell',
  'similar_sector',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const problemSchema = z
  .object({
    code: z.enum([...PROBLEM_CODES, ...ERROR_CODES]),
    message: z.string(),
    path: z.string().optional().meta({ description: 'Het veld, bijvoorbeeld "memberFrom" of "answers.2a"' }),
    criterion: z
      .string()
      .optional()
      .meta({ description: 'Het criterium van de quickscan, bijvoorbeeld "2a"' }),
    row: z.number().int().nullable().optional().meta({ description: 'Rij in het bestand (import)' }),
    column: z.string().nullable().optional().meta({ description: 'Kolom in het bestand (import)' }),
  })
  .meta({ id: 'Problem' });

/** One problem of a refused request: the field, criterion or cell it is about, and what is wrong. */
export type Problem = z.infer<typeof problemSchema>;

/** Details of an error: every problem at once, plus whatever else the condition tells (e.g. `currentVersion`). */
export interface ErrorDetails {
  problems?: Problem[];
  [key: string]: unknown;
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z
        .object({ problems: z.array(problemSchema).optional() })
        .catchall(z.unknown())
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

/** The body of every error reply. */
export type ErrorBody = z.infer<typeof errorSchema>;

/** Error replies a read may give, for the OpenAPI document. */
export const readErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
} as const;

/** Error replies a write may give, for the OpenAPI document. */
export const errorResponses = {
  ...readErrors,
  409: errorSchema,
  413: errorSchema,
  415: errorSchema,
  422: errorSchema,
} as const;
