// Passwords hashed with Argon2id (OWASP's recommended parameters: 19 MiB, 2 passes, 1 lane).
import { hash, verify } from '@node-rs/argon2';
import { UserError } from '../domain/errors.js';

/** Argon2id is algorithm 2 in @node-rs/argon2 (its enum is a const enum, so the number is spelled out). */
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

/** The Argon2id hash (a PHC string carrying its salt and parameters) of a password that passes the policy. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UserError(`The password has ${password.length} characters; it needs at least ${MIN_PASSWORD_LENGTH}`, {
      hint: 'Use a passphrase of several words.',
    });
  if (password.length > 1024) throw new UserError('The password is longer than 1024 characters');
  return hash(password, OPTIONS as never);
}

/** True when the password matches the hash; a malformed hash counts as no match. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so that a wrong name takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('not-a-real-password', OPTIONS as never);
  return dummyHash;
}
