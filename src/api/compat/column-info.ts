/** DatasetProfile → the `column-info` response (spec §2.3, DESIGN.md §1 rows 8–9). */
import type { ColumnProfile, DatasetProfile } from '../../ingest/index.js';
import { COLUMN_TYPE_CODE } from '../../table/table.js';

function rangePick(c: ColumnProfile) {
  if (c.rangePick === null) return null;
  const { numeric, date } = c.rangePick;
  return {
    numeric: numeric === undefined ? null : { max_val: numeric.max, min_val: numeric.min, initial_threshold: numeric.threshold },
    date:
      date === undefined
        ? null
        : {
            max_epoc_sec: date.maxEpochSec,
            min_epoc_sec: date.minEpochSec,
            initial_threshold_epoc_sec: date.thresholdEpochSec,
            time_unit_id: date.timeUnitId,
          },
  };
}

function column(c: ColumnProfile, timeSeries: boolean) {
  return {
    column_id: c.index,
    name: c.name,
    initial_data_type: COLUMN_TYPE_CODE[c.detectedType],
    available_data_types: c.availableTypes.map((t) => COLUMN_TYPE_CODE[t]),
    unique_count: c.uniqueCount,
    data_count: c.dataCount,
    missing_count: c.missingCount,
    // Spec §2.3: null in time-series mode (relevance to a shifted target is not what the model uses).
    cor_score: timeSeries ? null : c.relevance,
    // Ours, additive (docs/api.md §3): defined for every column, text and dates included.
    predictive_power: c.predictivePower === null ? null : c.predictivePower.score,
    predictive_power_basis: c.predictivePower === null ? null : c.predictivePower.basis,
    classify_value: c.topValues.map((t) => ({ name: t.value, value: t.count })),
    numerical_value:
      c.numeric === null ? [] : [{ max_value: c.numeric.max, min_value: c.numeric.min, avg_value: c.numeric.mean, median_value: c.numeric.median }],
    range_pick_info: rangePick(c),
  };
}

/** With `timeSeries` (column-info `tsm=true`): cor_score null and the time unit of the time column (`timeColumn`, else the first date column). */
export function columnInfoBody(p: DatasetProfile, timeSeries?: { readonly timeColumn?: string }) {
  const body = {
    raw_column_names: [...p.columnNames],
    raw_training_data: p.previewLines.map((line) => ({ row_data: line })),
    training_data_columns: p.columns.map((c) => column(c, timeSeries !== undefined)),
    useless_column_list: p.columns.filter((c) => c.uselessReason !== null).map((c) => c.name),
    trainingdata_row_count: p.rowCount,
  };
  if (timeSeries === undefined) return body;
  const time = p.columns.find((c) => (timeSeries.timeColumn === undefined ? c.detectedType === 'date' : c.name === timeSeries.timeColumn));
  const unit = time?.rangePick?.date?.timeUnitId ?? null;
  return { ...body, time_series: { time_column: time?.name ?? null, time_unit_id: unit } };
}
