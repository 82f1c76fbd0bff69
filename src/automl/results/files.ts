/**
 * The CSV result files of a training (UTF-8 with BOM, for Excel): metrics.csv,
 * confusion_matrix.csv and evaluation_raw_data.csv.
 */
import { toCsvLine } from '../../formats/csv.js';
import type { Evaluation } from '../evaluate.js';
import { formatReason, roundSig } from '../explain.js';
import type { Reason, TaskType } from '../types.js';

const BOM = '\uFEFF';

function doc(lines: string[]): string {
  return BOM + lines.join('\n') + '\n';
}

export function metricsCsv(ev: Evaluation, classes: readonly string[]): string {
  const lines = [toCsvLine(['metric', 'value'])];
  for (const [k, v] of Object.entries(ev.metrics)) lines.push(toCsvLine([k, roundSig(v, 8)]));
  lines.push(toCsvLine(['model_level', ev.stars]));
  lines.push(toCsvLine(['evaluation_rows', ev.nRows]));
  if (ev.task === 'multi_classification' && ev.perClass !== null) {
    ev.perClass.forEach((c, k) => {
      lines.push(toCsvLine([`precision[${classes[k]}]`, roundSig(c.precision, 8)]));
      lines.push(toCsvLine([`recall[${classes[k]}]`, roundSig(c.recall, 8)]));
      lines.push(toCsvLine([`f_score[${classes[k]}]`, roundSig(c.fScore, 8)]));
    });
  }
  return doc(lines);
}

export function confusionMatrixCsv(ev: Evaluation, classes: readonly string[]): string {
  const lines = [toCsvLine(['actual \\ predicted', ...classes])];
  ev.confusion!.forEach((row, a) => lines.push(toCsvLine([classes[a]!, ...row])));
  return doc(lines);
}

export interface RawRow {
  /** 1-based data row number in the source file (training or evaluation file). */
  readonly rowNumber: number;
  readonly actual: string;
  readonly predicted: string;
  /** Classification: probability per class. */
  readonly probabilities: readonly number[] | null;
  /** Internal validation fold (training-file evaluation), or null. */
  readonly fold: number | null;
  readonly reasons: { readonly up: readonly Reason[]; readonly down: readonly Reason[] } | null;
}

export function evaluationRawCsv(task: TaskType, classes: readonly string[], rows: readonly RawRow[], withFold: boolean): string {
  const header = ['row', 'actual', 'predicted'];
  if (task !== 'regression') for (const c of classes) header.push(`probability_${c}`);
  if (withFold) header.push('fold');
  for (let k = 1; k <= 3; k++) header.push(`reason_up_${k}`);
  for (let k = 1; k <= 3; k++) header.push(`reason_down_${k}`);
  const lines = [toCsvLine(header)];
  for (const r of rows) {
    const f: (string | number)[] = [r.rowNumber, r.actual, r.predicted];
    if (r.probabilities !== null) for (const p of r.probabilities) f.push(roundSig(p, 6));
    if (withFold) f.push(r.fold ?? '');
    for (const list of [r.reasons?.up, r.reasons?.down]) {
      for (let k = 0; k < 3; k++) f.push(list?.[k] !== undefined ? formatReason(list[k]!) : '');
    }
    lines.push(toCsvLine(f));
  }
  return doc(lines);
}
