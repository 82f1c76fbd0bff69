/**
 * Create / Get / Update / Delete Classifier and Inference (spec §2.10–§2.14, docs/deploy.md).
 * The classifier row is the binding: each inference request reads it once (model id, version,
 * status, rules, key), resolves the model once from the shared ModelStore and keeps both to the
 * end, so a retrain switch (one UPDATE of model_id + version) never fails a request in flight.
 * Builds and stops run right after the request that started them, so `building` and
 * `terminating` are observable.
 *
 * Hot path: what a request derives from the row (access view with compiled IP rules, model id,
 * version) is kept in a short-lived in-process cache (deploy/binding-cache.ts), invalidated by
 * every classifier write made through `deps` of this service (the wrapped repository below) and
 * bounded to 1 s for writes made by other processes (docs/deploy.md §11).
 */
import type { InferenceRunner, InferenceRunRequest } from '../compute/inference-runner.js';
import {
  applyEvent,
  BindingCache,
  checkDelete,
  checkInferenceAccess,
  compileRules,
  INITIAL_STATE,
  newClassifierApiKey,
  newClassifierId,
  parseInferenceRequest,
  parseJsonBody,
  planPatch,
  runDecodedInference,
  sameRules,
  validateRules,
  type ClassifierState,
  type CompiledRules,
  type InferenceContext,
  type InferenceResponse,
  type IpRule,
  type LifecycleEvent,
} from '../deploy/index.js';
import { isoUtc } from '../domain/clock.js';
import { AppError } from '../domain/errors.js';
import { groupIdOf } from '../domain/ids.js';
import type { Classifier, Principal } from '../domain/records.js';
import type { ClassifierRepo } from '../storage/ports.js';
import type { ServiceDeps } from './deps.js';
import type { Listed, PageRequest } from './catalog.js';
import type { ModelStore } from './model-store.js';

/** Create Classifier after the API's schema; `rules` as sent (validateRules names the bad field). */
export interface CreateClassifierRequest {
  readonly modelId: number;
  readonly rules: unknown;
}

/** Update Classifier after the API's schema: absent fields stay as they are. */
export interface UpdateClassifierRequest {
  readonly rules: unknown;
  readonly active: boolean | undefined;
  readonly isEditable: boolean | undefined;
}

function stateOf(c: Classifier): ClassifierState {
  return { status: c.status, active: c.active, isEditable: c.isEditable };
}

/** Compiled IP rules by their JSON text: a request does not recompile its classifier's rules. */
const RULES_CACHE_ENTRIES = 1024;

/** What an inference request needs from its classifier row, derived once per cached read. */
interface Binding {
  readonly classifier: Classifier;
  readonly access: { readonly groupId: string; readonly apiKey: string; readonly status: Classifier['status']; readonly rules: CompiledRules };
  readonly version: string;
}

/**
 * The classifier repository with every write fenced by cache invalidations (before: reads in
 * flight are not stored; after: the entry a read may have stored meanwhile is dropped).
 */
export function invalidatingClassifiers(repo: ClassifierRepo, cache: { invalidate(id: string): void }): ClassifierRepo {
  const fenced =
    <A extends unknown[], R>(fn: (id: string, ...rest: A) => Promise<R>) =>
    async (id: string, ...rest: A): Promise<R> => {
      cache.invalidate(id);
      try {
        return await fn.call(repo, id, ...rest);
      } finally {
        cache.invalidate(id);
      }
    };
  return {
    create: (c) => repo.create(c),
    get: (userId, id) => repo.get(userId, id),
    getById: (id) => repo.getById(id),
    list: (userId, page) => repo.list(userId, page),
    update: fenced(repo.update),
    updateIfStatus: fenced(repo.updateIfStatus),
    switchModel: fenced(repo.switchModel),
    delete: fenced(repo.delete),
    listByModel: (modelId) => repo.listByModel(modelId),
    listByStatus: (statuses) => repo.listByStatus(statuses),
  };
}

export class DeploymentService {
  readonly #d: ServiceDeps;
  readonly #models: ModelStore;
  readonly #rules = new Map<string, CompiledRules>();
  readonly #bindings = new BindingCache<Binding>();
  /** Model id → blob key and serialized size (KiB), for costly inference sent to a thread. */
  readonly #modelBlobKeys = new Map<number, string>();
  readonly #modelSizes = new Map<number, number>();
  /** Background builds/stops in flight (tests and shutdown wait on them). */
  readonly #pending = new Set<Promise<void>>();
  #gate: Promise<void> | null = null;
  /** Errors of background work that must be logged (main.ts sets it). */
  onBackgroundError: (err: unknown) => void = () => undefined;

