/**
 * Test data and small helpers shared by every test folder. Imports no app code, so the domain
 * tests that use it stay free of Fastify and the database.
 */
import { expect } from 'vitest';
import type { ErrorCode } from '../server/contracts/errors.contract.ts';
import type { AnswersInput } from '../server/contracts/quickscan.contract.ts';
import { AppError } from '../server/errors.ts';

export type { AnswersInput };
export type AnswerInput = AnswersInput[string];

/** The criteria of model v1, per gear, as DOMAIN.md lists them. */
export const KEYS_OF: Record<2 | 3 | 4 | 5, string[]> = {
  2: ['2a', '2b', '2c', '2d'],
  3: ['3a', '3b', '3c', '3d', '3e'],
  4: ['4a', '4b', '4c', '4d', '4e'],
  5: ['5a', '5b', '5c'],
};

/** Every criterion of model v1, in order: 2a..2d, 3a..3e, 4a..4e, 5a..5c. */
export const ALL_KEYS = [...KEYS_OF[2], ...KEYS_OF[3], ...KEYS_OF[4], ...KEYS_OF[5]];

/** A full answers object that gives exactly `gear`: every criterion up to it `ja`, the rest `nee`. */
export function answersForGear(gear: number, overrides: AnswersInput = {}): AnswersInput {
  const answers: AnswersInput = {};
  for (const g of [2, 3, 4, 5] as const) {
    for (const key of KEYS_OF[g]) answers[key] = g <= gear ? 'ja' : 'nee';
  }
  return { ...answers, ...overrides };
}

/** Runs `fn` and returns what it threw; fails the test when it does not throw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

/**
 * Runs `run` and returns what it threw or rejected with (a service may refuse before it starts
 * its work, synchronously); fails the test when it succeeds.
 */
export async function rejectionOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * Runs `run` and asserts that it refuses with an AppError of `code` (and `status` when given);
 * returns the error for further checks.
 */
export async function expectAppError(
  run: () => Promise<unknown>,
  code: ErrorCode,
  status?: number,
): Promise<AppError> {
  const error = await rejectionOf(run);
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (status !== undefined) expect(appError.statusCode, appError.message).toBe(status);
  return appError;
}

/** A tiny seeded PRNG (mulberry32): the same seed gives the same cases, so a failure replays. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
