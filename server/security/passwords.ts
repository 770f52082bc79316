import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../contracts/user.contract.ts';
import { isCommonPassword, isRepeatedCharacter } from '../domain/common-passwords.ts';
import { fieldProblem, ValidationError } from '../errors.ts';

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

// scrypt parameters: N=2^15, r=8, p=1 (about 32 MiB and tens of milliseconds per hash).
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const MAX_MEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Refuses a password that is blank, too short or too long, one repeated character, on the list
 * of common passwords, or hardly more than the account's e-mail address (the part before the @
 * does not count towards the length), with a message that says so.
 */
export function checkPasswordPolicy(password: string, account: { email?: string } = {}): void {
  const refuse = (message: string) =>
    new ValidationError(message, fieldProblem('weak_password', 'password', message), 'weak_password');
  const trimmed = password.trim();
  if (trimmed === '') {
    throw refuse('het wachtwoord is leeg of bestaat alleen uit spaties');
  }
  if (trimmed.length < MIN_PASSWORD_LENGTH) {
    throw refuse(`het wachtwoord is te kort: gebruik minstens ${MIN_PASSWORD_LENGTH} tekens`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw refuse(`het wachtwoord is langer dan ${MAX_PASSWORD_LENGTH} tekens`);
  }
  if (isRepeatedCharacter(password)) {
    throw refuse('het wachtwoord bestaat uit één teken dat steeds herhaald wordt; kies een ander');
  }
  if (isCommonPassword(password)) {
    throw refuse('dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden; kies een ander');
  }
  const localPart = account.email?.trim().split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && trimmed.toLowerCase().includes(localPart)) {
    const rest = trimmed.toLowerCase().replaceAll(localPart, '').trim();
    if (rest.length < MIN_PASSWORD_LENGTH) {
      throw refuse('het wachtwoord lijkt te veel op het e-mailadres; kies een ander');
    }
  }
}

/** A salted scrypt hash: `scrypt$N$r$p$salt$hash` (base64). Never stores the password itself. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | null = null;

/** Spends the same time as a real check, so an unknown email cannot be told from a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('dummy-password-for-timing');
  await verifyPassword(password, await dummyHash);
  return false;
}
