/**
 * The public REST API, called exactly as any other client does (docs/api.md). URLs the server hands
 * out (upload, result and inference URLs) are absolute, built from PUBLIC_URL; the page calls them
 * on its own origin (path and query kept), so the UI works whatever host name the user typed.
 */

/** An error answer `{code, error, message}`, or a network failure (status 0, error `NETWORK`). */
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

/** A problem the UI itself found (shown from the dictionary: `key` and its params). */
export class UiError extends Error {
  constructor(
    readonly key: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(key);
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
    return new ApiError(res.status, null, res.statusText || `HTTP ${res.status}`, text.slice(0, 500));
  }
}

function networkError(err: unknown): ApiError {
  return new ApiError(0, null, 'NETWORK', err instanceof Error ? err.message : String(err));
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
    throw networkError(err);
  }
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** GET bytes (a signed download URL). */
export async function download(url: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(sameOrigin(url), { cache: 'no-store' });
  } catch (err) {
    throw networkError(err);
  }
  if (!res.ok) throw await errorOf(res);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * PUT a file to a signed upload URL, reporting progress (0–1). XHR: fetch has no upload progress.
 * `fileName` goes as `Content-Disposition` (RFC 6266), which names the data set (docs/api.md §2).
 */
export function upload(url: string, file: Blob, onProgress: (fraction: number) => void, fileName?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', sameOrigin(url));
    if (fileName !== undefined) xhr.setRequestHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        return resolve();
      }
      void errorOf(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText })).then(reject);
    };
    xhr.onerror = () => reject(new ApiError(0, null, 'NETWORK', ''));
    xhr.send(file);
  });
}

/** Excel files, by their first bytes: a zip (xlsx) or an OLE compound file (xls, which the server does not read). */
export async function spreadsheetKind(file: Blob): Promise<'xlsx' | 'xls' | null> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'xls';
  return null;
}
