/**
 * Who may call a classifier's inference endpoint, checked in a fixed order so that each failure
 * maps to one documented error (spec §2.14): classifier exists → URL group matches → source IP
 * allowed → API key matches → classifier serving. The IP check comes before the key check so a
 * caller from a refused address learns nothing about keys.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import { notServingError, type ClassifierStatus } from './classifier-lifecycle.js';
import { isAllowed, type CompiledRules, type IpRule } from './ip-rules.js';

/** The classifier fields the check reads (from the classifier table, possibly cached). */
export interface ClassifierAccessView {
  /** The `group_id` of its inference URL. */
  readonly groupId: string;
  readonly apiKey: string;
  readonly status: ClassifierStatus;
  readonly rules: CompiledRules | readonly IpRule[];
}

export interface InferenceCaller {
  /** `group_id` from the URL; null on a route without a group (if one is ever added). */
  readonly groupId: string | null;
  /** The `x-api-key` header. */
  readonly apiKey: string | undefined;
  /** `request.ip` / `socket.remoteAddress` (IPv4-mapped IPv6 is fine). */
  readonly ip: string;
}

/** Constant-time comparison of two keys (lengths may differ). */
export function apiKeysEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Throw the documented AppError for the first failed check, or return when the call may proceed.
 * @example checkInferenceAccess(null, caller) // throws 4001030101 Not found classifier in classifiers table
 */
export function checkInferenceAccess(classifier: ClassifierAccessView | null, caller: InferenceCaller): void {
  if (classifier === null) throw new AppError('INFERENCE_CLASSIFIER_NOT_FOUND');
  if (caller.groupId !== null && caller.groupId !== classifier.groupId)
    throw new AppError('INFERENCE_INVALID_CLASSIFIER_ID', 'the URL group does not own this classifier');
  if (!isAllowed(classifier.rules, caller.ip)) throw new AppError('INFERENCE_IP_NOT_ALLOWED', `source ${caller.ip}`);
  if (caller.apiKey === undefined || !apiKeysEqual(caller.apiKey, classifier.apiKey)) throw new AppError('INFERENCE_INVALID_API_KEY');
  const notServing = notServingError(classifier.status);
  if (notServing !== null) throw notServing;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A classifier id or group id: 16 lowercase alphanumerics, as observed (spec §1.4).
 * 36^16 ≈ 2^82 values; the modulo bias of 256 % 36 is irrelevant for identifiers.
 */
export function newClassifierId(): string {
  const bytes = randomBytes(16);
  let id = '';
  for (let i = 0; i < 16; i++) id += ID_ALPHABET[bytes[i]! % 36];
  return id;
}

/** A classifier's inference key: a UUID v4, as observed (spec §1.3). */
export function newClassifierApiKey(): string {
  return randomUUID();
}
