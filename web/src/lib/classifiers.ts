/** A prediction API (classifier) read and changed through the management API (docs/api.md §11–§12). */
import { call } from './api.js';
import { apiKey } from './session.js';
import type { Classifier } from './types.js';

export async function getClassifier(id: string): Promise<Classifier> {
  const res = await call<{ classifier: Classifier }>('GET', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'));
  return res.classifier;
}

export async function patchClassifier(id: string, body: object): Promise<Classifier> {
  const res = await call<{ classifier: Classifier }>('PATCH', `v1/external/classifiers/${encodeURIComponent(id)}`, await apiKey('deploy'), body);
  return res.classifier;
}
