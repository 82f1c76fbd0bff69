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
  'deploy.rules': ['IP ルール', 'IP rules'],
  'rules.hint': [
    'CIDR ごとに許可 / 拒否と優先度（小さいほど先に評価、最初に一致したルールで決定）。ルールなしはすべて許可、ルールがあってどれにも一致しなければ拒否。',
    'Per CIDR: allow / deny and a priority (lowest first; the first matching rule decides). No rules = everyone allowed; with rules, an address no rule matches is denied.',
  ],
  'rules.allow': ['許可', 'allow'],
  'rules.deny': ['拒否', 'deny'],
  'rules.priority': ['優先度', 'priority'],
  'rules.add': ['ルールを追加', 'Add a rule'],
  'rules.remove': ['削除', 'Remove'],
  'rules.title': ['IP ルールとロック', 'IP rules and lock'],
  'rules.save': ['ルールを保存', 'Save the rules'],
  'rules.lock': ['ロックする', 'Lock'],
  'rules.unlock': ['ロックを解除', 'Unlock'],
  'rules.lockedHint': ['ロック中: 停止・削除・ルール変更はできません。先にロックを解除してください。', 'Locked: stopping, deleting and rule changes are refused. Unlock first.'],
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
  'cls.use': ['この API を使う', 'Use this API'],
  'cls.rules': ['ルール / ロック', 'Rules / lock'],
  'cls.version': ['バージョン', 'Version'],
  'cls.lock': ['ロック', 'Lock'],
  'cls.rulesHead': ['IP ルール', 'IP rules'],
  'cls.locked': ['ロック中', 'locked'],
  'cls.unlocked': ['編集可', 'editable'],
  'cls.stop': ['停止', 'Stop'],
  'cls.start': ['開始', 'Start'],
  'cls.delete': ['削除', 'Delete'],
  'cls.confirmDelete': ['この予測 API を削除しますか？', 'Delete this prediction API?'],
  'predict.title': ['予測', 'Predict'],
  'predict.csv': ['予測する行（CSV、1 行目はヘッダー）', 'Rows to predict (CSV, header first)'],
  'predict.submit': ['予測する', 'Predict'],
  'predict.using': ['使用する予測 API:', 'Prediction API:'],
  'predict.choose': ['手順 6 の一覧で「この API を使う」を選んでください。', 'Choose "Use this API" in the list of step 6.'],
  'predict.invalid': ['予測できなかった行', 'Rows that could not be predicted'],
  'predict.warnings': ['注意', 'Warnings'],
  'retrain.title': ['再学習と切り替え', 'Retrain and switch'],
  'retrain.hint': [
    '新しいデータで同じ設定のモデルを学習し、比較してから切り替えます。予測 API の URL とキーは変わりません。',
    'Train a new model with the same settings on new data, compare, then switch. The prediction API keeps its URL and key.',
  ],
  'retrain.file': ['新しい学習データ（CSV / TSV、または train_src/ と eval_src/ を含む zip）', 'New training data (CSV / TSV, or a zip with train_src/ and eval_src/)'],
  'retrain.submit': ['再学習を開始', 'Start retraining'],
  'retrain.switch': ['新しいモデルに切り替え', 'Switch to the new model'],
  'retrain.using': ['再学習する予測 API:', 'Prediction API to retrain:'],
  'retrain.choose': ['手順 6 の一覧で「この API を使う」を選んでください。', 'Choose "Use this API" in the list of step 6.'],
  'retrain.newModel': ['新しいモデル ID', 'New model ID'],
  'retrain.zip': ['比較結果 zip をダウンロード', 'Download the comparison zip'],
  'retrain.before': ['切り替え前', 'Before'],
  'retrain.after': ['切り替え後', 'After'],
  'retrain.same': ['変更なし', 'unchanged'],
  'retrain.changed': ['変更あり', 'changed'],
  'comparison.metric': ['指標', 'Metric'],
  'comparison.new_model': ['新しいモデル', 'New model'],
  'comparison.previous_model': ['以前のモデル', 'Previous model'],
  'comparison.difference': ['差（新 − 旧）', 'Difference (new − previous)'],
  'batch.title': ['一括予測', 'Batch prediction'],
  'batch.file': ['予測する CSV（1 行目はヘッダー）', 'CSV to predict (header first)'],
  'batch.submit': ['一括予測を開始', 'Start the batch'],
  'batch.total': ['行数', 'Rows'],
  'batch.predicted': ['予測済み', 'predicted'],
  'batch.invalid': ['予測できなかった行', 'invalid'],
  'batch.zip': ['結果 zip をダウンロード', 'Download the result zip'],
  'batch.preview': ['予測結果（先頭）', 'Predictions (first rows)'],
  'catalog.title': ['モデルとデータセット', 'Models and data sets'],
  'catalog.models': ['モデル', 'Models'],
  'catalog.dataSets': ['データセット', 'Data sets'],
  'catalog.none': ['ありません。', 'None.'],
  'catalog.serving': ['配信中:', 'served by'],
  'catalog.created': ['作成日時', 'Created'],
  'catalog.name': ['ファイル名', 'File name'],
  'catalog.columns': ['列数', 'Columns'],
  'catalog.rows': ['行数', 'Rows'],
  'catalog.size': ['サイズ（バイト）', 'Size (bytes)'],
  'catalog.download': ['ダウンロード', 'Download'],
  'catalog.confirmModel': ['このモデルを削除しますか？（予測 API が使用中の場合は API が拒否します）', 'Delete this model? (The API refuses while a prediction API serves it.)'],
  'catalog.confirmDataSet': ['このデータセットを削除しますか？', 'Delete this data set?'],
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
