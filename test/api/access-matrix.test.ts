/**
 * Who may call what, table-driven: every route × every kind of key (none, secret, train, deploy,
 * retrain, a classifier key, an expired key, another user's key) × the caller's own and another
 * user's resources. Only the route's own key type of the resource's owner gets past the checks;
 * everyone else gets the documented refusal, and another user's resource is "not found", exactly as
 * one that never existed.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, closeRunner, deploy, trainModel } from '../helpers/deploy.js';
import { binaryCsv, createHarness, type Harness } from '../helpers/harness.js';

type Scope = 'secret' | 'train' | 'deploy' | 'retrain' | 'classifier';
type KeyKind = 'none' | Scope | 'expired' | 'other';

interface Route {
  readonly name: string;
  readonly scope: Scope;
  /** Method and path; `r` holds the resource ids of the owner the row is about. */
  request(r: Resources): { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
  /** Whether the route names a resource (then it is tried on the caller's and on another user's). */
  readonly owned: boolean;
  /** What a caller with the right key gets for another user's resource. */
  readonly othersAnswer?: { code: number; message: RegExp };
}

interface Resources {
  pid: string;
  dataSetId: number;
  modelId: number;
  classifierId: string;
  spareClassifierId: string;
  groupId: string;
  retrainJobId: string;
  batchId: string;
}

interface Party {
  keys: Record<Scope, string>;
  r: Resources;
}

const NOT_FOUND = (code: number) => ({ code, message: /./ });

