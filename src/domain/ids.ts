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

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A user's `group_id` (the `/v1/groups/{group_id}` segment of inference URLs, DESIGN row 32):
 * 16 lowercase alphanumerics derived from the user id, so it needs no column on users and is the
 * same on every server.
 */
export function groupIdOf(userId: string): string {
  const digest = createHash('sha256').update(`group:${userId}`, 'utf8').digest();
  let id = '';
  for (let i = 0; i < 16; i++) id += BASE36[digest[i]! % 36];
  return id;
}
