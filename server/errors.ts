import type { ErrorCode, ErrorDetails, Problem } from './contracts/errors.contract.ts';

export type { ErrorCode, ErrorDetails, Problem };

/**
 * Errors that carry a stable code, an HTTP status and a message a person can act on.
 * The domain, repositories and services throw these; the HTTP layer and the CLI map them.
 * This module imports only types, so the pure domain may use it too.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Input that is malformed or breaks a validation rule (400). */
export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetails, code: ErrorCode = 'validation_failed') {
    super(code, 400, message, details);
  }
}

/** A thing that does not exist (404). */
export class NotFoundError extends AppError {
  constructor(message: string, code: ErrorCode) {
    super(code, 404, message);
  }
}

/** A write that collides with the current state: a duplicate or a stale version (409). */
export class ConflictError extends AppError {
  constructor(message: string, code: ErrorCode, details?: ErrorDetails) {
    super(code, 409, message, details);
  }
}

/** Well-formed input that a business rule refuses (422). */
export class RuleError extends AppError {
  constructor(message: string, code: ErrorCode, details?: ErrorDetails) {
    super(code, 422, message, details);
  }
}

/** Not signed in, or the session ended (401). */
export class UnauthorizedError extends AppError {
  constructor(
    message = 'u bent niet (meer) ingelogd; log in om verder te gaan',
    code: ErrorCode = 'unauthenticated',
  ) {
    super(code, 401, message);
  }
}

/** Signed in, but this role may not do this (403). */
export class ForbiddenError extends AppError {
  constructor(message = 'u heeft geen toegang tot deze functie', code: ErrorCode = 'forbidden') {
    super(code, 403, message);
  }
}

/** The details of an error about one field: the field's path and the message, for a page to place. */
export function fieldProblem(code: ErrorCode, path: string, message: string): ErrorDetails {
  return { problems: [{ code, path, message }] };
}
