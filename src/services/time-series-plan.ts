/**
 * The second half of planning a time-series training (POST /models and retrains): read the
 * training file's time, target and series columns (≤ TS_MAX_ROWS rows, so this is quick), run the
 * data checks (ingest/time-series-checks.ts) and complete the settings with the unit and the
 * interval the timestamps imply. Throws the checks' AppError before anything is queued.
 */
import type { TimeSeriesLimits } from '../config.js';
import type { TimeSeriesSettings } from '../domain/time-series.js';
import { checkTimeSeries, readTypedTable, timeSeriesDataOf } from '../ingest/index.js';
import type { ColumnType } from '../table/table.js';
import type { TrainingPlan } from './train-config.js';

export interface TimeSeriesFile {
  /** Normalised (UTF-8) training file. */
  readonly path: string;
  readonly delimiter: ',' | '\t';
  readonly referenceYear: number;
}

/** The plan with `settings.timeSeries` resolved (a plan without time series is returned as it is). */
export async function resolveTimeSeriesPlan(plan: TrainingPlan, file: TimeSeriesFile, limits: TimeSeriesLimits): Promise<TrainingPlan> {
  const draft = plan.timeSeries;
  if (draft === undefined) return plan;
  const target = plan.settings.target;
  const types: Record<string, ColumnType> = Object.create(null) as Record<string, ColumnType>;
  types[draft.timeColumn] = 'text';
  types[target] = plan.columnTypes[target] ?? 'float';
  if (draft.seriesColumn !== undefined) types[draft.seriesColumn] = 'string';
  const table = await readTypedTable(file.path, { delimiter: file.delimiter, types, minColumns: 2, referenceYear: file.referenceYear });
  const known = Object.hasOwn(plan.dateFormats, draft.timeColumn) ? plan.dateFormats[draft.timeColumn]! : null;
  const data = timeSeriesDataOf(table, {
    time: draft.timeColumn,
    target,
    ...(draft.seriesColumn === undefined ? {} : { series: draft.seriesColumn }),
    dateFormat: known,
  });
  const minPeriods = 2 * draft.toStep + 1;
  const checked = checkTimeSeries(data, {
    ...(draft.unit === undefined ? {} : { unit: draft.unit }),
    ...(draft.interval === undefined ? {} : { interval: draft.interval }),
    minPeriods,
    minPeriodsReason: `2×tst+1 with tst=${draft.toStep}`,
    maxSeries: limits.maxSeries,
    trailingEmptyTargets: false,
    referenceYear: file.referenceYear,
  });
  const timeSeries: TimeSeriesSettings = { ...draft, unit: checked.unit, interval: checked.interval };
  const dateFormats = Object.assign(Object.create(null) as Record<string, string>, plan.dateFormats); // column names are data (`__proto__`)
  dateFormats[draft.timeColumn] = checked.dateFormat;
  return { ...plan, settings: { ...plan.settings, timeSeries }, dateFormats };
}
