/**
 * AutoML end to end: typed training table + settings → preprocessing plan → validation plan →
 * seeded learner search → ensemble → refit → evaluation, explanations and result files.
 *
 * Pure computation: no I/O, no clock (the time budget reads hooks.elapsedSeconds()), every random
 * choice from seeded generators. Same data, settings and seed → the same model bytes.
 */
import { toRowMajor } from '../engine/data/columns.js';
import type { FeatureTable } from '../engine/data/columns.js';
import type { ColumnType, TypedTable } from '../ingest/table.js';
import { bestFThreshold, evaluate } from './evaluate.js';
import type { Evaluation } from './evaluate.js';
import { explainContext, probabilityScale, rowItems, topReasons } from './explain.js';
import { describeMember, ensembleRaw, ensembleShap } from './members.js';
import type { Member } from './members.js';
import type { Item } from './explain.js';
import {
  AUTO_MODEL_VERSION,
  asData,
  deserializeAutoModel as deserialize,
  predictWithModel,
  rawToProbabilities,
  serializeAutoModel as serialize,
} from './model.js';
import type { AutoModelData } from './model.js';
import { applyPlan, fitPlan, omitDateParts, TREND_PARTS } from './plan.js';
import type { PreprocessPlan, TextDocs } from './plan.js';
import { dropReasonLabel, renderReport } from './report.js';
import type { Bilingual } from './report.js';
import { confusionMatrixCsv, evaluationRawCsv, metricsCsv } from './result-files.js';
import type { RawRow } from './result-files.js';
import { AutoMlCancelled, nOutputsOf, probeLoss, refitSelected, runSearch, takeFeatureRows } from './search.js';
import type { SearchInput } from './search.js';
import { analysisSummaryCsv, columnImportance, summarizeColumns } from './summary.js';
import type { ColumnSummary } from './summary.js';
import { AutoMlInputError, columnLabels, readEvalTarget, readTarget, takeRows } from './target.js';
import type { TargetInfo } from './target.js';
import type { AutoModel, AutoPredictions, AutoTrainHooks, AutoTrainInput, AutoTrainOutput, ResultFile, TaskType } from './types.js';
import { makeValidationPlan, oofFolds, sortedDirection } from './validation.js';
import type { ValidationPlan } from './validation.js';

export { AutoMlCancelled } from './search.js';
export { AutoMlInputError } from './target.js';

export const AUTOML_VERSION = '0.1.0';
/** Fewest training rows with a target (spec §8: at least 11 rows). */
export const MIN_TRAIN_ROWS = 11;
/** Default search budget when the settings give none (seconds; a safety stop, see search.ts). */
export const DEFAULT_TIME_BUDGET_SECONDS = 60;
/**
 * Evaluation rows explained (TreeSHAP) for reasons, importance and the analysis summary: an evenly
 * spaced sample; 500 rows give stable mean |contribution| rankings at half the cost of 1,000.
 */
export const MAX_EXPLAINED_ROWS = 500;
/** Folds of the out-of-fold encoders (target statistics, text models). */
const ENCODER_FOLDS = 5;
/** Multi-class analysis summaries are written for at most this many classes. */
const MAX_SUMMARY_CLASSES = 20;

function checkSettings(input: AutoTrainInput): void {
  const s = input.settings;
  if (!Number.isInteger(s.cv) || s.cv < -1) throw new AutoMlInputError(`cv must be an integer ≥ -1, got ${s.cv}`);
  if (!Number.isFinite(s.seed)) throw new AutoMlInputError(`seed must be a finite number, got ${s.seed}`);
  if (s.imbalance && s.task === 'regression') throw new AutoMlInputError('imbalance correction (im) applies to classification only');
}

