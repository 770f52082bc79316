/**
 * Errors that carry a stable code, an HTTP status and a message a person can act on.
 * The domain, repositories and services throw these; the HTTP layer and the CLI map them.
 * This module imports nothing, so the pure domain may use it too.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Input that is malformed or breaks a validation rule (400). */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown, code = 'validation_failed') {
    super(code, 400, message, details);
  }
}

/** A thing that does not exist (404). */
export class NotFoundError extends AppError {
  constructor(message: string, code = 'not_found') {
    super(code, 404, message);
  }
}

/** A write that collides with the current state: a duplicate or a stale version (409). */
export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict', details?: unknown) {
    super(code, 409, message, details);
  }
}

/** Well-formed input that a business rule refuses (422). */
export class RuleError extends AppError {
  constructor(message: string, code = 'rule_violated', details?: unknown) {
    super(code, 422, message, details);
  }
}

/** Not signed in, or the session ended (401). */
export class UnauthorizedError extends AppError {
  constructor(message = 'u bent niet (meer) ingelogd; log in om verder te gaan', code = 'unauthenticated') {
    super(code, 401, message);
  }
}

/** Signed in, but this role may not do this (403). */
export class ForbiddenError extends AppError {
  constructor(message = 'u heeft geen toegang tot deze functie', code = 'forbidden') {
    super(code, 403, message);
  }
}
