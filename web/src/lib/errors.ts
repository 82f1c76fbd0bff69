/**
 * API errors in the UI's language: what the error means for the user, in Japanese or English, next
 * to the API's code and name and the server's own text (docs/errors.md). The explanation is chosen
 * by the error name, or for the documented `PREDA_EXTERNAL_BAD_REQUEST` family (one code, several
 * messages) by the start of the message. Unknown errors still show the code and the server's text.
 */

export type Explanation = readonly [ja: string, en: string];

const BY_NAME: Record<string, Explanation> = {
  NETWORK: ['サーバーに接続できません。サーバーが動いているか確認してください。', 'Cannot reach the server. Check that it is running.'],
  INVALID_PARAMETER: ['リクエストのパラメーターが正しくありません。', 'A parameter of the request is not valid.'],
  INVALID_BODY: ['送信した内容が正しくありません。下の詳細の項目を直してください。', 'What was sent is not valid; fix the field named below.'],
  INVALID_CONFIG: ['学習の設定が正しくありません。', 'The training settings are not valid.'],
  UNKNOWN_CONFIG_KEY: ['知らない設定項目があります。', 'An unknown setting was sent.'],
  TIME_SERIES_UNSUPPORTED_OPTION: [
    '時系列予測では交差検証 (cv) と評価データは使えません。',
    'Time-series forecasting takes no cross-validation (cv) and no evaluation file.',
  ],
  TS_TIME_INVALID: ['時刻の列に日付として読めない値があります。', 'The time column has a value that is not a date.'],
  TS_DUPLICATE_TIME: ['同じ系列に同じ時刻の行が 2 つあります。', 'A series has two rows with the same time.'],
  TS_TIME_ORDER: [
    '時刻の順序が正しくありません。系列ごとに時刻の昇順（または降順）に並べてください。',
    'The times are out of order; sort each series by time (ascending or descending).',
  ],
  TS_IRREGULAR_INTERVAL: ['時刻の間隔が一定ではありません（欠けた期間は構いません）。', 'The times are not evenly spaced (missing periods are fine).'],
  TS_MISSING_TARGET: ['履歴の途中で予測する列の値が空です。', 'The target is empty inside the history.'],
  TS_SERIES_TOO_SHORT: [
    '系列が予測期間に対して短すぎます（2×予測期間＋1 期以上が必要です）。',
    'A series is too short for the horizon (it needs 2×horizon+1 periods).',
  ],
  TS_TOO_MANY_SERIES: ['系列が多すぎます（最大 200）。', 'Too many series (at most 200).'],
  TARGET_NOT_FOUND: ['予測する列がファイルにありません。', 'The column to predict is not in the file.'],
  TARGET_TYPE_INVALID: [
    'この列はこの予測タイプでは予測できません（回帰には数値の列が必要です）。',
    'This column cannot be predicted with this type (regression needs a numeric column).',
  ],
  CLASS_COUNT_INVALID: [
    '値の種類の数が予測タイプに合いません（二値分類は 2 種類、多値分類は 3〜200 種類）。',
    'The number of distinct values does not fit the type (binary: 2, multi-class: 3–200).',
  ],
  POSITIVE_LABEL_INVALID: ['「予測したい値」が正しくありません。', 'The positive value is not valid.'],
  TOO_FEW_ROWS: ['学習には行が少なすぎます。', 'Too few rows to train.'],
  TOO_MANY_ROWS: ['行が多すぎます。', 'Too many rows.'],
  COLUMN_COUNT_INVALID: [
    '列の数が正しくありません。CSV / TSV として保存したファイルか確認してください。',
    'The number of columns is not valid. Check that the file was saved as CSV / TSV.',
  ],
  EVAL_COLUMNS_MISMATCH: ['評価データの列が学習データと一致しません。', "The evaluation file does not have the training file's columns."],
  UPLOAD_SIGNATURE_INVALID: ['リンクが無効です。画面を再読み込みしてください。', 'The link is not valid; reload the page.'],
  SIGNED_URL_EXPIRED: ['リンクの有効期限が切れました。画面を再読み込みしてください。', 'The link has expired; reload the page.'],
  UPLOAD_INCOMPLETE: ['アップロードが途中で切れました。もう一度お試しください。', 'The upload was cut off; try again.'],
  BAD_ENCODING: ['文字コードを読めません。UTF-8 か Shift_JIS で保存してください。', 'The character encoding cannot be read; save as UTF-8 or Shift_JIS.'],
  BAD_WORKBOOK: [
    'Excel ブック (.xlsx) として読めません。先頭のシートの 1 行目に列名があるか、結合セルや空の列名がないか確かめてください。',
    'The file cannot be read as an Excel workbook (.xlsx); check that the first sheet has the column names in row 1, with no merged or empty header cells.',
  ],
  PROCESS_QUOTA_EXCEEDED: [
    '開いている学習が多すぎます。終わったものや使わないものを削除してからお試しください。',
    'Too many open trainings; delete finished or unused ones first.',
  ],
  RATE_LIMITED: ['リクエストが多すぎます。少し待ってからお試しください。', 'Too many requests; wait a moment and try again.'],
  MALFORMED_FILE: ['ファイルを CSV / TSV として読めません。', 'The file cannot be read as CSV / TSV.'],
  BAD_COLUMN_INFO: ['column_info.csv が正しくありません。', 'column_info.csv is not valid.'],
  PROCESS_NOT_FOUND: ['この学習が見つかりません。', 'This training was not found.'],
  DATA_SET_NOT_FOUND: ['データセットが見つかりません。', 'The data set was not found.'],
  MODEL_NOT_FOUND: ['モデルが見つかりません。', 'The model was not found.'],
  ROUTE_NOT_FOUND: ['見つかりません。', 'Not found.'],
  RESULT_NOT_FOUND: ['学習結果が見つかりません。', 'The training result was not found.'],
  CLASSIFIER_NOT_FOUND: ['予測 API が見つかりません。', 'The prediction API was not found.'],
  BATCH_PREDICTION_NOT_FOUND: ['一括予測が見つかりません。', 'The batch prediction was not found.'],
  LEARN_DATA_MISSING: ['学習データがまだアップロードされていません。', 'The training file has not been uploaded yet.'],
  TRAINING_ALREADY_REQUESTED: ['このデータの学習はすでに始まっています。', 'Training was already started for this data.'],
  TRAINING_NOT_REQUESTED: ['このデータの学習はまだ始まっていません。', 'Training has not been started for this data.'],
  MODEL_IN_USE: [
    'このモデルは予測 API で使われているため削除できません。先に予測 API を削除するか、別のモデルに切り替えてください。',
    'This model is served by a prediction API and cannot be deleted; delete that API or switch it to another model first.',
  ],
  UPLOAD_ALREADY_RECEIVED: ['このアップロード先はすでに使われました。', 'This upload link was already used.'],
  CLASSIFIER_LOCKED: ['予測 API がロックされています。先にロックを解除してください。', 'The prediction API is locked; unlock it first.'],
  CLASSIFIER_BUSY: ['予測 API が処理中です。少し待ってからお試しください。', 'The prediction API is busy; try again shortly.'],
  CLASSIFIER_NOT_SWITCHABLE: ['予測 API は今モデルを切り替えられません。', 'The prediction API cannot switch models now.'],
  PROCESS_LOCKED: ['学習を始めたあとはファイルを変更できません。', 'The files cannot change once training has started.'],
  UPLOAD_TOO_LARGE: ['ファイルが大きすぎます。', 'The file is too large.'],
  EMPTY_UPLOAD: ['再学習のファイルが空です。', 'The retrain file is empty.'],
  BAD_ZIP: ['再学習のファイルを zip として読めません。', 'The retrain file cannot be read as a zip.'],
  BAD_EXTENSION: ['再学習のファイルは .csv / .tsv、または .zip にしてください。', 'The retrain file must be .csv / .tsv, or a .zip.'],
  ZIP_UNSAFE_PATH: ['zip に危険なファイル名（../ など）が含まれています。', 'The zip has an unsafe entry name (such as ../).'],
  ZIP_ENCRYPTED_ENTRY: [
    'zip に暗号化されたファイルがあります。暗号化せずに作り直してください。',
    'The zip has an encrypted entry; make it without encryption.',
  ],
  ZIP_NO_TRAIN_FILE: ['zip に train_src/ のファイルがありません。', 'The zip has no file under train_src/.'],
  ZIP_MULTIPLE_FILES: ['zip の train_src/ と eval_src/ には 1 ファイルずつ入れてください。', "Put one file each in the zip's train_src/ and eval_src/."],
  RETRAIN_FILE_MISSING: ['再学習のファイルがまだアップロードされていません。', 'The retrain file has not been uploaded yet.'],
  ZIP_TOO_LARGE: ['zip を展開すると大きすぎます。', 'The zip is too large once decompressed.'],
  ZIP_TOO_MANY_ENTRIES: ['zip のファイル数が多すぎます。', 'The zip has too many entries.'],
  PREDA_EXTERNAL_INTERNAL_SERVER_ERROR: ['サーバー内部のエラーです。', 'An internal server error.'],
  // The prediction API's documented errors (docs/api.md §14).
  BAD_REQUEST: ['予測のリクエストが正しくありません（列が足りないなど）。', 'The prediction request is not valid (for example a missing column).'],
  ACCESS_DENIED: ['この予測 API を使う権限がありません（キー、または IP ルール）。', 'Access to this prediction API was refused (its key or its IP rules).'],
  NOT_FOUND_CLASSIFIER: ['予測 API が見つかりません。', 'The prediction API was not found.'],
  SERVICE_UNAVAILABLE_ERROR: ['予測 API が稼働していません。', 'The prediction API is not running.'],
};

