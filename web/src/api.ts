/**
 * The public REST API, called exactly as any other client does (docs/api.md). URLs the server hands
 * out (upload, result and inference URLs) are absolute, built from PUBLIC_URL; the page calls them
 * on its own origin (path and query kept), so the UI works whatever host name the user typed.
 */
import { t } from './i18n.js';

/** An error answer `{code, error, message}`, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/** A server-made absolute URL → the same path and query on this page's origin. */
export function sameOrigin(url: string): string {
  const u = new URL(url, document.baseURI);
  return u.pathname + u.search;
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { code?: unknown; error?: unknown; message?: unknown; detail?: unknown };
    const message = [body.message, body.detail].filter((v) => typeof v === 'string' && v !== '').join(' — ');
    return new ApiError(res.status, typeof body.code === 'number' ? body.code : null, String(body.error ?? res.statusText), message || text);
  } catch {
    return new ApiError(res.status, null, res.statusText, text.slice(0, 500));
  }
}

/** One JSON call. `path` is relative to the page (e.g. `v1/external/models`) or from `sameOrigin`. */
export async function call<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path.startsWith('/') ? path : new URL(path, document.baseURI).href, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, null, 'NETWORK', `${t('error.network')}: ${(err as Error).message}`);
  }
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** GET bytes (a signed download URL). */
export async function download(url: string): Promise<Uint8Array> {
  const res = await fetch(sameOrigin(url), { cache: 'no-store' });
  if (!res.ok) throw await errorOf(res);
  return new Uint8Array(await res.arrayBuffer());
}

/** PUT a file to a signed upload URL, reporting progress (0–1). XHR: fetch has no upload progress. */
export function upload(url: string, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', sameOrigin(url));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      void errorOf(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText })).then(reject);
    };
    xhr.onerror = () => reject(new ApiError(0, null, 'NETWORK', t('error.network')));
    xhr.send(file);
  });
}

/** Renders an error into its box: `[code ERROR] message`. */
export function showError(box: HTMLElement, err: unknown): void {
  box.replaceChildren();
  if (err instanceof ApiError) {
    const code = document.createElement('code');
    code.textContent = `${err.code ?? err.status} ${err.error}`;
    box.append(code, ' ', err.message);
  } else {
    box.textContent = err instanceof Error ? err.message : String(err);
  }
}

export function clearError(box: HTMLElement): void {
  box.replaceChildren();
}
