/**
 * Keys live in this tab's sessionStorage only (never localStorage, never cookies): the secret key,
 * and the train / deploy / retrain API keys exchanged for it (`GET /v1/external/api-key`). A retrain
 * key is for one model (`credential_type=retrain&model_id=N`), kept as `yosoku.retrainKey.N`.
 */
import { call, UiError } from './api.js';

const SECRET = 'yosoku.secretKey';
type Scope = 'train' | 'deploy' | `retrain.${number}`;

const KEY_NAME = /^yosoku\.(secretKey|trainKey|deployKey|retrainKey\.\d+)$/;

/** `train` → `yosoku.trainKey`; `retrain.7` → `yosoku.retrainKey.7`. */
function storageName(scope: Scope): string {
  const [type, model] = scope.split('.');
  return `yosoku.${type}Key${model === undefined ? '' : `.${model}`}`;
}

/** `retrain.N` → the query of `GET api-key`. */
function query(scope: Scope): string {
  const [type, model] = scope.split('.');
  return model === undefined ? `credential_type=${type}` : `credential_type=${type}&model_id=${model}`;
}

interface StoredKey {
  readonly apiKey: string;
  readonly endDate: string;
}

function stored(scope: Scope): StoredKey | null {
  const raw = sessionStorage.getItem(storageName(scope));
  if (raw === null) return null;
  const key = JSON.parse(raw) as StoredKey;
  // A key that expires within the next minute is exchanged again.
  return Date.parse(key.endDate) - Date.now() > 60_000 ? key : null;
}

export function hasSecret(): boolean {
  return sessionStorage.getItem(SECRET) !== null;
}

/** Exchanges the secret key for a fresh API key of `scope` and keeps both. */
export async function exchange(secret: string, scope: Scope): Promise<StoredKey> {
  const res = await call<{ api_key: string; end_date: string }>('GET', `v1/external/api-key?${query(scope)}`, secret);
  const key = { apiKey: res.api_key, endDate: res.end_date };
  sessionStorage.setItem(SECRET, secret);
  sessionStorage.setItem(storageName(scope), JSON.stringify(key));
  return key;
}

/** The API key of `scope`, exchanged on first use (e.g. the deploy key when deploying). */
export async function apiKey(scope: Scope): Promise<string> {
  const key = stored(scope);
  if (key !== null) return key.apiKey;
  const secret = sessionStorage.getItem(SECRET);
  if (secret === null) throw new UiError('error.noSecret');
  return (await exchange(secret, scope)).apiKey;
}

export function trainKeyInfo(): StoredKey | null {
  return stored('train');
}

export function secretKey(): string | null {
  return sessionStorage.getItem(SECRET);
}

export function forget(): void {
  const names = Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i) ?? '');
  for (const k of names.filter((n) => KEY_NAME.test(n))) sessionStorage.removeItem(k);
}
