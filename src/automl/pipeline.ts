/**
 * AutoML end to end, in named phases:
 *
 *   plan      target, rows, preprocessing plan (encoders)          phases/plan.ts
 *   validate  validation plan, trend parts of a time-sorted file   phases/validate.ts
 *   search    candidates trained per validation fold               search.ts
 *   ensemble  greedy selection on out-of-fold scores               ensemble.ts
 *   refit     the selected candidates on every training row        search.ts
 *   evaluate  metrics and threshold on the evaluation rows         phases/evaluation.ts
 *   explain   reasons, importance, analysis summary                phases/explanation.ts
 *   report    the result files                                     results/
 *
 * Pure computation: no I/O, no clock (the time budget reads hooks.elapsedSeconds()), every random
 * choice from seeded generators. Same data, settings and seed → the same model bytes.
 */
import { AppError } from '../domain/errors.js';
import type { ColumnType, TypedTable } from '../table/table.js';
import { selectEnsemble } from './ensemble.js';
import {
  autoModelResidentBytes as residentBytes,
  asData,
  deserializeAutoModel as deserialize,
  predictWithModel,
  serializeAutoModel as serialize,
} from './model.js';
import type { AutoModelData } from './model.js';
import { evaluatePhase } from './phases/evaluation.js';
import { explainPhase } from './phases/explanation.js';
import { planPhase } from './phases/plan.js';
import { startRun } from './phases/run.js';
import { searchInputOf, validatePhase } from './phases/validate.js';
import { writeResultFiles } from './results/index.js';
import { nOutputsOf, refitSelected, runSearch } from './search.js';
import type { AutoModel, AutoModelInfo, AutoPredictions, AutoTrainHooks, AutoTrainInput, AutoTrainOutput } from './types.js';
import type { ForecastOptions, ForecastRow } from '../domain/time-series.js';
import { timeSeriesMetrics, writeTimeSeriesResultFiles } from './results/timeseries.js';
import {
  deserializeForecaster,
  forecastWith,
  forecasterResidentBytes,
  isForecaster,
  looksLikeForecaster,
  serializeForecaster,
  trainTimeSeriesModel,
} from './timeseries/index.js';

export { AutoMlCancelled } from './search.js';
export { AUTOML_VERSION } from './results/index.js';
export { MIN_TRAIN_ROWS } from './phases/plan.js';
export { DEFAULT_TIME_BUDGET_SECONDS } from './phases/run.js';
export { MAX_EXPLAINED_ROWS } from './phases/explanation.js';

function checkSettings(input: AutoTrainInput): void {
  const s = input.settings;
  if (!Number.isInteger(s.cv) || s.cv < -1) throw new AppError('INVALID_CONFIG', `cv must be an integer ≥ -1, got ${s.cv}`);
  if (!Number.isFinite(s.seed)) throw new AppError('INVALID_CONFIG', `seed must be a finite number, got ${s.seed}`);
  if (s.imbalance && s.task === 'regression') throw new AppError('INVALID_CONFIG', 'imbalance correction (im) applies to classification only');
}

/**
 * Trains the best model for the settings and produces the result files.
 *
 * @throws AppError for settings or data the model cannot be trained on
 * @throws AutoMlCancelled when hooks.isCancelled() turns true
 * @example
 * const { model, resultFiles, metrics } = trainAutoModel({ train, settings }, { onProgress: (f, p) => log(f, p) });
 */