const ROUTES: readonly Route[] = [
  { name: 'Get API Key', scope: 'secret', owned: false, request: () => ({ method: 'GET', url: '/v1/external/api-key?credential_type=train' }) },
  { name: 'upload-url', scope: 'train', owned: false, request: () => ({ method: 'GET', url: '/v1/external/data-sets/upload-url' }) },
  {
    name: 'column-info',
    scope: 'train',
    owned: true,
    othersAnswer: NOT_FOUND(4041000401),
    request: (r) => ({ method: 'GET', url: `/v1/external/data-sets/column-info?external_process_id=${r.pid}` }),
  },
  { name: 'Get Data Set', scope: 'train', owned: false, request: () => ({ method: 'GET', url: '/v1/external/data-sets' }) },
  {
    name: 'Delete Data Set',
    scope: 'train',
    owned: true,
    othersAnswer: NOT_FOUND(4041000402),
    request: (r) => ({ method: 'DELETE', url: `/v1/external/data-sets/${r.dataSetId}` }),
  },
  {
    name: 'Train',
    scope: 'train',
    owned: true,
    othersAnswer: NOT_FOUND(4041000401),
    request: (r) => ({ method: 'POST', url: '/v1/external/models', body: { external_process_id: r.pid, config: {} } }),
  },
  {
    name: 'Train Status Check',
    scope: 'train',
    owned: true,
    othersAnswer: NOT_FOUND(4041000401),
    request: (r) => ({ method: 'GET', url: `/v1/external/models/results?external_process_id=${r.pid}` }),
  },
  { name: 'Get Model', scope: 'train', owned: false, request: () => ({ method: 'GET', url: '/v1/external/models' }) },
  {
    name: 'Delete Model',
    scope: 'train',
    owned: true,
    othersAnswer: NOT_FOUND(4041000403),
    request: (r) => ({ method: 'DELETE', url: `/v1/external/models/${r.modelId}` }),
  },
  {
    name: 'Create Classifier',
    scope: 'deploy',
    owned: true,
    othersAnswer: NOT_FOUND(4041000403),
    request: (r) => ({ method: 'POST', url: '/v1/external/classifiers', body: { model_id: r.modelId, rules: [] } }),
  },
  { name: 'Get Classifier (list)', scope: 'deploy', owned: false, request: () => ({ method: 'GET', url: '/v1/external/classifiers' }) },
  {
    name: 'Get Classifier',
    scope: 'deploy',
    owned: true,
    othersAnswer: NOT_FOUND(4041000406),
    request: (r) => ({ method: 'GET', url: `/v1/external/classifiers/${r.classifierId}` }),
  },
  {
    name: 'Update Classifier',
    scope: 'deploy',
    owned: true,
    othersAnswer: NOT_FOUND(4041000406),
    request: (r) => ({ method: 'PATCH', url: `/v1/external/classifiers/${r.classifierId}`, body: {} }),
  },
  {
    name: 'Delete Classifier',
    scope: 'deploy',
    owned: true,
    othersAnswer: NOT_FOUND(4041000406),
    request: (r) => ({ method: 'DELETE', url: `/v1/external/classifiers/${r.spareClassifierId}` }),
  },
  {
    name: 'Batch prediction',
    scope: 'deploy',
    owned: true,
    othersAnswer: NOT_FOUND(4041000406),
    request: (r) => ({ method: 'POST', url: `/v1/external/classifiers/${r.classifierId}/batch-predictions`, body: {} }),
  },
  {
    name: 'Batch status',
    scope: 'deploy',
    owned: true,
    othersAnswer: NOT_FOUND(4041000407),
    request: (r) => ({ method: 'GET', url: `/v1/external/classifiers/${r.classifierId}/batch-predictions/${r.batchId}` }),
  },
  {
    name: 'Retrain Data Upload',
    scope: 'retrain',
    owned: false,
    request: () => ({ method: 'GET', url: '/v1/external/retrain_jobs/upload_url?filename=r.csv' }),
  },
  {
    name: 'Retrain Status Check',
    scope: 'retrain',
    owned: true,
    othersAnswer: { code: 4001000204, message: /^Not found retrain job\.$/ },
    request: (r) => ({ method: 'GET', url: `/v1/external/retrain_jobs/${r.retrainJobId}` }),
  },
  {
    name: 'Retrain Model Switch',
    scope: 'retrain',
    owned: true,
    othersAnswer: { code: 4001000204, message: /^Not found retrain job\.$/ },
    request: (r) => ({ method: 'PUT', url: `/v1/external/retrain_jobs/${r.retrainJobId}/update_model` }),
  },
  {
    name: 'Inference',
    scope: 'classifier',
    owned: true,
    othersAnswer: { code: 4031030201, message: /^Invalid API key$/ },
    request: (r) => ({
      method: 'POST',
      url: `/v1/groups/${r.groupId}/classifiers/${r.classifierId}/inference`,
      body: { inputs: [{ name: 'pr', type: 'csv', data: Buffer.from('age,plan,score\n30,pro,5\n').toString('base64') }] },
    }),
  },
];

let h: Harness;
let alice: Party;
let bob: Party;
let expiredTrainKey: string;

async function party(name: string): Promise<Party> {
  const u = await h.user(name);
  const deployKey = await apiKey(h, u.secret, 'deploy');
  const modelId = await trainModel(h, u.train, binaryCsv(50), { tc: 'churn', tt: 'binary_classification', tv: 'yes' });
  const retrain = await apiKey(h, u.secret, 'retrain', modelId);
  const c = await deploy(h, deployKey, modelId);
  const spare = await deploy(h, deployKey, modelId);
  const pid = await h.upload(u.train, { learn: binaryCsv(30) });
  const dataSetId = (await h.get('/v1/external/data-sets', u.train)).json().data_sets[0].data_set_id as number;
  const retrainJobId = (await h.get('/v1/external/retrain_jobs/upload_url?filename=r.csv', retrain)).json().retrain_job_id as string;
  const batchId = (await h.post(`/v1/external/classifiers/${c.classifier_id}/batch-predictions`, deployKey, {})).json().batch_prediction_id as string;
  return {
    keys: { secret: u.secret, train: u.train, deploy: deployKey, retrain, classifier: c.api_key },
    r: {
      pid,
      dataSetId,
      modelId,
      classifierId: c.classifier_id,
      spareClassifierId: spare.classifier_id,
      groupId: new URL(c.url).pathname.split('/')[3]!,
      retrainJobId,
      batchId,
    },
  };
}