/** `PREDA_EXTERNAL_BAD_REQUEST` (4001000204): the documented messages, by their start. */
const BAD_REQUEST_BY_MESSAGE: readonly (readonly [prefix: string, text: Explanation])[] = [
  ['invalid_api_key', ['キーが正しくありません。シークレットキーを確認してください。', 'The key is not valid. Check the secret key.']],
  ['Inactive_credential', ['キーが無効になっています。', 'The key is no longer active.']],
  ['Not_found_credential', ['キーが見つかりません。', 'The key was not found.']],
  ['This user may be deleted', ['ユーザーが削除されています。', 'The user has been deleted.']],
  ['This model may be deleted', ['モデルが削除されています。', 'The model has been deleted.']],
  ['Model id is required', ['モデル ID が必要です。', 'A model id is required.']],
  ['Not found retrain job', ['再学習が見つかりません。', 'The retrain job was not found.']],
  ['This job may be deleted', ['再学習が削除されています。', 'The retrain job has been deleted.']],
  ['Retrain job is not finished', ['再学習がまだ終わっていません。', 'The retrain job has not finished.']],
  ['Not found classifier', ['予測 API が見つかりません。', 'The prediction API was not found.']],
];

export function explain(error: string, message: string): Explanation | null {
  if (error === 'PREDA_EXTERNAL_BAD_REQUEST') return BAD_REQUEST_BY_MESSAGE.find(([p]) => message.startsWith(p))?.[1] ?? null;
  return BY_NAME[error] ?? null;
}

/** The names of the errors the UI explains (a test compares them with the server's catalogue). */
export function explainedNames(): string[] {
  return Object.keys(BY_NAME);
}
