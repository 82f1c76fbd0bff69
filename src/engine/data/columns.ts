/**
 * The engine's input table: typed columns, one per model feature.
 *
 * Numeric columns hold raw values (NaN = missing). Categorical columns hold integer codes
 * 0..nCategories-1 (MISSING_CATEGORY = -1 for missing); mapping strings to codes is the
 * preprocessing plan's job (automl/), not the engine's.
 */
import type { CategoryCodes, FeatureValues } from '../dtypes.js';

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: FeatureValues;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: CategoryCodes;
  readonly nCategories: number;
}

export type FeatureColumn = NumericColumn | CategoricalColumn;

export interface FeatureTable {
  readonly nRows: number;
  readonly columns: readonly FeatureColumn[];
}

/** What the model remembers about each feature (no data). */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Categorical only: number of codes seen in training. */
  readonly nCategories?: number;
}

export function featureSpecs(table: FeatureTable): FeatureSpec[] {
  return table.columns.map((c) =>
    c.kind === 'numeric' ? { name: c.name, kind: 'numeric' } : { name: c.name, kind: 'categorical', nCategories: c.nCategories },
  );
}

/**
 * Row-major Float64 copy of a table (categorical codes as numbers, missing as NaN): the layout that
 * prediction and TreeSHAP read. out has length nRows * nColumns.
 */
export function toRowMajor(table: FeatureTable, out = new Float64Array(table.nRows * table.columns.length)): Float64Array {
  const nCols = table.columns.length;
  const nRows = table.nRows;
  for (let f = 0; f < nCols; f++) {
    const col = table.columns[f]!;
    if (col.kind === 'numeric') {
      const v = col.values;
      for (let i = 0; i < nRows; i++) out[i * nCols + f] = v[i]!;
    } else {
      const c = col.codes;
      for (let i = 0; i < nRows; i++) {
        const code = c[i]!;
        out[i * nCols + f] = code < 0 ? NaN : code;
      }
    }
  }
  return out;
}