  constructor(deps: ServiceDeps, models: ModelStore) {
    this.#d = { ...deps, classifiers: invalidatingClassifiers(deps.classifiers, this.#bindings) };
    this.#models = models;
  }

  /**
   * `deps` with the invalidating classifier repository: services that write classifiers
   * (retrain switches, batch) must be built with these (services/index.ts does).
   */
  get deps(): ServiceDeps {
    return this.#d;
  }

  #now(): string {
    return isoUtc(this.#d.clock.now());
  }

  inferenceUrl(c: Pick<Classifier, 'groupId' | 'id'>): string {
    return `${this.#d.config.publicUrl}/v1/groups/${c.groupId}/classifiers/${c.id}/inference`;
  }

  /** Resolves once every background build and stop started so far has finished. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #background(work: () => Promise<void>): void {
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => this.onBackgroundError(err))
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  /** Raise an internal lifecycle event on the stored row (compare-and-set on its status). */
  async #raise(id: string, event: LifecycleEvent, extra: { url?: string } = {}): Promise<Classifier | null> {
    const c = await this.#d.classifiers.getById(id);
    if (c === null) return null;
    let next: ClassifierState;
    try {
      next = applyEvent(stateOf(c), event);
    } catch {
      return null; // stale: the user changed the classifier meanwhile
    }
    return this.#d.classifiers.updateIfStatus(id, c.status, { updatedAt: this.#now(), status: next.status, ...extra });
  }

  /**
   * Testing aid: builds wait until the returned function is called, so `building` can be observed
   * for as long as a test needs.
   */
  holdBuilds(): () => void {
    let release!: () => void;
    this.#gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.#gate = null;
      release();
    };
  }

  /** building → running (model loaded into the cache) or failed. */
  scheduleBuild(id: string): void {
    const gate = this.#gate;
    this.#background(async () => {
      if (gate !== null) await gate;
      const c = await this.#d.classifiers.getById(id);
      if (c === null || c.status !== 'building') return;
      try {
        await this.#models.get(c.userId, c.modelId);
      } catch (err) {
        this.onBackgroundError(err);
        await this.#raise(id, 'buildFailed');
        return;
      }
      await this.#raise(id, 'buildSucceeded', { url: this.inferenceUrl(c) });
    });
  }

  /** At start-up: classifiers left `building` or `terminating` by a stopped process finish their transition. */
  async resumeBuilds(): Promise<void> {
    for (const modelless of await this.#d.classifiers.listByStatus(['building', 'terminating'])) {
      if (modelless.status === 'building') this.scheduleBuild(modelless.id);
      else this.#scheduleStop(modelless.id);
    }
  }

  /**
   * Classifiers left `updating` by a retrain switch that never finished (its process was killed
   * between `updating` and the swap) go back to `running` on the model they still have. Only
   * those not touched since `olderThan` (the switch lease; null: all, for an embedded server at
   * start, which is the only writer). A switch still alive elsewhere is not harmed: its swap is a
   * compare-and-set on the model id and sets `running` itself. Returns how many were recovered.
   */
  async recoverStuckSwitches(olderThan: Date | null): Promise<number> {
    let recovered = 0;
    for (const c of await this.#d.classifiers.listByStatus(['updating'])) {
      if (olderThan !== null && Date.parse(c.updatedAt) > olderThan.getTime()) continue;
      if ((await this.#raise(c.id, 'switchFailed')) !== null) recovered++;
    }
    return recovered;
  }

  #scheduleStop(id: string): void {
    // Requests already past the status check finish on the model they resolved; new ones get 503.
    this.#background(async () => void (await this.#raise(id, 'stopCompleted')));
  }

  /** `POST /v1/external/classifiers`. */
  async create(p: Principal, b: CreateClassifierRequest): Promise<Classifier> {
    const { modelId } = b;
    const rules = b.rules === undefined ? [] : validateRules(b.rules);
    if ((await this.#d.models.get(p.userId, modelId)) === null) throw new AppError('MODEL_NOT_FOUND', `model_id ${modelId}`);
    const now = this.#now();
    const c = await this.#d.classifiers.create({
      id: newClassifierId(),
      userId: p.userId,
      groupId: groupIdOf(p.userId),
      modelId,
      apiKey: newClassifierApiKey(),
      ...INITIAL_STATE,
      version: 1,
      rules,
      url: null,
      createdAt: now,
      updatedAt: now,
    });
    this.scheduleBuild(c.id);
    return c;
  }

  async get(p: Principal, id: string): Promise<Classifier> {
    const c = await this.#d.classifiers.get(p.userId, id);
    if (c === null) throw new AppError('CLASSIFIER_NOT_FOUND', id);
    return c;
  }

  async list(p: Principal, page: PageRequest): Promise<Listed<Classifier>> {
    return { ...page, ...(await this.#d.classifiers.list(p.userId, page)) };
  }

  /** `PATCH /v1/external/classifiers/{id}`: partial; `rules` replaces the list. */
  async update(p: Principal, id: string, b: UpdateClassifierRequest): Promise<Classifier> {
    const c = await this.get(p, id);
    const rules = b.rules === undefined ? undefined : validateRules(b.rules);
    const { active, isEditable } = b;
    const plan = planPatch(stateOf(c), {
      ...(active === undefined ? {} : { active }),
      ...(isEditable === undefined ? {} : { isEditable }),
      changesRules: rules !== undefined && !sameRules(rules, c.rules),
    });
    const updated = await this.#d.classifiers.updateIfStatus(c.id, c.status, {
      updatedAt: this.#now(),
      status: plan.next.status,
      active: plan.next.active,
      isEditable: plan.next.isEditable,
      ...(rules === undefined ? {} : { rules }),
    });
    if (updated === null) throw new AppError('CLASSIFIER_BUSY', 'the classifier changed during this request; read it and try again');
    if (plan.startsStop) this.#scheduleStop(c.id);
    if (plan.startsBuild) this.scheduleBuild(c.id);
    return updated;
  }

  /** `DELETE /v1/external/classifiers/{id}`. */
  async delete(p: Principal, id: string): Promise<void> {
    const c = await this.get(p, id);
    checkDelete(stateOf(c));
    await this.#d.classifiers.delete(c.id);
  }

  /** Reads the classifier row and caches what inference derives from it (not a missing row). */
  async #bind(id: string): Promise<Binding | null> {
    const generation = this.#bindings.generation();
    const c = await this.#d.classifiers.getById(id);
    if (c === null) return null;
    const b: Binding = {
      classifier: c,
      access: { groupId: c.groupId, apiKey: c.apiKey, status: c.status, rules: this.#compiled(c.rules) },
      version: String(c.version),
    };
    this.#bindings.set(id, b, generation);
    return b;
  }

  #compiled(rules: readonly IpRule[]): CompiledRules {
    const key = JSON.stringify(rules);
    let compiled = this.#rules.get(key);
    if (compiled === undefined) {
      compiled = compileRules(rules);
      if (this.#rules.size >= RULES_CACHE_ENTRIES) this.#rules.delete(this.#rules.keys().next().value!);
      this.#rules.set(key, compiled);
    }
    return compiled;
  }

  /**
   * The access checks of an inference call (classifier, group, IP rule, key, status) without the
   * body: the route runs them before the body is read, so a refused caller cannot make the server
   * read and parse megabytes of JSON. `infer` checks again (the binding is cached, so it is cheap).
   */
  async checkInferenceAccess(call: { groupId: string; classifierId: string; apiKey: string | undefined; ip: string }): Promise<void> {
    const b = this.#bindings.get(call.classifierId) ?? (await this.#bind(call.classifierId));
    checkInferenceAccess(b === null ? null : b.access, call);
  }

  /**
   * `POST /v1/groups/{group_id}/classifiers/{id}/inference`. Throws AppError (documented
   * codes), rendered by api/app.ts.
   *
   * Off the event loop when costly (docs/deploy.md §11): a body over INLINE_BODY_BYTES goes to a
   * compute thread unparsed; a smaller one is decoded here and its cost estimated as rows × model
   * size (KiB, a stand-in for its trees and nodes) × 3 with reasons; above
   * `inferenceInlineMaxCost` it is computed in a thread too. Cheap requests (one row, a few rows)
   * stay inline: a thread round trip would cost them more than the prediction.
   */
  async infer(call: InferenceCall): Promise<InferenceReply> {
    const b = this.#bindings.get(call.classifierId) ?? (await this.#bind(call.classifierId));
    checkInferenceAccess(b === null ? null : b.access, call);
    const c = b!.classifier;
    const { config } = this.#d;
    const ctx: InferenceContext = {
      version: b!.version,
      referenceYear: this.#d.clock.now().getUTCFullYear(),
      maxRows: config.inferenceMaxRows,
      maxCsvBytes: config.inferenceMaxCsvBytes,
    };
    const runner = this.#d.inferenceRunner;
    const bytes = call.body;
    if (runner !== undefined && bytes.length > INLINE_BODY_BYTES) {
      return this.#offload(runner, c, { kind: 'json', bytes }, ctx);
    }
    const request = parseInferenceRequest(parseJsonBody(bytes), { maxCsvBytes: config.inferenceMaxCsvBytes });
    if (runner !== undefined) {
      const cost = countDataRows(request.csvText) * (await this.#modelKib(c)) * (request.flags.withReasons ? REASONS_COST_FACTOR : 1);
      if (cost > config.inferenceInlineMaxCost) return this.#offload(runner, c, { kind: 'decoded', csvText: request.csvText, flags: request.flags }, ctx);
    }
    const loaded = this.#models.peek(c.modelId) ?? (await this.#models.loaded(c.userId, c.modelId));
    const { response, nPredicted, nInvalid } = runDecodedInference(request, loaded.inference, ctx);
    this.#d.metrics?.rowsPredicted('inference', nPredicted, nInvalid);
    return { response };
  }

  async #offload(runner: InferenceRunner, c: Classifier, body: InferenceRunRequest['body'], ctx: InferenceContext): Promise<InferenceReply> {
    const blobKey = await this.#modelBlobKey(c);
    const result = await runner.infer({
      modelKey: blobKey,
      modelPath: await this.#d.blobs.localPath(blobKey),
      body,
      ctx,
      modelCacheBytes: this.#d.config.modelCacheBytes,
    });
    this.#d.metrics?.rowsPredicted('inference', result.nPredicted, result.nInvalid);
    return { serialized: result.json };
  }

  /** A model's blob key, read once per model id (it never changes). */
  async #modelBlobKey(c: Classifier): Promise<string> {
    let key = this.#modelBlobKeys.get(c.modelId);
    if (key === undefined) {
      const m = await this.#d.models.get(c.userId, c.modelId);
      if (m === null) throw new Error(`model ${c.modelId} does not exist`);
      key = m.blobKey;
      this.#modelBlobKeys.set(c.modelId, key);
    }
    return key;
  }

  /** The serialized size of a model in KiB (at least 1), read once per model id. */
  async #modelKib(c: Classifier): Promise<number> {
    let kib = this.#modelSizes.get(c.modelId);
    if (kib === undefined) {
      const bytes = (await this.#d.blobs.size(await this.#modelBlobKey(c))) ?? 0;
      kib = Math.max(1, Math.ceil(bytes / 1024));
      this.#modelSizes.set(c.modelId, kib);
    }
    return kib;
  }
}

/** Bodies above this are parsed in a compute thread, not here (64 KiB: a few hundred rows). */
export const INLINE_BODY_BYTES = 64 * 1024;
/** TreeSHAP reasons cost about three times the prediction alone (bench/inference.ts: 4,886 vs 13,643 rows/s). */
const REASONS_COST_FACTOR = 3;

/** Data rows of a CSV text, counted by line ends (a quoted line break counts too: an upper bound). */
function countDataRows(csv: string): number {
  let lines = 0;
  for (let i = csv.indexOf('\n'); i !== -1; i = csv.indexOf('\n', i + 1)) lines++;
  if (csv.length > 0 && !csv.endsWith('\n')) lines++;
  return Math.max(0, lines - 1);
}

export interface InferenceCall {
  readonly groupId: string;
  readonly classifierId: string;
  readonly apiKey: string | undefined;
  readonly ip: string;
  /** The raw request body. */
  readonly body: Uint8Array;
}

/** The answer: an object to serialize, or JSON text a compute thread serialized already. */
export type InferenceReply = { readonly response: InferenceResponse } | { readonly serialized: string };
