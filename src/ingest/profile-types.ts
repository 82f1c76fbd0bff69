/**
 * The column analysis of an uploaded file, in our own names. api/compat maps it to the
 * Prediction One `column-info` response (DESIGN.md §1 rows 8–9).
 */
import type { ColumnType } from './table.js';

export interface NumericSummary {
  readonly max: number;
  readonly min: number;
  readonly mean: number;
  readonly median: number;
}

export interface RangePick {
  /** Numeric and date columns: bounds and a suggested 80/20 split threshold (value or epoch seconds). */
  readonly numeric?: { readonly max: number; readonly min: number; readonly threshold: number };
  /** time_unit_id: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 end of month. */
  readonly date?: { readonly maxEpochSec: number; readonly minEpochSec: number; readonly thresholdEpochSec: number; readonly timeUnitId: number };
}

export interface ColumnProfile {
  /** 0-based position in the file. */
  readonly index: number;
  readonly name: string;
  readonly detectedType: ColumnType;
  /** Types the user could choose instead (always includes detectedType and 'ignore'). */
  readonly availableTypes: readonly ColumnType[];
  /** Date columns: the detected format (ingest/dates). */
  readonly dateFormat?: string;
  readonly uniqueCount: number;
  /** Number of rows (non-missing + missing). */
  readonly dataCount: number;
  readonly missingCount: number;
  /** Relevance to the target (mutual information, damped for high cardinality); null without target, for text/date, or for the target itself. */
  readonly relevance: number | null;
  /**
   * Held-out information about the target (ingest/predictive-power.ts), for every column but the
   * target, with what it was measured on; null without a target or for the target itself.
   */
  readonly predictivePower: { readonly score: number; readonly basis: 'values' | 'bins' | 'words' | 'date_parts' } | null;
  /** Up to 20 most frequent values with counts (string columns; also small-cardinality numbers). */
  readonly topValues: readonly { readonly value: string; readonly count: number }[];
  /** Numeric columns only. */
  readonly numeric: NumericSummary | null;
  readonly rangePick: RangePick | null;
  /** Why the column is listed as useless ('constant', 'all_missing', 'id_like'), or null. */
  readonly uselessReason: 'constant' | 'all_missing' | 'id_like' | null;
}

export interface DatasetProfile {
  readonly columnNames: readonly string[];
  /** First 10 data rows as raw CSV lines (as in the file, decoded to UTF-8). */
  readonly previewLines: readonly string[];
  readonly columns: readonly ColumnProfile[];
  readonly rowCount: number;
  /** Encoding the upload was read as. */
  readonly encoding: 'utf-8' | 'utf-8-bom' | 'shift_jis';
  readonly delimiter: ',' | '\t';
}