/** The first date column (in file order) the rows are sorted by, if any. */
function timeOrder(table: TypedTable, target: string): { column: string; direction: 1 | -1 } | undefined {
  for (const c of table.columns) {
    if (c.type !== 'date' || c.name === target) continue;
    const direction = sortedDirection(c.values);
    if (direction !== 0) return { column: c.name, direction };
  }
  return undefined;
}

function classWeights(target: TargetInfo): Float64Array {
  const K = target.classes.length;
  const counts = new Float64Array(K);
  for (const c of target.y) counts[c]!++;
  const n = target.y.length;
  return Float64Array.from(target.y, (c) => n / (K * counts[c]!));
}

function engineKind(task: TaskType): 'binary' | 'multiclass' | 'regression' {
  return task === 'binary_classification' ? 'binary' : task === 'multi_classification' ? 'multiclass' : 'regression';
}

/**
 * Trains the best model for the settings and produces the result files.
 *
 * @throws AutoMlInputError for settings or data the model cannot be trained on
 * @throws AutoMlCancelled when hooks.isCancelled() turns true
 * @example
 * const { model, resultFiles, metrics } = trainAutoModel({ train, settings }, { onProgress: (f, p) => log(f, p) });
 */
export function trainAutoModel(input: AutoTrainInput, hooks: AutoTrainHooks): AutoTrainOutput {
  checkSettings(input);
  const { settings } = input;
  const task = settings.task;
  const seed = Math.trunc(settings.seed) | 0;
  const progress = (f: number, phase: string): void => hooks.onProgress?.(Math.min(1, Math.max(0, f)), phase);
  const cancelled = (): boolean => hooks.isCancelled?.() === true;
  const elapsed = (): number => hooks.elapsedSeconds?.() ?? 0;
  const parallel = hooks.parallel !== undefined ? { parallel: hooks.parallel } : {};
  const budget = settings.timeBudgetSeconds > 0 ? settings.timeBudgetSeconds : DEFAULT_TIME_BUDGET_SECONDS;
  const timings: Record<string, number> = {};
  const mark = (phase: string, start: number): void => {
    timings[phase] = Number((elapsed() - start).toFixed(3));
  };

  progress(0, 'preprocess');
  let t0 = elapsed();
  const target = readTarget(input.train, settings.target, task, settings.positiveLabel);
  const n = target.rows.length;
  if (n < MIN_TRAIN_ROWS) throw new AutoMlInputError(`at least ${MIN_TRAIN_ROWS} rows with a target are needed, got ${n}`);
  const table = n === input.train.nRows ? input.train : takeRows(input.train, target.rows);
  const classIdx = task === 'regression' ? null : Int32Array.from(target.y);
  const validation = makeValidationPlan(n, settings.cv, classIdx, seed, timeOrder(table, settings.target));
  const encoderFolds = Math.max(2, Math.min(ENCODER_FOLDS, Math.floor(n / 5)));
  let fitted = fitPlan(table, target, { folds: { fold: oofFolds(n, encoderFolds, classIdx, seed), n: encoderFolds }, seed });
  if (fitted.plan.features.length === 0) throw new AutoMlInputError('no usable column is left to learn from (every column was dropped)');
  const weight = settings.imbalance && task !== 'regression' ? classWeights(target) : undefined;
  const searchInputFor = (f: typeof fitted): SearchInput => ({
    hasText: f.plan.features.some((x) => x.part.startsWith('text')),
    features: f.train,
    y: target.y,
    ...(weight ? { weight } : {}),
    task,
    nClasses: target.classes.length,
    validation,
    seed,
    timeBudgetSeconds: budget,
  });
  // Rows sorted by a date column: does the model predict the latest rows better without that
  // column's trend parts (year, elapsed), which put every future row beyond the training range?
  let trendParts: { column: string; kept: boolean; lossWith: number; lossWithout: number } | null = null;
  if (validation.timeOrderedBy !== undefined) {
    const reduced = omitDateParts(fitted, validation.timeOrderedBy, TREND_PARTS);
    if (reduced.plan.features.length > 0 && reduced.plan.features.length < fitted.plan.features.length) {
      const lossWith = probeLoss(searchInputFor(fitted), { isCancelled: cancelled, ...parallel });
      const lossWithout = probeLoss(searchInputFor(reduced), { isCancelled: cancelled, ...parallel });
      const kept = !(lossWithout < lossWith);
      if (!kept) fitted = reduced;
      trendParts = { column: validation.timeOrderedBy, kept, lossWith, lossWithout };
    }
  }
  const plan = fitted.plan;
  mark('preprocess', t0);
  if (cancelled()) throw new AutoMlCancelled();

  progress(0.1, 'search');
  t0 = elapsed();
  const searchInput = searchInputFor(fitted);
  const search = runSearch(searchInput, {
    progress: (f) => progress(0.1 + 0.6 * f, 'search'),
    elapsedSeconds: elapsed,
    isCancelled: cancelled,
    ...parallel,
  });
  mark('search', t0);

  progress(0.7, 'refit');
  t0 = elapsed();
  const refit = refitSelected(searchInput, search, { isCancelled: cancelled, ...parallel });
  mark('refit', t0);

  progress(0.8, 'evaluate');
  t0 = elapsed();
  const nClasses = target.classes.length;
  const nOut = nOutputsOf(task, nClasses);
  const kind = engineKind(task);
  // Evaluation rows: the uploaded evaluation file (final model), or the internal validation rows
  // (the models that did not see them).
  let evalY: Float64Array;
  let evalRaw: Float64Array;
  let evalSourceRows: Int32Array;
  let evalTable: TypedTable;
  let evalDocs: TextDocs;
  let shapFor: (explained: Int32Array) => Float64Array;
  let evalFold: Int32Array | null = null;
  if (input.eval !== undefined) {
    const yAll = readEvalTarget(input.eval, target);
    const keep: number[] = [];
    for (let i = 0; i < yAll.length; i++) if (!Number.isNaN(yAll[i]!)) keep.push(i);
    if (keep.length === 0) throw new AutoMlInputError(`the evaluation file has no row with a known target '${target.name}'`);
    evalSourceRows = Int32Array.from(keep);
    evalTable = takeRows(input.eval, evalSourceRows);
    evalY = Float64Array.from(evalSourceRows, (i) => yAll[i]!);
    const applied = applyPlan(plan, evalTable);
    evalDocs = applied.docs;
    const rows = toRowMajor(applied.features);
    evalRaw = ensembleRaw(refit.models, refit.weights, rows, evalTable.nRows);
    shapFor = (explained) => {
      const F = plan.features.length;
      const sub = new Float64Array(explained.length * F);
      explained.forEach((r, j) => sub.set(rows.subarray(r * F, (r + 1) * F), j * F));
      return ensembleShap(refit.models, refit.weights, sub, explained.length);
    };
  } else {
    const vr = search.validatedRows;
    evalSourceRows = Int32Array.from(vr, (r) => target.rows[r]!);
    evalTable = takeRows(table, vr);
    evalY = Float64Array.from(vr, (r) => target.y[r]!);
    evalRaw = search.blendedRaw;
    evalDocs = applyPlan(plan, evalTable).docs;
    evalFold = Int32Array.from(vr, (r) => validation.foldOf[r]!);
    shapFor = (explained) => foldShap(search.candidates, search.weights, validation, fitted.train, vr, explained, plan.features.length, nOut);
  }
  const nEval = evalY.length;
  const probs = rawToProbabilities(task, evalRaw, nEval, nClasses);
  let threshold: number | undefined;
  if (task === 'binary_classification') {
    threshold = bestFThreshold(evalY, Float64Array.from({ length: nEval }, (_, i) => probs![2 * i + 1]!));
  }
  const evaluation = evaluate(task, nClasses, evalY, probs, task === 'regression' ? evalRaw : null, threshold ?? 0.5);
  mark('evaluate', t0);

  progress(0.85, 'explain');
  t0 = elapsed();
  const step = Math.max(1, Math.ceil(nEval / MAX_EXPLAINED_ROWS));
  const explained = Int32Array.from({ length: Math.ceil(nEval / step) }, (_, j) => j * step);
  const shap = shapFor(explained);
  const F = plan.features.length;
  const ctx = explainContext(plan, evalTable, evalDocs);
  const predictedClass = (i: number): number => {
    if (task === 'binary_classification') return probs![2 * i + 1]! >= threshold! ? 1 : 0;
    let b = 0;
    for (let k = 1; k < nClasses; k++) if (probs![i * nClasses + k]! > probs![i * nClasses + b]!) b = k;
    return b;
  };
  /** Items of explained row j for output k, scaled to user units. */
  const scaleFor = (j: number, output: number): number => {
    const i = explained[j]!;
    const base = new Float64Array(nOut);
    for (let o = 0; o < nOut; o++) base[o] = shap[(j * nOut + o) * (F + 1) + F]!;
    return probabilityScale(kind, evalRaw.subarray(i * nOut, (i + 1) * nOut), base, output);
  };
  const itemsFor = (j: number, output: number): Item[] => {
    const scale = scaleFor(j, output);
    return rowItems(ctx, shap, (j * nOut + output) * (F + 1), explained[j]!).map((it) => ({ ...it, contribution: it.contribution * scale }));
  };
  // Finer importance for model.json: per date part and per word (main output).
  const partSum = new Float64Array(F);
  const wordSum = new Map<string, number>();
  const reasonsOf = new Map<number, ReturnType<typeof topReasons>>();
  const mainItems: Item[][] = [];
  for (let j = 0; j < explained.length; j++) {
    const output = task === 'multi_classification' ? predictedClass(explained[j]!) : 0;
    const items = itemsFor(j, output);
    reasonsOf.set(explained[j]!, topReasons(items, 1, 3));
    mainItems.push(items);
    const scale = scaleFor(j, output);
    for (let f = 0; f < F; f++) partSum[f]! += Math.abs(shap[(j * nOut + output) * (F + 1) + f]! * scale);
    for (const it of items) if (it.isWord) wordSum.set(`${it.column}\u0000${it.value}`, (wordSum.get(`${it.column}\u0000${it.value}`) ?? 0) + Math.abs(it.contribution));
  }
  const nExplained = Math.max(1, explained.length);
  const importanceDetail = {
    dateParts: plan.features
      .map((f, k) => ({ column: f.column, part: f.part, value: Number((partSum[k]! / nExplained).toPrecision(6)) }))
      .filter((d) => plan.columns.some((c) => c.kind === 'date' && c.name === d.column)),
    words: [...wordSum.entries()]
      .map(([key, v]) => ({ column: key.split('\u0000')[0]!, word: key.split('\u0000')[1]!, value: Number((v / nExplained).toPrecision(6)) }))
      .sort((a, b) => b.value - a.value || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
      .slice(0, 50),
  };
  const columnNames = plan.columns.map((c) => c.name);
  const explainedRows = explained;
  const sourceCols = new Map(evalTable.columns.map((c) => [c.name, c]));
  const importance = columnImportance(columnNames, task === 'multi_classification' ? perClassItemsUnion(explained, nClasses, itemsFor) : mainItems);
  const summaryBlocks: { classLabel: string | null; summaries: ColumnSummary[] }[] = [];
  if (task === 'multi_classification') {
    for (let k = 0; k < Math.min(nClasses, MAX_SUMMARY_CLASSES); k++) {
      const rowsK = Array.from(explained, (_, j) => itemsFor(j, k));
      summaryBlocks.push({ classLabel: target.classes[k]!, summaries: summarizeColumns(columnImportance(columnNames, rowsK), rowsK, explainedRows, sourceCols) });
    }
  } else {
    summaryBlocks.push({ classLabel: null, summaries: summarizeColumns(importance, mainItems, explainedRows, sourceCols) });
  }
  const directions: [string, string] =
    task === 'binary_classification' ? [target.classes[1]!, target.classes[0]!] : ['increase', 'decrease'];
  mark('explain', t0);

  progress(0.92, 'report');
  t0 = elapsed();
  const model: AutoModelData = {
    info: {
      task,
      target: target.name,
      classes: target.classes.slice(),
      inputColumns: plan.columns.map((c) => inputColumn(input.train, c.name)),
      ...(threshold !== undefined ? { threshold } : {}),
    },
    plan,
    members: refit.models,
    weights: refit.weights,
  };
  const actualText = columnLabels(evalTable.columns.find((c) => c.name === target.name), evalTable.nRows);
  const rawRows: RawRow[] = [];
  for (let i = 0; i < nEval; i++) {
    const pc = task === 'regression' ? -1 : predictedClass(i);
    rawRows.push({
      rowNumber: evalSourceRows[i]! + 1,
      actual: actualText[i]!,
      predicted: task === 'regression' ? String(Number(evalRaw[i]!.toPrecision(8))) : target.classes[pc]!,
      probabilities: probs === null ? null : Array.from(probs.subarray(i * nClasses, (i + 1) * nClasses)),
      fold: evalFold === null ? null : evalFold[i]!,
      reasons: reasonsOf.get(i) ?? null,
    });
  }
  const warnings = buildWarnings(task, evaluation, plan, target, search.stoppedByTime, nEval);
  const evaluationSource: Bilingual =
    input.eval !== undefined
      ? { ja: '評価データ: アップロードされた評価ファイル', en: 'Evaluated on: the uploaded evaluation file' }
      : validation.kind === 'holdout' && validation.timeOrderedBy !== undefined
        ? { ja: `評価データ: 学習データの最新 10% (「${validation.timeOrderedBy}」順)`, en: `Evaluated on: the latest 10% of the training data (by "${validation.timeOrderedBy}")` }
        : validation.kind === 'holdout'
        ? { ja: '評価データ: 学習データの 10% (ホールドアウト)', en: 'Evaluated on: a 10% hold-out of the training data' }
        : { ja: `評価データ: ${validation.nFolds} 分割交差検証`, en: `Evaluated on: ${validation.nFolds}-fold cross-validation` };
  const classCounts = target.classes.map((_, k) => target.y.reduce((s, c) => s + (c === k ? 1 : 0), 0));
  const report = renderReport({
    task,
    target: target.name,
    classes: target.classes,
    evaluation,
    importance,
    dropped: plan.dropped,
    warnings,
    evaluationSource,
    nTrainRows: n,
    classCounts,
  });
  mark('report', t0);
  const manifest = buildManifest(input, plan, validation, evaluation, search, refit, importance, threshold, timings, n);
  manifest.importanceDetail = importanceDetail;
  if (trendParts !== null) (manifest.preprocessing as Record<string, unknown>).trendParts = { ...trendParts, parts: TREND_PARTS };
  const resultFiles: ResultFile[] = [
    { name: 'metrics.csv', content: metricsCsv(evaluation, target.classes) },
    { name: 'analysis_summary.csv', content: analysisSummaryCsv(summaryBlocks, directions) },
    { name: 'evaluation_raw_data.csv', content: evaluationRawCsv(task, target.classes, rawRows, evalFold !== null) },
    ...(evaluation.confusion !== null ? [{ name: 'confusion_matrix.csv', content: confusionMatrixCsv(evaluation, target.classes) }] : []),
    { name: 'report.html', content: report },
    { name: 'model.json', content: JSON.stringify(manifest, null, 2) + '\n' },
  ];
  progress(1, 'report');
  return { model, resultFiles, metrics: { ...evaluation.metrics, model_level: evaluation.stars } };
}

function perClassItemsUnion(explained: Int32Array, nClasses: number, itemsFor: (j: number, k: number) => Item[]): Item[][] {
  // Multi-class importance: mean over classes of each column's |contribution|, as one item list per row.
  return Array.from(explained, (_, j) => {
    const out: Item[] = [];
    for (let k = 0; k < nClasses; k++) {
      const perCol = new Map<string, number>();
      for (const it of itemsFor(j, k)) perCol.set(it.column, (perCol.get(it.column) ?? 0) + it.contribution);
      for (const [column, v] of perCol) out.push({ column, value: '', isWord: false, contribution: Math.abs(v) / nClasses });
    }
    return out;
  });
}

/**
 * SHAP of the internal evaluation rows from the models that predicted them: each selected
 * candidate's fold model, weighted like the ensemble.
 */
function foldShap(
  candidates: ReturnType<typeof runSearch>['candidates'],
  weights: readonly number[],
  validation: ValidationPlan,
  features: FeatureTable,
  validatedRows: Int32Array,
  explained: Int32Array,
  F: number,
  nOut: number,
): Float64Array {
  const stride = nOut * (F + 1);
  const out = new Float64Array(explained.length * stride);
  for (let f = 0; f < validation.nFolds; f++) {
    const js: number[] = [];
    explained.forEach((r, j) => {
      if (validation.foldOf[validatedRows[r]!] === f) js.push(j);
    });
    if (js.length === 0) continue;
    const rows = toRowMajor(takeFeatureRows(features, Int32Array.from(js, (j) => validatedRows[explained[j]!]!)));
    const models: Member[] = [];
    const w: number[] = [];
    candidates.forEach((c, ci) => {
      if (weights[ci]! > 0) {
        models.push(c.foldModels[f]!);
        w.push(weights[ci]!);
      }
    });
    const s = ensembleShap(models, w, rows, js.length);
    js.forEach((j, q) => out.set(s.subarray(q * stride, (q + 1) * stride), j * stride));
  }
  return out;
}

function inputColumn(table: TypedTable, name: string): { name: string; type: ColumnType; dateFormat?: string } {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) return { name, type: 'ignore' };
  return col.type === 'date' ? { name, type: 'date', dateFormat: col.format } : { name, type: col.type };
}

