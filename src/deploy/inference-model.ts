/**
 * A loaded AutoModel as the view inference and batch predictions use (deploy/inference.ts,
 * deploy/batch.ts): its info, its predict function and the training date formats. Built once per
 * loaded model, with the model, when it enters a cache of loaded models (loaded-models.ts).
 */
import { forecastAutoModel, predictAutoModel } from '../automl/pipeline.js';
import type { AutoModel } from '../automl/types.js';
import type { InferenceModel } from './inference.js';

/** What runInference needs of a model. */
export function inferenceModelOf(model: AutoModel): InferenceModel {
  const view: InferenceModel = { info: model.info, predict: (table, options) => predictAutoModel(model, table, options), dateFormats: dateFormatsOf(model) };
  const needs = model.info.timeSeries;
  if (needs === undefined) return view;
  // A forecaster: requests are histories (deploy/forecast-inference.ts).
  return { ...view, forecaster: { target: model.info.target, needs, forecast: (history, options) => forecastAutoModel(model, history, options) } };
}

/** The training date format of each date input the model records (docs/deploy.md §2). */
export function dateFormatsOf(model: AutoModel): Readonly<Record<string, string>> {
  const formats = Object.create(null) as Record<string, string>; // column names are data (`__proto__`)
  for (const c of model.info.inputColumns) if (c.dateFormat !== undefined) formats[c.name] = c.dateFormat;
  return formats;
}