export function trainAutoModel(input: AutoTrainInput, hooks: AutoTrainHooks): AutoTrainOutput {
  if (input.settings.timeSeries !== undefined) return trainForecaster(input, hooks);
  checkSettings(input);
  const run = startRun(input, hooks);
  const task = run.task;
  const data = run.phase('plan', 0, () => planPhase(run));
  const { target } = data;
  const { validation, fitted, trendParts } = run.phase('validate', 0.08, () => validatePhase(run, data));
  const plan = fitted.plan;
  const searchInput = searchInputOf(run, data, fitted, validation);
  const nOut = nOutputsOf(task, target.classes.length);
  const search = run.phase('search', 0.1, () =>
    runSearch(searchInput, {
      progress: (f) => run.progress(0.1 + 0.6 * f, 'search'),
      elapsedSeconds: run.elapsed,
      isCancelled: run.cancelled,
      ...run.parallel,
    }),
  );
  const ensemble = run.phase('ensemble', 0.7, () => selectEnsemble(search.candidates, search.validatedRows, task, nOut, target.y));
  const refit = run.phase('refit', 0.72, () =>
    refitSelected(searchInput, search, ensemble, { isCancelled: run.cancelled, elapsedSeconds: run.elapsed, ...run.parallel }),
  );
  const rows = run.phase('evaluate', 0.8, () =>
    evaluatePhase(run, { target, table: data.table, plan, trainFeatures: fitted.train, validation, search, ensemble, refit }),
  );
  const explanations = run.phase('explain', 0.85, () => explainPhase(run, plan, target, rows));
  const model: AutoModelData = {
    info: {
      task,
      target: target.name,
      classes: target.classes.slice(),
      inputColumns: plan.columns.map((c) => inputColumn(input.train, c.name)),
      ...(rows.threshold !== undefined ? { threshold: rows.threshold } : {}),
      ...(rows.classWeights !== undefined ? { classWeights: rows.classWeights.slice() } : {}),
    },
    plan,
    members: refit.models,
    weights: refit.weights,
  };
  const resultFiles = run.phase('report', 0.92, () =>
    writeResultFiles({
      input,
      table: data.table,
      plan,
      trendParts,
      validation,
      search,
      ensemble,
      refit,
      timings: run.timings,
      nTrain: target.y.length,
      target,
      rows,
      explanations,
    }),
  );
  run.progress(1, 'report');
  const evaluation = rows.evaluation;
  return { model, resultFiles, metrics: { ...evaluation.metrics, model_level: evaluation.stars } };
}

/** Time-series mode (settings.timeSeries): a forecaster, validated on rolling origins (timeseries/). */
function trainForecaster(input: AutoTrainInput, hooks: AutoTrainHooks): AutoTrainOutput {
  const run = startRun(input, hooks);
  const ts = input.settings.timeSeries!;
  const { model, training } = run.phase('search', 0, () =>
    trainTimeSeriesModel(input.train, input.settings.target, ts, {
      seed: run.seed,
      budgetSeconds: run.budgetSeconds,
      elapsed: run.elapsed,
      isCancelled: run.cancelled,
      progress: (f, phase) => run.progress(0.9 * f, phase),
      ...run.parallel,
    }),
  );
  const resultFiles = run.phase('report', 0.92, () => writeTimeSeriesResultFiles(training, run.timings));
  run.progress(1, 'report');
  return { model, resultFiles, metrics: timeSeriesMetrics(training) };
}

function inputColumn(table: TypedTable, name: string): { name: string; type: ColumnType; dateFormat?: string } {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) return { name, type: 'ignore' };
  return col.type === 'date' ? { name, type: 'date', dateFormat: col.format } : { name, type: col.type };
}

/**
 * Predicts with a trained model (see model.ts predictWithModel for the column rules).
 * @example predictAutoModel(model, table, { reasons: true }).labels
 */
export function predictAutoModel(model: AutoModel, table: TypedTable, options: { reasons: boolean; topK?: number }): AutoPredictions {
  if (isForecaster(model)) throw new TypeError('a time-series model forecasts with forecastAutoModel');
  return predictWithModel(model, table, options);
}

/**
 * Forecasts steps tsf..tst after each series' last observed target in `history` (time-series
 * models only; see timeseries/forecast.ts for what the history must hold).
 * @throws AppError INFERENCE_INVALID_REQUEST naming the series, column and time when the history is too short or a known-future value is missing
 * @example forecastAutoModel(model, history, { reasons: true }) // [{ series, time, horizon, prediction, lower, upper, reasons }]
 */
export function forecastAutoModel(model: AutoModel, history: TypedTable, options: ForecastOptions): readonly ForecastRow[] {
  if (!isForecaster(model)) throw new TypeError('forecastAutoModel needs a time-series model');
  return forecastWith(model, history, options);
}

/** What a trained model tells its callers (`timeSeries` set for a forecaster). */
export function autoModelInfo(model: AutoModel): AutoModelInfo {
  return model.info;
}

/** Versioned, deterministic text form of a model. */
export function serializeAutoModel(model: AutoModel): string {
  if (isForecaster(model)) return serializeForecaster(model);
  return serialize(asData(model));
}

/** @throws TypeError for text that is not a serialized AutoML model of a supported version */
export function deserializeAutoModel(text: string): AutoModel {
  if (looksLikeForecaster(text)) return deserializeForecaster(text);
  return deserialize(text);
}

/** Memory a loaded model holds (its trees and their compiled forms). */
export function autoModelResidentBytes(model: AutoModel): number {
  if (isForecaster(model)) return forecasterResidentBytes(model);
  return residentBytes(model);
}