const LEAK_SUSPECT = 0.99;

function buildWarnings(
  task: TaskType,
  ev: Evaluation,
  plan: PreprocessPlan,
  target: TargetInfo,
  stoppedByTime: boolean,
  nEval: number,
): Bilingual[] {
  const w: Bilingual[] = [];
  const headline = task === 'binary_classification' ? ev.metrics.auc! : task === 'multi_classification' ? ev.metrics.accuracy! : ev.metrics.r2!;
  if (headline >= LEAK_SUSPECT) {
    w.push({
      ja: '精度が高すぎます。予測したい答え（またはその直後にしか分からない情報）が説明変数に含まれていないか確認してください（リークの疑い）。',
      en: 'Accuracy is implausibly high. Check that no column contains the answer, or information only known after it (suspected leakage).',
    });
  }
  if (task !== 'regression') {
    target.classes.forEach((c, k) => {
      let count = 0;
      for (const y of target.y) if (y === k) count++;
      if (count < 10) {
        w.push({ ja: `クラス「${c}」は ${count} 行しかありません。このクラスの予測は信頼できません。`, en: `Class "${c}" has only ${count} rows; predictions for it are unreliable.` });
      }
    });
  }
  for (const d of plan.dropped) {
    if (d.reason === 'ignored') continue;
    const label = dropReasonLabel(d.reason);
    w.push({ ja: `列「${d.name}」は使いませんでした: ${label.ja}`, en: `Column "${d.name}" was left out: ${label.en} (${d.detail})` });
  }
  if (stoppedByTime) w.push({ ja: '時間の上限に達したため、探索を途中で終えました。', en: 'The search stopped early at the time limit.' });
  if (nEval < 50) w.push({ ja: `評価に使えた行は ${nEval} 行だけです。指標のばらつきが大きくなります。`, en: `Only ${nEval} rows were available for evaluation; metrics are noisy.` });
  return w;
}

