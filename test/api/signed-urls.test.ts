/**
 * Signed URLs: valid until they expire and not a second after; any altered byte of path, query or
 * signature is refused; a signature replayed to another path, another method or with a later
 * expiry is refused; and over HTTP a download URL works only for its own file.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { createUrlSigner } from '../../src/services/signed-urls.js';
import { binaryCsv, createHarness, expectError, PUBLIC_URL } from '../helpers/harness.js';

const signer = createUrlSigner({ secret: 'k'.repeat(32), publicUrl: PUBLIC_URL, ttlSeconds: 60 });
const T0 = Date.parse('2026-03-01T00:00:00Z');
const local = (url: string) => url.slice(PUBLIC_URL.length);

function kindOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.kind;
    throw err;
  }
}

describe('UrlSigner', () => {
  const url = local(signer.sign('PUT', '/uploads/3f2b6c1e-0000-4000-8000-000000000001/learn', T0));

  it('accepts the URL until it expires, and refuses it a second after', () => {
    expect(signer.verify('PUT', url, T0)).toBe('/uploads/3f2b6c1e-0000-4000-8000-000000000001/learn');
    expect(kindOf(() => signer.verify('PUT', url, T0 + 60_000))).toBe('ok');
    expect(kindOf(() => signer.verify('PUT', url, T0 + 61_000))).toBe('SIGNED_URL_EXPIRED');
  });

  it('refuses every single altered byte of the URL', () => {
    for (let i = 0; i < url.length; i++) {
      for (const replacement of [url[i] === 'a' ? 'b' : 'a', url[i] === '0' ? '1' : '0']) {
        const altered = url.slice(0, i) + replacement + url.slice(i + 1);
        if (altered === url) continue;
        expect(
          kindOf(() => signer.verify('PUT', altered, T0)),
          `byte ${i}: ${altered}`,
        ).not.toBe('ok');
      }
    }
    expect(kindOf(() => signer.verify('PUT', url.slice(0, -1), T0))).toBe('UPLOAD_SIGNATURE_INVALID');
    expect(kindOf(() => signer.verify('PUT', `${url}0`, T0))).toBe('UPLOAD_SIGNATURE_INVALID');
    expect(kindOf(() => signer.verify('PUT', url.replace(/&sig=.*/, ''), T0))).toBe('UPLOAD_SIGNATURE_INVALID');
  });

  it('refuses a signature replayed to another path, another method, or with a later expiry', () => {
    const sig = new URL(url, PUBLIC_URL).searchParams.get('sig')!;
    const expires = new URL(url, PUBLIC_URL).searchParams.get('expires')!;
    const replays = [
      `/uploads/3f2b6c1e-0000-4000-8000-000000000002/learn?expires=${expires}&sig=${sig}`,
      `/uploads/3f2b6c1e-0000-4000-8000-000000000001/eval?expires=${expires}&sig=${sig}`,
      `/uploads/3f2b6c1e-0000-4000-8000-000000000001/learn?expires=${Number(expires) + 3600}&sig=${sig}`,
      `/uploads/3f2b6c1e-0000-4000-8000-000000000001/learn?sheet=x&expires=${expires}&sig=${sig}`,
      `/downloads/results/3f2b6c1e-0000-4000-8000-000000000001/result.zip?expires=${expires}&sig=${sig}`,
    ];
    for (const r of replays)
      expect(
        kindOf(() => signer.verify('PUT', r, T0)),
        r,
      ).toBe('UPLOAD_SIGNATURE_INVALID');
    expect(kindOf(() => signer.verify('GET', url, T0))).toBe('UPLOAD_SIGNATURE_INVALID');
    const otherSecret = createUrlSigner({ secret: 'j'.repeat(32), publicUrl: PUBLIC_URL, ttlSeconds: 60 });
    expect(kindOf(() => otherSecret.verify('PUT', url, T0))).toBe('UPLOAD_SIGNATURE_INVALID');
  });
});

describe('signed URLs over HTTP', () => {
  it('an upload URL stores to its own slot only, and expires with the clock', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const a = (await h.get('/v1/external/data-sets/upload-url', train)).json();
    const b = (await h.get('/v1/external/data-sets/upload-url', train)).json();
    // a's learn signature on b's path, and on a's eval slot.
    const sigOf = (u: string) => new URL(u).search;
    expectError(
      await h.put(`${PUBLIC_URL}/uploads/${b.external_process_id}/learn${sigOf(a.learn_data_set_upload_url)}`, binaryCsv(20)),
      4001000320,
      'The signed URL is invalid or was altered',
    );
    expectError(
      await h.put(`${PUBLIC_URL}/uploads/${a.external_process_id}/eval${sigOf(a.learn_data_set_upload_url)}`, binaryCsv(20)),
      4001000320,
      'The signed URL is invalid or was altered',
    );
    expect((await h.put(a.learn_data_set_upload_url, binaryCsv(20))).statusCode).toBe(200);
    expect((await h.get(`/v1/external/data-sets/column-info?external_process_id=${b.external_process_id}`, train)).statusCode).toBe(409);
    // The URL expires with the clock.
    h.advance((h.config.signedUrlTtlSeconds + 1) * 1000);
    expectError(await h.put(b.learn_data_set_upload_url, binaryCsv(20)), 4001000321, 'The signed URL has expired');
  });
});
