import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  checkDelete,
  INITIAL_STATE,
  isServing,
  notServingError,
  planPatch,
  planSwitch,
  type ClassifierState,
  type ClassifierStatus,
} from './classifier-lifecycle.js';
import { AppError } from '../domain/errors.js';
import { sameRules } from './ip-rules.js';

const state = (status: ClassifierStatus, over: Partial<ClassifierState> = {}): ClassifierState => ({
  status,
  active: status !== 'terminated' && status !== 'terminating',
  isEditable: true,
  ...over,
});

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
    return err as AppError;
  }
  throw new Error('not refused');
}

describe('events', () => {
  it('builds, fails, stops and switches', () => {
    expect(INITIAL_STATE).toEqual({ status: 'building', active: true, isEditable: true });
    expect(applyEvent(INITIAL_STATE, 'buildSucceeded').status).toBe('running');
    expect(applyEvent(INITIAL_STATE, 'buildFailed').status).toBe('failed');
    expect(applyEvent(state('terminating'), 'stopCompleted')).toEqual(state('terminated'));
    expect(applyEvent(state('updating'), 'switchCompleted').status).toBe('running');
    expect(applyEvent(state('updating'), 'switchFailed').status).toBe('running');
    expect(applyEvent(state('building', { active: false }), 'buildSucceeded').status).toBe('terminated');
  });

  it('refuses events that cannot happen', () => {
    expect(() => applyEvent(state('running'), 'buildSucceeded')).toThrow('event buildSucceeded is not possible while the classifier is running');
    expect(() => applyEvent(state('terminated'), 'stopCompleted')).toThrow(RangeError);
  });
});

describe('planPatch', () => {
  it('stops a running classifier through terminating, and starts a stopped one', () => {
    expect(planPatch(state('running'), { active: false })).toEqual({ next: state('terminating'), startsStop: true, startsBuild: false });
    expect(planPatch(state('terminated'), { active: true })).toEqual({ next: state('running'), startsStop: false, startsBuild: false });
  });

  it('is idempotent', () => {
    expect(planPatch(state('running'), { active: true }).next).toEqual(state('running'));
    expect(planPatch(state('terminated'), { active: false }).next).toEqual(state('terminated'));
    expect(planPatch(state('terminating'), { active: false }).next).toEqual(state('terminating'));
    expect(planPatch(state('running'), {}).next).toEqual(state('running'));
  });

  it('retries a failed build on active:true and marks a failed classifier inactive on active:false', () => {
    expect(planPatch(state('failed'), { active: true })).toEqual({ next: state('building'), startsStop: false, startsBuild: true });
    expect(planPatch(state('failed'), { active: false }).next).toEqual(state('failed', { active: false }));
  });

  it('refuses to stop while building or updating, and to start while terminating', () => {
    expect(refusal(() => planPatch(state('building'), { active: false })).detail).toBe('the classifier is building; stop it once its status is running');
    expect(refusal(() => planPatch(state('updating'), { active: false })).kind).toBe('CLASSIFIER_BUSY');
    expect(refusal(() => planPatch(state('terminating'), { active: true })).kind).toBe('CLASSIFIER_BUSY');
  });

  it('lets a lock refuse stops and rule changes, but not starts, unlocks or lock-with-changes', () => {
    const locked = state('running', { isEditable: false });
    const stop = refusal(() => planPatch(locked, { active: false }));
    expect([stop.kind, stop.code, stop.error]).toEqual(['CLASSIFIER_LOCKED', 4091000510, 'CLASSIFIER_LOCKED']);
    expect(stop.message).toMatch(/locked and cannot be stopped: unlock it first with \{"is_editable": true\}/);
    expect(refusal(() => planPatch(locked, { changesRules: true })).kind).toBe('CLASSIFIER_LOCKED');
    expect(planPatch(locked, { changesRules: false }).next).toEqual(locked);
    expect(planPatch(state('terminated', { isEditable: false }), { active: true }).next).toEqual(state('running', { isEditable: false }));
    expect(planPatch(locked, { isEditable: true, active: false }).next).toEqual(state('terminating'));
    expect(planPatch(state('running'), { isEditable: false, active: false, changesRules: true }).next).toEqual(state('terminating', { isEditable: false }));
  });
});

describe('checkDelete', () => {
  it('allows deleting an unlocked classifier in any status but updating', () => {
    for (const status of ['building', 'running', 'failed', 'terminating', 'terminated'] as const) expect(() => checkDelete(state(status))).not.toThrow();
    expect(refusal(() => checkDelete(state('updating'))).kind).toBe('CLASSIFIER_BUSY');
  });

  it('refuses deleting a locked classifier', () => {
    expect(refusal(() => checkDelete(state('terminated', { isEditable: false }))).message).toMatch(/locked and cannot be deleted/);
  });
});

describe('planSwitch', () => {
  it('serves through updating when running and stays stopped when stopped', () => {
    expect(planSwitch(state('running'))).toEqual({ during: 'updating', after: 'running', startsBuild: false });
    expect(planSwitch(state('running', { isEditable: false })).after).toBe('running');
    expect(planSwitch(state('terminated'))).toEqual({ during: 'terminated', after: 'terminated', startsBuild: false });
    expect(planSwitch(state('failed'))).toEqual({ during: 'building', after: 'building', startsBuild: true });
    expect(planSwitch(state('failed', { active: false })).startsBuild).toBe(false);
  });

  it('refuses while building, updating or terminating', () => {
    for (const status of ['building', 'updating', 'terminating'] as const)
      expect(refusal(() => planSwitch(state(status))).kind).toBe('CLASSIFIER_NOT_SWITCHABLE');
  });
});

describe('runtime status', () => {
  it('serves while running or updating only', () => {
    expect(['building', 'running', 'updating', 'failed', 'terminating', 'terminated'].filter((s) => isServing(s as ClassifierStatus))).toEqual([
      'running',
      'updating',
    ]);
    expect(notServingError('running')).toBeNull();
  });

  it('uses the documented message for a stopped API', () => {
    for (const status of ['terminated', 'terminating'] as const) {
      const err = notServingError(status)!;
      expect([err.code, err.error, err.message, err.status]).toEqual([5031030101, 'SERVICE_UNAVAILABLE_ERROR', 'status is not running (status: stopped)', 503]);
    }
    expect(notServingError('building')!.message).toBe('status is not running (status: building)');
    expect(notServingError('failed')!.message).toBe('status is not running (status: failed)');
  });
});

describe('sameRules', () => {
  it('compares rule lists as sets', () => {
    const a = [
      { source: '10.0.0.0/8', order: 'allow' as const, priority: 1 },
      { source: '10.1.0.0/16', order: 'deny' as const, priority: 0 },
    ];
    expect(sameRules(a, [a[1]!, a[0]!])).toBe(true);
    expect(sameRules(a, [a[0]!])).toBe(false);
    expect(sameRules(a, [a[1]!, { ...a[0]!, order: 'deny' }])).toBe(false);
    expect(sameRules(a, [a[1]!, { ...a[0]!, priority: 2 }])).toBe(false);
  });
});
