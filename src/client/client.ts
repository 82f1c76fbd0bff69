/**
 * A small typed client of the public API (docs/api.md) on `fetch`, for Node 20 programs: the CLI
 * and the end-to-end tests use it. Types come from the server's zod schemas (src/api/schemas/),
 * imported as types only, so the client has no dependencies. Every non-2xx answer throws a
 * YosokuApiError with the documented code and message.
 *
 * @example
 * const y = new YosokuClient({ baseUrl: 'http://127.0.0.1:8080', secretKey });
 * const pid = await y.uploadTrainingData({ learn: { path: 'customers.csv' } });
 * await y.train(pid, { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
 * const done = await y.waitForTraining(pid);
 * await writeFile('result.zip', await y.download(done.result_url!));
 */
import type {
  ApiKeyResponse,
  BatchStatusResponse,
  ClassifierItem,
  ColumnInfoResponse,
  CredentialType,
  DataSetList,
  InferenceResponse,
  IpRule,
  ModelList,
  RetrainStatusResponse,
  TrainConfigInput,
  TrainStatusResponse,
  UploadExtension,
  UploadUrlResponse,
} from '../api/schemas/index.js';
import { errorOf, YosokuApiError } from './errors.js';
import { contentDisposition, prepareBody, type UploadProgress, type UploadSource } from './upload.js';

export interface ClientOptions {
  /** The server, e.g. `http://127.0.0.1:8080` (its PUBLIC_URL). */
  readonly baseUrl: string;
  /** Exchanged for train, deploy and retrain keys as they are needed. */
  readonly secretKey?: string;
  /** Keys already issued, by scope (`retrain` keys are per model: use `retrainKey`). */
  readonly apiKeys?: Partial<Record<'train' | 'deploy', string>>;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface WaitOptions {
  /** Between polls (default 1000 ms). */
  readonly intervalMs?: number;
  /** Give up after (default: never). */
  readonly timeoutMs?: number;
  /** Told every poll's answer. */
  readonly onPoll?: (status: { readonly status: string; readonly progress?: number }) => void;
  readonly signal?: AbortSignal;
}

export interface InferenceFlags {
  /** `ar`: the top reasons of each prediction (prediction_analysis.csv). */
  readonly reasons?: boolean;
  /** `ad`: the input columns beside the predictions. */
  readonly appendInput?: boolean;
  /** `nc`: no label column (probabilities only). */
  readonly omitLabel?: boolean;
  /** `nr`: no row number column. */
  readonly omitRowNumber?: boolean;
  /** `pc`: a key column copied to the outputs. */
  readonly keyColumn?: string;
}

export interface Page {
  readonly offset?: number;
  readonly limit?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

function pageQuery(p: Page = {}): Record<string, string | number | undefined> {
  return { offset: p.offset, limit: p.limit };
}

/** The inference body's `inputs` (spec §2.14) for a CSV text and the flags. */
export function inferenceInputs(csv: string, flags: InferenceFlags = {}) {
  const inputs: { name: string; type: string; data: string | boolean }[] = [{ name: 'pr', type: 'csv', data: Buffer.from(csv, 'utf8').toString('base64') }];
  const bools = { ar: flags.reasons, ad: flags.appendInput, nc: flags.omitLabel, nr: flags.omitRowNumber };
  for (const [name, value] of Object.entries(bools)) if (value !== undefined) inputs.push({ name, type: 'boolean', data: value });
  if (flags.keyColumn !== undefined) inputs.push({ name: 'pc', type: 'string', data: flags.keyColumn });
  return inputs;
}

/** The named output CSV of an inference answer, decoded (undefined when absent). */
export function inferenceOutput(res: InferenceResponse, name: string): string | undefined {
  const o = res.outputs.find((x) => x.name === name);
  return o === undefined ? undefined : Buffer.from(o.data, 'base64').toString('utf8');
}

export class YosokuClient {
  readonly baseUrl: string;
  readonly #secretKey: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #keys = new Map<string, Promise<string>>();

  constructor(opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#secretKey = opts.secretKey;
    this.#fetch = opts.fetch ?? fetch;
    for (const [scope, key] of Object.entries(opts.apiKeys ?? {})) if (key !== undefined) this.#keys.set(scope, Promise.resolve(key));
  }

