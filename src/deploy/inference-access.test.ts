import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import {
  apiKeysEqual,
  checkInferenceAccess,
  newClassifierApiKey,
  newClassifierId,
  type ClassifierAccessView,
  type InferenceCaller,
} from './inference-access.js';

const classifier: ClassifierAccessView = {
  groupId: 'i5bm94my1c8f99w2',
  apiKey: '0b8e2f9c-1111-4222-8333-444455556666',
  status: 'running',
  rules: [{ source: '203.0.113.0/24', order: 'allow', priority: 0 }],
};
const caller: InferenceCaller = { groupId: 'i5bm94my1c8f99w2', apiKey: classifier.apiKey, ip: '::ffff:203.0.113.10' };

function errorOf(view: ClassifierAccessView | null, who: InferenceCaller): [number, string] {
  try {
    checkInferenceAccess(view, who);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return [(err as AppError).code, (err as Error).message];
  }
  throw new Error('allowed');
}

describe('checkInferenceAccess', () => {
  it('lets a good call through', () => {
    expect(() => checkInferenceAccess(classifier, caller)).not.toThrow();
    expect(() => checkInferenceAccess({ ...classifier, status: 'updating' }, caller)).not.toThrow();
  });

  it('maps each failure to its documented error, in order', () => {
    expect(errorOf(null, caller)).toEqual([4001030101, 'Not found classifier in classifiers table']);
    expect(errorOf(classifier, { ...caller, groupId: 'zzzzzzzzzzzzzzzz' })).toEqual([4031030201, 'Invalid classifier id']);
    expect(errorOf(classifier, { ...caller, ip: '198.51.100.1', apiKey: 'wrong' })).toEqual([4031030201, 'Not allowed source ip']);
    expect(errorOf(classifier, { ...caller, apiKey: 'wrong' })).toEqual([4031030201, 'Invalid API key']);
    expect(errorOf(classifier, { ...caller, apiKey: undefined })).toEqual([4031030201, 'Invalid API key']);
    expect(errorOf({ ...classifier, status: 'terminated' }, caller)).toEqual([5031030101, 'status is not running (status: stopped)']);
  });
});

describe('keys and ids', () => {
  it('compares keys in constant time without throwing on length', () => {
    expect(apiKeysEqual('abc', 'abc')).toBe(true);
    expect(apiKeysEqual('abc', 'abcd')).toBe(false);
  });

  it('makes ids in the observed formats', () => {
    expect(newClassifierId()).toMatch(/^[0-9a-z]{16}$/);
    expect(newClassifierApiKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
