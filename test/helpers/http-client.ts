/** A small fetch client for tests against a started server (test/helpers/server-process.ts). */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Client {
  readonly url: string;
  json(method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }>;
  put(absoluteUrl: string, body: string | Buffer): Promise<{ status: number; body: any }>;
  apiKey(secret: string, type: 'train' | 'deploy' | 'retrain', modelId?: number): Promise<string>;
  /** upload-url + PUT learn; returns the process id. */
  upload(trainKey: string, csv: string): Promise<string>;
  /** POST /models and poll until finished or failed; returns the final status body. */
  train(trainKey: string, processId: string, config: Record<string, unknown>, timeoutMs?: number): Promise<any>;
  /** Create a classifier and wait until it runs; returns the Get Classifier item. */
  deploy(deployKey: string, modelId: number): Promise<any>;
  classifier(deployKey: string, id: string): Promise<any>;
  /** upload_url + PUT, then poll the retrain job until finished or failed; returns its final status. */
  retrain(retrainKey: string, csv: string, timeoutMs?: number): Promise<{ jobId: string; status: any }>;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

export function client(url: string): Client {
  const c: Client = {
    url,
    async json(method, path, key, body) {
      const res = await fetch(url + path, {
        method,
        headers: { ...(key === undefined ? {} : { 'x-api-key': key }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : JSON.parse(text) };
    },
    async put(absoluteUrl, body) {
      const res = await fetch(absoluteUrl, { method: 'PUT', body });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : JSON.parse(text) };
    },
    async apiKey(secret, type, modelId) {
      const r = await c.json('GET', `/v1/external/api-key?credential_type=${type}${modelId === undefined ? '' : `&model_id=${modelId}`}`, secret);
      if (r.status !== 200) throw new Error(`api-key: ${JSON.stringify(r.body)}`);
      return r.body.api_key as string;
    },
    async upload(trainKey, csv) {
      const r = await c.json('GET', '/v1/external/data-sets/upload-url?extension=csv', trainKey);
      if (r.status !== 200) throw new Error(`upload-url: ${JSON.stringify(r.body)}`);
      const put = await c.put(r.body.learn_data_set_upload_url, csv);
      if (put.status !== 200) throw new Error(`PUT: ${JSON.stringify(put.body)}`);
      return r.body.external_process_id as string;
    },
    async train(trainKey, processId, config, timeoutMs = 120_000) {
      const r = await c.json('POST', '/v1/external/models', trainKey, { external_process_id: processId, name: 'm', config });
      if (r.status !== 200) throw new Error(`POST /models: ${JSON.stringify(r.body)}`);
      return until('the training', timeoutMs, async () => {
        const s = await c.json('GET', `/v1/external/models/results?external_process_id=${processId}`, trainKey);
        return s.body.status === 'finished' || s.body.status === 'failed' ? s.body : undefined;
      });
    },
    async deploy(deployKey, modelId) {
      const r = await c.json('POST', '/v1/external/classifiers', deployKey, { model_id: modelId, rules: [] });
      if (r.status !== 200) throw new Error(`create classifier: ${JSON.stringify(r.body)}`);
      return until('the classifier build', 60_000, async () => {
        const item = await c.classifier(deployKey, r.body.classifier_id);
        return item.status === 'running' || item.status === 'failed' ? item : undefined;
      });
    },
    async classifier(deployKey, id) {
      return (await c.json('GET', `/v1/external/classifiers/${id}`, deployKey)).body.classifier;
    },
    async retrain(retrainKey, csv, timeoutMs = 120_000) {
      const r = await c.json('GET', '/v1/external/retrain_jobs/upload_url?filename=retrain.csv', retrainKey);
      if (r.status !== 200) throw new Error(`retrain upload_url: ${JSON.stringify(r.body)}`);
      const put = await c.put(r.body.upload_url, csv);
      if (put.status !== 200) throw new Error(`retrain PUT: ${JSON.stringify(put.body)}`);
      const jobId = r.body.retrain_job_id as string;
      const status = await until('the retrain job', timeoutMs, async () => {
        const s = await c.json('GET', `/v1/external/retrain_jobs/${jobId}`, retrainKey);
        return s.body.status === 'job_finished' || s.body.status === 'job_failed' ? s.body : undefined;
      });
      return { jobId, status };
    },
  };
  return c;
}

export { until };
