/** Labels of API values in the UI's language: prediction types, column types, metric names. */
import { hasText, t } from '../lib/i18n.js';

const TASK_KEYS: Record<string, string> = {
  binary_classification: 'type.binary',
  multi_classification: 'type.multi',
  regression: 'type.regression',
  time_series: 'type.timeSeries',
};

export function taskLabel(task: string): string {
  const key = TASK_KEYS[task];
  return key === undefined ? task : t(key);
}

export function dtypeLabel(code: number): string {
  return t(`dtype.${code}`);
}

/** `auc` → AUC; `precision[Adelie]` → 適合率 [Adelie]; unknown names as written. */
export function metricLabel(name: string): string {
  const m = /^([a-z_0-9]+)(\[(.*)\])?$/.exec(name);
  if (m === null || !hasText(`metric.${m[1]}`)) return name;
  return m[3] === undefined ? t(`metric.${m[1]}`) : `${t(`metric.${m[1]}`)} [${m[3]}]`;
}

/** A model's type as the user chose it: time-series models are regressions with `tsm` on. */
export function modelTaskLabel(m: { readonly target_type: string; readonly config: Readonly<Record<string, unknown>> }): string {
  const tsm = m.config['tsm'];
  return taskLabel(tsm === true || tsm === 'true' ? 'time_series' : m.target_type);
}
