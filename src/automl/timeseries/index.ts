/**
 * Time-series forecasting (issue 10), the public surface automl/pipeline.ts wires: train a
 * forecaster, forecast from a history, serialize. Pure: no I/O, no clock (the time budget reads
 * the caller's elapsedSeconds), seeded generators only.
 */
import type { ForecastNeeds, TimeSeriesSettings } from '../../domain/time-series.js';
import type { ColumnType, TypedTable } from '../../table/table.js';
import type { AutoModelInfo } from '../types.js';
import type { ForecasterData } from './forecaster.js';
import { trainForecast } from './train.js';
import type { ForecastTrainHooks, ForecastTraining } from './train.js';

export { forecastWith } from './forecast.js';
export { deserializeForecaster, forecasterResidentBytes, isForecaster, looksLikeForecaster, serializeForecaster } from './forecaster.js';
export type { ForecasterData } from './forecaster.js';
export type { ForecastTraining, ForecastTrainHooks } from './train.js';

type NeedType = ForecastNeeds['columns'][number]['type'];

function columnInfo(table: TypedTable, name: string): { name: string; type: ColumnType; dateFormat?: string } {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) return { name, type: 'ignore' };
  return col.type === 'date' ? { name, type: 'date', dateFormat: col.format } : { name, type: col.type };
}

function modelInfo(table: TypedTable, target: string, ts: TimeSeriesSettings, training: ForecastTraining): AutoModelInfo {
  const names = [ts.timeColumn, target, ...(ts.seriesColumn !== undefined ? [ts.seriesColumn] : []), ...training.ctx.layout.columns.map((c) => c.name)];
  const inputColumns = names.map((n) => columnInfo(table, n));
  const needs: ForecastNeeds = {
    settings: ts,
    minHistory: training.minHistory,
    columns: inputColumns.filter((c) => c.type !== 'ignore').map((c) => ({ name: c.name, type: c.type as NeedType })),
  };
  return { task: 'regression', target, classes: [], inputColumns, timeSeries: needs };
}

/** Trains a forecaster and returns it with what the result files report. */
export function trainTimeSeriesModel(
  table: TypedTable,
  target: string,
  ts: TimeSeriesSettings,
  hooks: ForecastTrainHooks,
): { model: ForecasterData; training: ForecastTraining } {
  const training = trainForecast(table, target, ts, hooks);
  const model: ForecasterData = {
    kind: 'forecaster',
    info: modelInfo(table, target, ts, training),
    target,
    settings: ts,
    layout: training.ctx.layout,
    gbdt: training.finalSet === null ? null : { config: training.finalSet.config, models: training.finalSet.models },
    series: training.choices,
    unseenMethod: training.unseenMethod,
    quantiles: Array.from(training.band.quantiles),
    nonNegative: training.nonNegative,
    minHistory: training.minHistory,
  };
  return { model, training };
}
