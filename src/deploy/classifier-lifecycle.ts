/**
 * The classifier (prediction API) state machine: statuses, what create/build/PATCH/switch/delete
 * do to them, what the `is_editable` lock refuses, and which statuses serve inference
 * (DESIGN rows 19–20, 28; spec §2.10–§2.13, §6). Pure: the service persists the returned states.
 *
 *   create ─▶ building ──loaded──▶ running ──active:false──▶ terminating ──stopped──▶ terminated
 *                │  ▲                │  ▲                                                 │
 *          failed│  │active:true     │  │switch done / failed           active:true       │
 *                ▼  │ (retry)  switch▼  │                                                 │
 *              failed             updating            running ◀─────────────────────────────┘
 */
import { AppError } from '../domain/errors.js';
import { CLASSIFIER_STATUSES, type ClassifierStatus } from '../domain/records.js';

export { CLASSIFIER_STATUSES, type ClassifierStatus };

export interface ClassifierState {
  readonly status: ClassifierStatus;
  /** `active`: the user wants the API to serve (false after a stop). */
  readonly active: boolean;
  /** `is_editable`: true = unlocked (DESIGN row 20). */
  readonly isEditable: boolean;
}

/** A new classifier: building, active, unlocked. */
export const INITIAL_STATE: ClassifierState = { status: 'building', active: true, isEditable: true };

/** Internal events (the service raises them; the API never names them). */
export type LifecycleEvent = 'buildSucceeded' | 'buildFailed' | 'stopCompleted' | 'switchCompleted' | 'switchFailed';

const EVENT_TRANSITIONS: Readonly<Record<LifecycleEvent, Partial<Record<ClassifierStatus, ClassifierStatus>>>> = {
  buildSucceeded: { building: 'running' },
  buildFailed: { building: 'failed' },
  stopCompleted: { terminating: 'terminated' },
  switchCompleted: { updating: 'running' },
  // The old model keeps serving when the new one cannot be switched in.
  switchFailed: { updating: 'running' },
};

/**
 * Apply an internal event. Throws `RangeError` for an event that cannot happen in `state.status`
 * (a programming error, or a stale job that the caller should drop).
 * @example applyEvent(INITIAL_STATE, 'buildSucceeded').status // → 'running'
 */
export function applyEvent(state: ClassifierState, event: LifecycleEvent): ClassifierState {
  const next = EVENT_TRANSITIONS[event][state.status];
  if (next === undefined) throw new RangeError(`event ${event} is not possible while the classifier is ${state.status}`);
  // A build that finishes after the user stopped the classifier leaves it stopped.
  if (event === 'buildSucceeded' && !state.active) return { ...state, status: 'terminated' };
  return { ...state, status: next };
}

/** The validated fields of an Update Classifier body (all optional: a partial PATCH). */
export interface ClassifierPatch {
  readonly active?: boolean;
  readonly isEditable?: boolean;
  /** True when the body has `rules` that differ from the stored ones (see `sameRules`). */
  readonly changesRules?: boolean;
}

export interface PatchPlan {
  readonly next: ClassifierState;
  /** The service must stop serving (drop the binding) and then raise `stopCompleted`. */
  readonly startsStop: boolean;
  /** The service must (re)build: load the model, then raise `buildSucceeded` / `buildFailed`. */
  readonly startsBuild: boolean;
}

const LOCKED_HINT = 'unlock it first with {"is_editable": true} (in the same request or before)';

/**
 * Plan an Update Classifier. Rules:
 * - The lock applies unless this same request unlocks (`is_editable: true`); a request that locks
 *   applies its other changes first.
 * - Locked: stopping and rule changes are refused; starting is allowed (the lock guards against
 *   accidental stops, as in the GUI).
 * - `active: false`: running → terminating; already stopped → no change; failed → stays failed
 *   (inactive); building/updating → refused (wait until running).
 * - `active: true`: terminated → running; failed → building (retry); terminating → refused;
 *   otherwise no change.
 * Throws AppError CLASSIFIER_LOCKED or CLASSIFIER_BUSY with a message that says what to do.
 */
