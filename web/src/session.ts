/**
 * Keys live in this tab's sessionStorage only (never localStorage, never cookies): the secret key,
 * and the train / deploy API keys exchanged for it (`GET /v1/external/api-key`).
 */
import { call } from './api.js';

const SECRET = 'yosoku.secretKey';
type Scope = 'train' | 'deploy';

interface StoredKey {
  readonly apiKey: string;
  readonly endDate: string;
}

function stored(scope: Scope): StoredKey | null {
  const raw = sessionStorage.getItem(`yosoku.${scope}Key`);
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
  const res = await call<{ api_key: string; end_date: string }>('GET', `v1/external/api-key?credential_type=${scope}`, secret);
  const key = { apiKey: res.api_key, endDate: res.end_date };
  sessionStorage.setItem(SECRET, secret);
  sessionStorage.setItem(`yosoku.${scope}Key`, JSON.stringify(key));
  return key;
}

/** The API key of `scope`, exchanged on first use (e.g. the deploy key when deploying). */
export async function apiKey(scope: Scope): Promise<string> {
  const key = stored(scope);
  if (key !== null) return key.apiKey;
  const secret = sessionStorage.getItem(SECRET);
  if (secret === null) throw new Error('Paste the secret key first (step 1). / 先にシークレットキーを入力してください（手順 1）。');
  return (await exchange(secret, scope)).apiKey;
}

export function trainKeyInfo(): StoredKey | null {
  return stored('train');
}

export function forget(): void {
  for (const k of [SECRET, 'yosoku.trainKey', 'yosoku.deployKey']) sessionStorage.removeItem(k);
}
