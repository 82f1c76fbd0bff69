/** Identifiers and keys: random, URL-safe, and hashed before they are stored. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** `external_process_id`: a UUID (the spec leaves the format open). */
export function newProcessId(): string {
  return randomUUID();
}

export function newUserId(): string {
  return randomUUID();
}

/** API and secret keys: UUID format, as observed for Prediction One keys (spec §1.4). */
export function newKey(): string {
  return randomUUID();
}

/** Secret for signing URLs: 32 random bytes, hex. */
export function newSigningSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Keys are stored as their SHA-256; a leaked database does not leak usable keys. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