  /** One call: JSON in, JSON out, YosokuApiError on a non-2xx answer. */
  async request<T>(
    method: string,
    path: string,
    opts: { key?: string; query?: Record<string, string | number | boolean | undefined>; body?: unknown } = {},
  ): Promise<T> {
    const url = new URL(path.startsWith('http') ? path : `${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {};
    if (opts.key !== undefined) headers['x-api-key'] = opts.key;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.#fetch(url, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
    } catch (err) {
      throw new YosokuApiError(
        0,
        0,
        'CONNECTION_FAILED',
        `cannot reach ${this.baseUrl}: ${(err as Error).cause ? String((err as Error & { cause: Error }).cause.message) : (err as Error).message}`,
        undefined,
      );
    }
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as T;
  }

  // ---- keys ---------------------------------------------------------------------------------

  /** `GET /v1/external/api-key`: exchanges the secret key for a key of `type`. */
  issueApiKey(type: CredentialType, modelId?: number): Promise<ApiKeyResponse> {
    if (this.#secretKey === undefined) throw new YosokuApiError(0, 0, 'NO_SECRET_KEY', 'no secret key: pass secretKey (or apiKeys)', undefined);
    return this.request('GET', '/v1/external/api-key', { key: this.#secretKey, query: { credential_type: type, model_id: modelId } });
  }

  /** A key of the scope, issued once and reused. */
  key(scope: 'train' | 'deploy'): Promise<string> {
    return this.#cachedKey(scope, () => this.issueApiKey(scope));
  }

  /** The retrain key of one model. */
  retrainKey(modelId: number): Promise<string> {
    return this.#cachedKey(`retrain:${modelId}`, () => this.issueApiKey('retrain', modelId));
  }

  #cachedKey(name: string, issue: () => Promise<ApiKeyResponse>): Promise<string> {
    let key = this.#keys.get(name);
    if (key === undefined) {
      key = issue().then((r) => r.api_key);
      key.catch(() => this.#keys.delete(name));
      this.#keys.set(name, key);
    }
    return key;
  }

  // ---- uploads and training -------------------------------------------------------------------

  /** `GET /v1/external/data-sets/upload-url`: opens a training process. */
  async uploadUrls(opts: { extension?: UploadExtension; sheet?: string } = {}): Promise<UploadUrlResponse> {
    return this.request('GET', '/v1/external/data-sets/upload-url', { key: await this.key('train'), query: { extension: opts.extension, sheet: opts.sheet } });
  }

  /**
   * PUT a file or bytes to a signed upload URL (no key). `fileName` (default: the file's name)
   * names the data set. `onProgress` is told the bytes sent as fetch reads them.
   */
  async put(signedUrl: string, source: UploadSource, opts: { onProgress?: (p: UploadProgress) => void; fileName?: string } = {}): Promise<void> {
    const prepared = await prepareBody(source, opts.onProgress);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-length': String(prepared.sizeBytes) };
    const name = opts.fileName ?? prepared.fileName;
    if (name !== undefined) headers['content-disposition'] = contentDisposition(name);
    let res: Response;
    try {
      res = await this.#fetch(signedUrl, { method: 'PUT', headers, body: prepared.body, duplex: 'half' } as unknown as RequestInit);
    } catch (err) {
      throw new YosokuApiError(0, 0, 'CONNECTION_FAILED', `upload to ${new URL(signedUrl).origin} failed: ${(err as Error).message}`, undefined);
    }
    if (!res.ok) throw await errorOf(res);
    await res.arrayBuffer();
  }

  /**
   * Opens a process and uploads its files; returns the external_process_id. The extension comes
   * from the training file's name (.csv, .tsv, .xlsx) unless given.
   */
  async uploadTrainingData(files: {
    learn: UploadSource;
    eval?: UploadSource;
    columnInfo?: UploadSource;
    extension?: UploadExtension;
    sheet?: string;
    onProgress?: (file: 'learn' | 'eval' | 'column_info', p: UploadProgress) => void;
  }): Promise<string> {
    const extension = files.extension ?? extensionOf(files.learn);
    const urls = await this.uploadUrls({ extension, ...(files.sheet === undefined ? {} : { sheet: files.sheet }) });
    const progress = (file: 'learn' | 'eval' | 'column_info') =>
      files.onProgress === undefined ? {} : { onProgress: (p: UploadProgress) => files.onProgress!(file, p) };
    await this.put(urls.learn_data_set_upload_url, files.learn, progress('learn'));
    if (files.eval !== undefined) await this.put(urls.eval_data_set_upload_url, files.eval, progress('eval'));
    if (files.columnInfo !== undefined) await this.put(urls.column_info_upload_url, files.columnInfo, progress('column_info'));
    return urls.external_process_id;
  }

  /** `GET /v1/external/data-sets/column-info`; `target` turns on cor_score. */
  async columnInfo(processId: string, target?: string): Promise<ColumnInfoResponse> {
    return this.request('GET', '/v1/external/data-sets/column-info', { key: await this.key('train'), query: { external_process_id: processId, target } });
  }

  /** `POST /v1/external/models`: validates and queues the training. */
  async train(processId: string, config: TrainConfigInput, name?: string): Promise<{ external_process_id: string }> {
    return this.request('POST', '/v1/external/models', {
      key: await this.key('train'),
      body: { external_process_id: processId, ...(name === undefined ? {} : { name }), config },
    });
  }

  /** `GET /v1/external/models/results`. */
  async trainingStatus(processId: string): Promise<TrainStatusResponse> {
    return this.request('GET', '/v1/external/models/results', { key: await this.key('train'), query: { external_process_id: processId } });
  }

  /** Polls until the training finished or failed; returns the last status (check `status`). */
  async waitForTraining(processId: string, opts: WaitOptions = {}): Promise<TrainStatusResponse> {
    return this.#poll(
      () => this.trainingStatus(processId),
      (s) => s.status === 'finished' || s.status === 'failed',
      opts,
    );
  }

  /** GET a signed download URL (result zips, data sets): the bytes. */
  async download(signedUrl: string): Promise<Buffer> {
    const res = await this.#fetch(signedUrl);
    if (!res.ok) throw await errorOf(res);
    return Buffer.from(await res.arrayBuffer());
  }

  // ---- catalogue ----------------------------------------------------------------------------------

  async models(page?: Page): Promise<ModelList> {
    return this.request('GET', '/v1/external/models', { key: await this.key('train'), query: pageQuery(page) });
  }

  async dataSets(page?: Page): Promise<DataSetList> {
    return this.request('GET', '/v1/external/data-sets', { key: await this.key('train'), query: pageQuery(page) });
  }

  async deleteModel(modelId: number): Promise<void> {
    await this.request('DELETE', `/v1/external/models/${modelId}`, { key: await this.key('train') });
  }

  async deleteDataSet(dataSetId: number): Promise<void> {
    await this.request('DELETE', `/v1/external/data-sets/${dataSetId}`, { key: await this.key('train') });
  }

  // ---- deploy and predict -------------------------------------------------------------------------

  /** `POST /v1/external/classifiers`: answers at once, while the classifier is `building`. */
  async createClassifier(modelId: number, rules: readonly IpRule[] = []): Promise<{ classifier_id: string; api_key: string; version: string }> {
    return this.request('POST', '/v1/external/classifiers', { key: await this.key('deploy'), body: { model_id: modelId, rules } });
  }

  async classifier(classifierId: string): Promise<ClassifierItem> {
    const r = await this.request<{ classifier: ClassifierItem }>('GET', `/v1/external/classifiers/${encodeURIComponent(classifierId)}`, {
      key: await this.key('deploy'),
    });
    return r.classifier;
  }

  async classifiers(page?: Page): Promise<{ classifiers: ClassifierItem[]; metadata: { offset: number; limit: number; total: number } }> {
    return this.request('GET', '/v1/external/classifiers', { key: await this.key('deploy'), query: pageQuery(page) });
  }

  async updateClassifier(classifierId: string, patch: { rules?: readonly IpRule[]; active?: boolean; is_editable?: boolean }): Promise<ClassifierItem> {
    const r = await this.request<{ classifier: ClassifierItem }>('PATCH', `/v1/external/classifiers/${encodeURIComponent(classifierId)}`, {
      key: await this.key('deploy'),
      body: patch,
    });
    return r.classifier;
  }

  async deleteClassifier(classifierId: string): Promise<void> {
    await this.request('DELETE', `/v1/external/classifiers/${encodeURIComponent(classifierId)}`, { key: await this.key('deploy') });
  }

  /** Creates a classifier and waits until it serves (or failed): the item with its `url`. */
  async deploy(modelId: number, rules: readonly IpRule[] = [], opts: WaitOptions = {}): Promise<ClassifierItem> {
    const created = await this.createClassifier(modelId, rules);
    return this.#poll(
      () => this.classifier(created.classifier_id),
      (c) => c.status !== 'building',
      { intervalMs: 200, ...opts },
    );
  }

  /** The prediction API (§2.14) with the classifier's own key: one request of up to 10,000 rows. */
  async infer(classifier: { url: string | null; api_key: string }, csv: string, flags: InferenceFlags = {}): Promise<InferenceResponse> {
    if (classifier.url === null) throw new YosokuApiError(0, 0, 'NOT_SERVING', 'the classifier has no URL yet (it is still building)', undefined);
    return this.request('POST', classifier.url, { key: classifier.api_key, body: { inputs: inferenceInputs(csv, flags) } });
  }

  /** Opens a batch prediction, uploads the file and returns its id (the job starts by itself). */
  async startBatch(
    classifierId: string,
    source: UploadSource,
    opts: InferenceFlags & { filename?: string; sheet?: string; onProgress?: (p: UploadProgress) => void } = {},
  ): Promise<string> {
    const filename = opts.filename ?? ('path' in source ? source.path.split('/').pop()! : (source.fileName ?? 'input.csv'));
    const body = {
      filename,
      ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }),
      ...(opts.reasons === undefined ? {} : { ar: opts.reasons }),
      ...(opts.appendInput === undefined ? {} : { ad: opts.appendInput }),
      ...(opts.omitLabel === undefined ? {} : { nc: opts.omitLabel }),
      ...(opts.omitRowNumber === undefined ? {} : { nr: opts.omitRowNumber }),
      ...(opts.keyColumn === undefined ? {} : { pc: opts.keyColumn }),
    };
    const opened = await this.request<{ batch_prediction_id: string; upload_url: string }>(
      'POST',
      `/v1/external/classifiers/${encodeURIComponent(classifierId)}/batch-predictions`,
      {
        key: await this.key('deploy'),
        body,
      },
    );
    await this.put(opened.upload_url, source, opts.onProgress === undefined ? {} : { onProgress: opts.onProgress });
    return opened.batch_prediction_id;
  }

  async batchStatus(classifierId: string, batchId: string): Promise<BatchStatusResponse> {
    return this.request('GET', `/v1/external/classifiers/${encodeURIComponent(classifierId)}/batch-predictions/${encodeURIComponent(batchId)}`, {
      key: await this.key('deploy'),
    });
  }

  async waitForBatch(classifierId: string, batchId: string, opts: WaitOptions = {}): Promise<BatchStatusResponse> {
    return this.#poll(
      () => this.batchStatus(classifierId, batchId),
      (s) => s.status === 'job_finished' || s.status === 'job_failed',
      opts,
    );
  }

  // ---- retrain ------------------------------------------------------------------------------------

  /** Retrain Data Upload + PUT: the retrain starts by itself; returns the retrain job id. */
  async retrain(
    modelId: number,
    source: UploadSource,
    opts: { filename?: string; sheet?: string; onProgress?: (p: UploadProgress) => void } = {},
  ): Promise<string> {
    const filename = opts.filename ?? ('path' in source ? source.path.split('/').pop()! : (source.fileName ?? 'retrain.csv'));
    const opened = await this.request<{ retrain_job_id: string; upload_url: string }>('GET', '/v1/external/retrain_jobs/upload_url', {
      key: await this.retrainKey(modelId),
      query: { filename, sheet: opts.sheet },
    });
    await this.put(opened.upload_url, source, opts.onProgress === undefined ? {} : { onProgress: opts.onProgress });
    return opened.retrain_job_id;
  }

  async retrainStatus(modelId: number, jobId: string): Promise<RetrainStatusResponse> {
    return this.request('GET', `/v1/external/retrain_jobs/${encodeURIComponent(jobId)}`, { key: await this.retrainKey(modelId) });
  }

  async waitForRetrain(modelId: number, jobId: string, opts: WaitOptions = {}): Promise<RetrainStatusResponse> {
    return this.#poll(
      () => this.retrainStatus(modelId, jobId),
      (s) => s.status === 'job_finished' || s.status === 'job_failed',
      opts,
    );
  }

  /** Retrain Model Switch: the classifier serving the model now serves the retrained one. */
  async switchModel(modelId: number, jobId: string): Promise<void> {
    await this.request('PUT', `/v1/external/retrain_jobs/${encodeURIComponent(jobId)}/update_model`, { key: await this.retrainKey(modelId) });
  }

  // ---- operations ---------------------------------------------------------------------------------

  async ready(): Promise<{ status: 'ready' | 'not_ready'; checks: Record<string, string> }> {
    const res = await this.#fetch(`${this.baseUrl}/readyz`);
    return (await res.json()) as { status: 'ready' | 'not_ready'; checks: Record<string, string> };
  }

  async #poll<T extends { status: string }>(read: () => Promise<T>, done: (t: T) => boolean, opts: WaitOptions): Promise<T> {
    const started = Date.now();
    for (;;) {
      const s = await read();
      opts.onPoll?.(s as T & { progress?: number });
      if (done(s)) return s;
      if (opts.timeoutMs !== undefined && Date.now() - started > opts.timeoutMs) {
        throw new YosokuApiError(0, 0, 'TIMEOUT', `still ${s.status} after ${opts.timeoutMs} ms`, undefined);
      }
      await sleep(opts.intervalMs ?? 1000, opts.signal);
    }
  }
}

/** csv, tsv or xlsx from a source's file name (csv when it has none). */
export function extensionOf(source: UploadSource): UploadExtension {
  const name = 'path' in source ? source.path : (source.fileName ?? '');
  const m = /\.(csv|tsv|xlsx)$/i.exec(name);
  return m === null ? 'csv' : (m[1]!.toLowerCase() as UploadExtension);
}
