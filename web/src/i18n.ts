/**
 * Japanese / English labels. Elements carry `data-i18n="key"` (text) or `data-i18n-placeholder`;
 * switching the language rewrites them all, including ones rendered later with `label()`.
 */
export type Lang = 'ja' | 'en';

const DICT: Record<string, readonly [ja: string, en: string]> = {
  tagline: ['CSV から予測モデルを作り、予測 API として公開します。', 'Train a model from a CSV and serve it as a prediction API.'],
  'keys.title': ['キー', 'Keys'],
  'keys.hint': [
    'シークレットキーを貼り付けてください（npm start の初回表示、または DATA_DIR/secret-key.txt）。キーはこのタブの sessionStorage にだけ保存されます。',
    'Paste your secret key (printed by the first npm start, or in DATA_DIR/secret-key.txt). Keys are kept in this tab\'s sessionStorage only.',
  ],
  'keys.secret': ['シークレットキー', 'Secret key'],
  'keys.submit': ['API キーを取得', 'Get API key'],
  'keys.forget': ['キーを消去', 'Forget keys'],
  'keys.ready': ['学習用 API キーを取得しました。有効期限:', 'Train API key ready. Expires:'],
  'keys.none': ['まだキーがありません。', 'No key yet.'],
  'upload.title': ['データのアップロード', 'Upload data'],
  'upload.learn': ['学習データ（CSV / TSV、必須）', 'Training data (CSV / TSV, required)'],
  'upload.eval': ['評価データ（任意）', 'Evaluation data (optional)'],
  'upload.columnInfo': ['column_info.csv（任意）', 'column_info.csv (optional)'],
  'upload.submit': ['アップロード', 'Upload'],
  'upload.done': ['完了', 'done'],
  'upload.failed': ['失敗', 'failed'],
  'columns.title': ['列の分析', 'Column analysis'],
  'columns.sample': ['データの先頭', 'First rows'],
  'columns.rows': ['行数', 'Rows'],
  'columns.process': ['プロセス ID', 'Process ID'],
  'col.name': ['列名', 'Column'],
  'col.type': ['型', 'Type'],
  'col.unique': ['ユニーク数', 'Unique'],
  'col.count': ['データ数', 'Count'],
  'col.missing': ['欠損', 'Missing'],
  'col.stats': ['最小 / 平均 / 中央 / 最大', 'Min / mean / median / max'],
  'col.values': ['よく出る値', 'Frequent values'],
  'col.relevance': ['目的変数との関連', 'Relevance to target'],
  'col.useless': ['学習に使わない', 'not used'],
  'dtype.0': ['除外', 'ignore'],
  'dtype.1': ['整数', 'integer'],
  'dtype.2': ['小数', 'float'],
  'dtype.3': ['カテゴリ', 'string'],
  'dtype.4': ['テキスト', 'text'],
  'dtype.5': ['日付', 'date'],
  'train.title': ['学習', 'Training'],
  'train.name': ['モデル名', 'Model name'],
  'train.target': ['予測する列（目的変数）', 'Column to predict (target)'],
  'train.type': ['予測タイプ', 'Prediction type'],
  'train.tv': ['予測したい値（二値分類）', 'Positive value (binary)'],
  'train.cv': ['検証方法', 'Validation'],
  'train.im': ['不均衡補正', 'Imbalance correction'],
  'train.budget': ['探索時間（秒、空欄はサーバー既定）', 'Search time (seconds, empty = server default)'],
  'train.submit': ['学習を開始', 'Start training'],
  'type.binary': ['二値分類', 'Binary classification'],
  'type.multi': ['多値分類', 'Multi-class classification'],
  'type.regression': ['数値予測（回帰）', 'Regression'],
  'cv.auto': ['自動', 'Automatic'],
  'cv.holdout': ['ホールドアウト', 'Hold-out'],
  'cv.crossAuto': ['交差検証（分割数は自動）', 'Cross-validation (automatic folds)'],
  'cv.cross5': ['5 分割交差検証', '5-fold cross-validation'],
  'status.title': ['学習の状況と結果', 'Training status and results'],
  'status.waiting': ['待機中', 'Waiting'],
  'status.running': ['学習中', 'Running'],
  'status.finished': ['完了', 'Finished'],
  'status.failed': ['失敗', 'Failed'],
  'status.model': ['モデル ID', 'Model ID'],
  'results.zip': ['結果 zip をダウンロード', 'Download the result zip'],
  'results.report': ['レポート (report.html) を保存', 'Save the report (report.html)'],
  'results.openReport': ['レポートを開く', 'Open the report'],
  // Metric names as in report.html (src/automl/report.ts).
  'metric.accuracy': ['正解率', 'Accuracy'],
  'metric.precision': ['適合率', 'Precision'],
  'metric.recall': ['再現率', 'Recall'],
  'metric.f_score': ['F値', 'F-score'],
  'metric.auc': ['AUC', 'AUC'],
  'metric.logloss': ['対数損失', 'Log loss'],
  'metric.threshold': ['判定しきい値', 'Decision threshold'],
  'metric.average_precision': ['平均適合率', 'Average precision'],
  'metric.average_recall': ['平均再現率', 'Average recall'],
  'metric.average_f_score': ['平均F値', 'Average F-score'],
  'metric.mae': ['平均絶対誤差', 'Mean absolute error'],
  'metric.median_absolute_error': ['絶対誤差の中央値', 'Median absolute error'],
  'metric.median_absolute_error_ratio': ['絶対誤差率の中央値', 'Median absolute error ratio'],
  'metric.rmse': ['二乗平均平方根誤差 (RMSE)', 'Root mean squared error (RMSE)'],
  'metric.r2': ['決定係数 (R²)', 'Coefficient of determination (R²)'],
  'metric.model_level': ['モデルの精度レベル（5 段階）', 'Model level (of 5)'],
  'metric.evaluation_rows': ['評価した行数', 'Rows evaluated'],
  'results.metrics': ['評価指標', 'Metrics'],
  'results.metric': ['指標', 'Metric'],
  'results.value': ['値', 'Value'],
  'deploy.title': ['予測 API（デプロイ）', 'Prediction API (deploy)'],
  'deploy.model': ['モデル ID', 'Model ID'],
  'deploy.rules': ['許可する IP（CIDR、カンマ区切り。空欄はすべて許可）', 'Allowed IPs (CIDR, comma-separated; empty = everyone)'],
  'deploy.submit': ['デプロイ', 'Deploy'],
  'deploy.refresh': ['一覧を更新', 'Refresh list'],
  'deploy.none': ['予測 API はまだありません。', 'No prediction API yet.'],
  'cls.id': ['ID', 'ID'],
  'cls.model': ['モデル', 'Model'],
  'cls.status': ['状態', 'Status'],
  'cls.url': ['URL', 'URL'],
  'cls.key': ['API キー', 'API key'],
  'cls.actions': ['操作', 'Actions'],
  'clsStatus.building': ['準備中', 'building'],
  'clsStatus.running': ['稼働中', 'running'],
  'clsStatus.updating': ['更新中', 'updating'],
  'clsStatus.terminating': ['停止処理中', 'stopping'],
  'clsStatus.terminated': ['停止', 'stopped'],
  'clsStatus.failed': ['失敗', 'failed'],
  'cls.use': ['これで予測', 'Predict with it'],
  'cls.stop': ['停止', 'Stop'],
  'cls.start': ['開始', 'Start'],
  'cls.delete': ['削除', 'Delete'],
  'cls.confirmDelete': ['この予測 API を削除しますか？', 'Delete this prediction API?'],
  'predict.title': ['予測', 'Predict'],
  'predict.csv': ['予測する行（CSV、1 行目はヘッダー）', 'Rows to predict (CSV, header first)'],
  'predict.submit': ['予測する', 'Predict'],
  'predict.using': ['使用する予測 API:', 'Prediction API:'],
  'predict.choose': ['一覧から「これで予測」を選んでください。', 'Choose "Predict with it" in the list.'],
  'predict.invalid': ['予測できなかった行', 'Rows that could not be predicted'],
  'predict.warnings': ['注意', 'Warnings'],
  'error.network': ['サーバーに接続できません', 'Cannot reach the server'],
};

let lang: Lang = sessionStorage.getItem('yosoku.lang') === 'en' ? 'en' : 'ja';

export function currentLang(): Lang {
  return lang;
}

export function hasLabel(key: string): boolean {
  return DICT[key] !== undefined;
}

export function t(key: string): string {
  const entry = DICT[key];
  if (entry === undefined) return key;
  return lang === 'ja' ? entry[0] : entry[1];
}

/** A span whose text follows the language switch. */
export function label(key: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.dataset.i18n = key;
  span.textContent = t(key);
  return span;
}

export function applyLang(): void {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n ?? '');
  for (const el of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder ?? '');
}

export function setLang(next: Lang): void {
  lang = next;
  sessionStorage.setItem('yosoku.lang', next);
  applyLang();
}
