/**
 * Signed URLs: the capability for a PUT upload or a GET download without an API key, the way
 * Prediction One hands out pre-signed storage URLs. The signature is an HMAC-SHA256 over the
 * method, the path and every query byte before `sig`, so changing any byte of the URL — the
 * process id, the file kind, the expiry — invalidates it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.js';

export interface UrlSigner {
  /**
   * Absolute URL for `path` (starting with '/', optionally with a query such as `?sheet=…`, which
   * is signed with it), valid for the configured lifetime.
   */
  sign(method: 'GET' | 'PUT', path: string, nowMs: number): string;
  /**
   * Checks a request's URL (path + query as received). Throws UPLOAD_SIGNATURE_INVALID or
   * SIGNED_URL_EXPIRED; returns the path (with the query it was signed with) on success.
   */
  verify(method: 'GET' | 'PUT', requestUrl: string, nowMs: number): string;
}

const SIG_PARAM = '&sig=';

export function createUrlSigner(opts: { secret: string; publicUrl: string; ttlSeconds: number }): UrlSigner {
  const mac = (text: string): string => createHmac('sha256', opts.secret).update(text, 'utf8').digest('hex');
  return {
    sign(method, path, nowMs) {
      const expires = Math.floor(nowMs / 1000) + opts.ttlSeconds;
      const unsigned = `${path}${path.includes('?') ? '&' : '?'}expires=${expires}`;
      return `${opts.publicUrl}${unsigned}${SIG_PARAM}${mac(`${method}\n${unsigned}`)}`;
    },
    verify(method, requestUrl, nowMs) {
      const at = requestUrl.lastIndexOf(SIG_PARAM);
      if (at < 0) throw new AppError('UPLOAD_SIGNATURE_INVALID', 'the URL has no signature');
      const unsigned = requestUrl.slice(0, at);
      const given = Buffer.from(requestUrl.slice(at + SIG_PARAM.length), 'utf8');
      const expected = Buffer.from(mac(`${method}\n${unsigned}`), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('UPLOAD_SIGNATURE_INVALID');
      }
      const match = /^([^?]*(?:\?.*)?)[?&]expires=(\d+)$/.exec(unsigned);
      if (match === null) throw new AppError('UPLOAD_SIGNATURE_INVALID');
      if (Number(match[2]) * 1000 < nowMs) throw new AppError('SIGNED_URL_EXPIRED');
      return match[1]!;
    },
  };
}