beforeAll(async () => {
  h = await createHarness({ TRAINING_TIME_BUDGET_SECONDS: '1' });
  const early = await h.user('early');
  expiredTrainKey = early.train;
  h.advance((h.config.apiKeyTtlDays + 1) * 24 * 3600 * 1000);
  alice = await party('alice');
  bob = await party('bob');
}, 240_000);

afterAll(async () => {
  await h.services.deployment.settled();
  await closeRunner();
});

function keyFor(kind: KeyKind, route: Route): string | undefined {
  if (kind === 'none') return undefined;
  if (kind === 'expired') return expiredTrainKey;
  if (kind === 'other') return bob.keys[route.scope];
  return alice.keys[kind];
}

function send(route: Route, key: string | undefined, owner: Party): Promise<LightMyRequestResponse> {
  const { method, url, body } = route.request(owner.r);
  return h.app.inject({
    method,
    url,
    headers: { ...(key === undefined ? {} : { 'x-api-key': key }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** The refusal a key of `kind` gets on `route` (null: it passes the checks). */
function refusal(route: Route, kind: KeyKind): { code: number; message: RegExp } | null {
  if (route.scope === 'classifier') {
    return kind === 'classifier' || kind === 'other' ? null : { code: 4031030201, message: /^Invalid API key$/ };
  }
  if (kind === 'none' || kind === 'classifier') return { code: 4001000204, message: /^invalid_api_key\.$/ };
  if (kind === 'expired')
    return route.scope === 'train' ? { code: 4001000204, message: /^Inactive_credential\.$/ } : { code: 4001000204, message: /^Not_found_credential\.$/ };
  if (kind === 'other' || kind === route.scope) return null;
  return { code: 4001000204, message: /^Not_found_credential\.$/ };
}

function expectAnswer(res: LightMyRequestResponse, want: { code: number; message: RegExp }, what: string): void {
  const body = res.json() as { code: number; message: string };
  expect([res.statusCode, body.code, body.message], what).toEqual([Number(String(want.code).slice(0, 3)), want.code, expect.stringMatching(want.message)]);
}

/** The messages of a refused key (spec §1.5), as opposed to a route's own 4001000204 answers. */
const AUTH_REFUSALS = new Set(['invalid_api_key.', 'Not_found_credential.', 'Inactive_credential.', 'This user may be deleted.']);

const KINDS: readonly KeyKind[] = ['none', 'secret', 'train', 'deploy', 'retrain', 'classifier', 'expired', 'other'];

describe('the access matrix', () => {
  for (const route of ROUTES) {
    it(route.name, async () => {
      for (const kind of KINDS) {
        const key = keyFor(kind, route);
        const want = refusal(route, kind);
        const owners: [string, Party][] = route.owned
          ? [
              ['own', alice],
              ['other user’s', bob],
            ]
          : [['own', alice]];
        for (const [whose, owner] of owners) {
          // `other` is bob's key: bob's resources are his own, alice's are another user's.
          const isOwn = kind === 'other' ? owner === bob : owner === alice;
          const what = `${route.name} with a ${kind} key on ${kind === 'other' ? (isOwn ? 'own' : 'other user’s') : whose} resource`;
          const res = await send(route, key, owner);
          expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
          if (want !== null) expectAnswer(res, want, what);
          else if (!isOwn && route.othersAnswer !== undefined) expectAnswer(res, route.othersAnswer, what);
          else {
            // Past the checks: whatever the route answers, it is not a key refusal or a not-found.
            const body = res.body === '' ? {} : (res.json() as { code?: number; message?: string });
            const refused = AUTH_REFUSALS.has(body.message ?? '') || (body.code !== undefined && String(body.code).startsWith('404')) || res.statusCode === 403;
            expect(refused, `${what} was refused: ${res.body}`).toBe(false);
          }
        }
      }
    });
  }
});
