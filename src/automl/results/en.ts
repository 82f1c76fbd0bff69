/** English strings of the result files. */
import type { Catalogue } from './catalogue-types.js';

export const en: Catalogue = {
  metric: {
    accuracy: 'Accuracy',
    precision: 'Precision',
    recall: 'Recall',
    f_score: 'F-score',
    auc: 'AUC',
    logloss: 'Log loss',
    ece: 'Expected calibration error (ECE)',
    threshold: 'Decision threshold',
    average_precision: 'Average precision',
    average_recall: 'Average recall',
    average_f_score: 'Average F-score',
    mae: 'Mean absolute error',
    median_absolute_error: 'Median absolute error',
    median_absolute_error_ratio: 'Median absolute error ratio',
    rmse: 'Root mean squared error (RMSE)',
    r2: 'Coefficient of determination (R²)',
  },
  dropReason: {
    ignored: 'set to ignore',
    constant: 'the same value in every row',
    all_missing: 'every value is missing',
    id_like: 'ID-like (a different value in every row)',
    target_leak: 'suspected target leak (it contains the answer)',
    no_words: 'no word occurs in two or more rows',
  },
  task: {
    binary_classification: 'Binary classification',
    multi_classification: 'Multi-class classification',
    regression: 'Regression',
  },
  report: {
    title: 'Model evaluation report',
    trainingRows: (n) => `${n} training rows`,
    rows: (n) => `${n} rows`,
    modelLevel: 'Model level',
    warnings: 'Warnings',
    metrics: 'Metrics',
    charts: 'Charts',
    columnsLeftOut: 'Columns left out',
    noColumnLeftOut: 'No column was left out.',
    column: 'Column',
    reason: 'Reason',
    footer:
      'Metrics are measured on rows the model did not learn from. Contributions split each prediction among the columns (change in probability for classification, in the predicted value for regression).',
  },
  chart: {
    confusion: { title: 'Confusion matrix', note: 'Rows are the actual classes, columns the predicted ones; the diagonal is correct.' },
    roc: { title: 'ROC curve', note: 'The closer to the top-left corner, the better; the area under the curve is the AUC.' },
    distribution: { title: 'Predicted probability by actual class', note: (positive) => `Rows by predicted probability of "${positive}".` },
    calibration: {
      title: 'Actual share per probability band',
      note: 'For each 10% probability band, the share that was actually positive; near the diagonal means trustworthy probabilities.',
    },
    topN: { title: 'Hit rate among the top N%', note: 'Share of actual positives among the N% of rows with the highest probability.' },
    perClass: { title: 'F-score per class' },
    scatter: { title: 'Predicted vs actual', note: 'The closer the points are to the diagonal, the more accurate.' },
    errors: { title: 'Error histogram', note: 'Distribution of predicted − actual; the tighter around 0, the better.' },
    importance: { title: 'Contribution (importance) per column', note: "Average size of each column's effect on the prediction." },
  },
  warning: {
    suspectedLeak: (metric, headline, suspects) =>
      `Accuracy is implausibly high (${metric} ${headline}) and ${suspects.map((s) => `column "${s.column}" alone reaches ${metric} ${s.score}`).join('; ')}, by its values on held-out rows. Check that ${suspects.length > 1 ? 'they are' : 'it is'} known before the outcome and not a copy or a consequence of the answer (suspected leakage).`,
    rareClass: (label, rows) => `Class "${label}" has only ${rows} rows; predictions for it are unreliable.`,
    columnLeftOut: (column, reason, detail) => `Column "${column}" was left out: ${reason} (${detail})`,
    stoppedByTime:
      'Stopped by the time limit; a rerun may differ. (The search is sized to finish well within the budget; this machine was slower or busier than that.)',
    fewEvaluationRows: (rows) => `Only ${rows} rows were available for evaluation; metrics are noisy.`,
  },
  source: {
    evaluationFile: 'Evaluated on: the uploaded evaluation file',
    latestRows: (column) => `Evaluated on: the latest 10% of the training data (by "${column}")`,
    holdout: 'Evaluated on: a 10% hold-out of the training data',
    kfold: (folds) => `Evaluated on: ${folds}-fold cross-validation`,
  },
};
