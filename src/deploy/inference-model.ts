/**
 * A loaded AutoModel as the view inference and batch predictions use (deploy/inference.ts,
 * deploy/batch.ts): its info, its predict function and the training date formats, made once per
 * loaded model (main thread or compute thread) rather than per request.
 */
import { predictAutoModel } from '../automl/pipeline.js';
import type { AutoModel } from '../automl/types.js';
import type { InferenceModel } from './inference.js';

const INFERENCE_MODELS = new WeakMap<AutoModel, InferenceModel>();

/** What runInference needs of a model, made once per loaded model rather than per request. */
export function inferenceModelOf(model: AutoModel): InferenceModel {
  let bound = INFERENCE_MODELS.get(model);
  if (bound === undefined) {
    bound = { info: model.info, predict: (table, options) => predictAutoModel(model, table, options), dateFormats: dateFormatsOf(model) };
    INFERENCE_MODELS.set(model, bound);
  }
  return bound;
}

const DATE_FORMATS = new WeakMap<AutoModel, Readonly<Record<string, string>>>();

/** The training date format of each date input the model records (docs/deploy.md §2). */
export function dateFormatsOf(model: AutoModel): Readonly<Record<string, string>> {
  let formats = DATE_FORMATS.get(model);
  if (formats === undefined) {
    const f = Object.create(null) as Record<string, string>; // column names are data (`__proto__`)
    for (const c of model.info.inputColumns) if (c.dateFormat !== undefined) f[c.name] = c.dateFormat;
    formats = f;
    DATE_FORMATS.set(model, formats);
  }
  return formats;
}