function buildManifest(
  input: AutoTrainInput,
  plan: PreprocessPlan,
  validation: ValidationPlan,
  evaluation: Evaluation,
  search: ReturnType<typeof runSearch>,
  refit: { models: Member[]; weights: number[] },
  importance: ReturnType<typeof columnImportance>,
  threshold: number | undefined,
  timings: Record<string, number>,
  nTrain: number,
): Record<string, unknown> {
  const s = input.settings;
  return {
    format: 'yosoku-result-manifest',
    version: 1,
    versions: { automl: AUTOML_VERSION, modelFormat: AUTO_MODEL_VERSION },
    config: { target: s.target, task: s.task, positiveLabel: s.positiveLabel ?? null, cv: s.cv, imbalance: s.imbalance, timeBudgetSeconds: s.timeBudgetSeconds, seed: s.seed },
    data: { trainRows: nTrain, evaluationFile: input.eval !== undefined, evaluationRows: evaluation.nRows },
    columns: input.train.columns.map((c) => ({
      name: c.name,
      type: c.type,
      used: plan.columns.some((p) => p.name === c.name),
      role: c.name === s.target ? 'target' : 'feature',
    })),
    preprocessing: {
      columns: plan.columns.map((c) => ({
        name: c.name,
        treatment: c.kind,
        ...(c.kind === 'category' ? { levels: c.levels.length, targetStatistics: c.stats !== undefined, textScore: c.text !== undefined } : {}),
        ...(c.kind === 'text' ? { vocabulary: c.text.tokens.length } : {}),
        ...(c.kind === 'date' ? { parts: plan.features.filter((f) => f.column === c.name).map((f) => f.part) } : {}),
      })),
      dropped: plan.dropped,
      features: plan.features.length,
    },
    validation: {
      kind: validation.kind,
      folds: validation.nFolds,
      requestedCv: validation.requestedCv,
      timeOrderedBy: validation.timeOrderedBy ?? null,
      reportedOn: input.eval !== undefined ? 'evaluation_file' : 'internal_validation',
    },
    search: {
      candidates: search.candidates.map((c, j) => ({ learner: c.candidate.kind, ...(c.candidate.kind === 'gbdt' ? { params: c.candidate.params } : { lambda: c.candidate.lambda }), bestRounds: c.bestRounds, loss: Number(c.score.toPrecision(8)), weight: search.weights[j] })),
      stoppedByTime: search.stoppedByTime,
    },
    ensemble: refit.models.map((m, j) => ({ weight: refit.weights[j], ...describeMember(m) })),
    threshold: threshold ?? null,
    metrics: evaluation.metrics,
    modelLevel: evaluation.stars,
    importance: importance.map((i) => ({ column: i.column, value: Number(i.value.toPrecision(6)) })),
    seed: s.seed,
    timingsSeconds: timings,
  };
}

/**
 * Predicts with a trained model (see model.ts predictWithModel for the column rules).
 * @example predictAutoModel(model, table, { reasons: true }).labels
 */
export function predictAutoModel(model: AutoModel, table: TypedTable, options: { reasons: boolean; topK?: number }): AutoPredictions {
  return predictWithModel(model, table, options);
}

/** Versioned, deterministic text form of a model. */
export function serializeAutoModel(model: AutoModel): string {
  return serialize(asData(model));
}

/** @throws TypeError for text that is not a serialized AutoML model of a supported version */
export function deserializeAutoModel(text: string): AutoModel {
  return deserialize(text);
}

export { autoModelResidentBytes } from './model.js';