export function planPatch(state: ClassifierState, patch: ClassifierPatch): PatchPlan {
  const isLocked = !state.isEditable && patch.isEditable !== true;
  let { status, active } = state;
  let startsStop = false;
  let startsBuild = false;
  if (patch.changesRules === true && isLocked) throw new AppError('CLASSIFIER_LOCKED', `the classifier is locked; its rules cannot be changed: ${LOCKED_HINT}`);
  if (patch.active === false && state.active) {
    if (isLocked) throw new AppError('CLASSIFIER_LOCKED', `the classifier is locked and cannot be stopped: ${LOCKED_HINT}`);
    switch (status) {
      case 'running':
        status = 'terminating';
        startsStop = true;
        break;
      case 'failed':
        break;
      case 'building':
      case 'updating':
        throw new AppError('CLASSIFIER_BUSY', `the classifier is ${status}; stop it once its status is running`);
      case 'terminating':
      case 'terminated':
        break;
    }
    active = false;
  } else if (patch.active === true) {
    switch (status) {
      case 'terminated':
        status = 'running';
        break;
      case 'failed':
        status = 'building';
        startsBuild = true;
        break;
      case 'terminating':
        throw new AppError('CLASSIFIER_BUSY', 'the classifier is terminating; start it again once its status is terminated');
      case 'building':
      case 'running':
      case 'updating':
        break;
    }
    active = true;
  }
  const isEditable = patch.isEditable ?? state.isEditable;
  return { next: { status, active, isEditable }, startsStop, startsBuild };
}

/**
 * Check a Delete Classifier. An unlocked classifier may be deleted in any status except
 * `updating` (a retrain switch is in progress); a running one stops as part of the deletion
 * (requests in flight finish on the model they resolved). Throws AppError CLASSIFIER_LOCKED or CLASSIFIER_BUSY.
 */
export function checkDelete(state: ClassifierState): void {
  if (!state.isEditable) throw new AppError('CLASSIFIER_LOCKED', `the classifier is locked and cannot be deleted: ${LOCKED_HINT}`);
  if (state.status === 'updating')
    throw new AppError('CLASSIFIER_BUSY', 'the classifier is updating to a retrained model; delete it once its status is running');
}

export interface SwitchPlan {
  /** Status while the switch runs: `updating` when the classifier is serving, else unchanged. */
  readonly during: ClassifierStatus;
  /** Status after the switch (raise `switchCompleted` when `during` is `updating`). */
  readonly after: ClassifierStatus;
  readonly startsBuild: boolean;
}

/**
 * Plan a retrain switch (PUT update_model; DESIGN row 28): the classifier keeps its id, URL and
 * key and `version` increments. Running: serves the old model while `updating`, then the new one.
 * Stopped: the model changes and the classifier stays stopped. Failed: rebuilds with the new model.
 * The lock does not block a switch (it guards against stops). Throws AppError CLASSIFIER_NOT_SWITCHABLE
 * while building, updating or terminating.
 */
export function planSwitch(state: ClassifierState): SwitchPlan {
  switch (state.status) {
    case 'running':
      return { during: 'updating', after: 'running', startsBuild: false };
    case 'terminated':
      return { during: 'terminated', after: 'terminated', startsBuild: false };
    case 'failed':
      return state.active ? { during: 'building', after: 'building', startsBuild: true } : { during: 'failed', after: 'failed', startsBuild: false };
    case 'building':
    case 'updating':
    case 'terminating':
      return notSwitchable(state.status);
  }
}

function notSwitchable(status: ClassifierStatus): never {
  throw new AppError('CLASSIFIER_NOT_SWITCHABLE', `the classifier is ${status}; switch models once its status is running or terminated`);
}

/** Statuses in which inference is served (`updating` keeps serving the old model until the swap). */
export function isServing(status: ClassifierStatus): boolean {
  return status === 'running' || status === 'updating';
}

/**
 * The status word of the runtime error: the documented message says `stopped` for a stopped API
 * (spec §2.14); building and failed APIs name their status in the same pattern.
 */
export function runtimeStatusWord(status: ClassifierStatus): string {
  return status === 'terminating' || status === 'terminated' ? 'stopped' : status;
}

/**
 * The 5031030101 error for a classifier that does not serve, or null when it does.
 * @example notServingError('terminated')?.message // → 'status is not running (status: stopped)'
 */
export function notServingError(status: ClassifierStatus): AppError | null {
  if (isServing(status)) return null;
  const word = runtimeStatusWord(status);
  const kind = word === 'stopped' ? 'CLASSIFIER_STOPPED' : word === 'building' ? 'CLASSIFIER_BUILDING' : 'CLASSIFIER_FAILED';
  return new AppError(kind, `classifier status is ${status}`);
}
