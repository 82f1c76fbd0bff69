/** Train Data Upload: upload-url, signed PUTs, encodings, limits and broken uploads. */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { binaryCsv, createHarness, expectError } from '../helpers/harness.js';

async function openProcess(h: Awaited<ReturnType<typeof createHarness>>, key: string, ext = 'csv') {
  const res = await h.get(`/v1/external/data-sets/upload-url?extension=${ext}`, key);
  expect(res.statusCode).toBe(200);
  return res.json() as {
    learn_data_set_upload_url: string;
    eval_data_set_upload_url: string;
    column_info_upload_url: string;
    external_process_id: string;
  };
}

describe('GET /v1/external/data-sets/upload-url', () => {
  it('returns three absolute signed URLs under PUBLIC_URL and a process id', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    expect(Object.keys(r).sort()).toEqual(['column_info_upload_url', 'eval_data_set_upload_url', 'external_process_id', 'learn_data_set_upload_url']);
    for (const u of [r.learn_data_set_upload_url, r.eval_data_set_upload_url, r.column_info_upload_url]) {
      expect(u).toMatch(/^http:\/\/yosoku\.test\/uploads\/[0-9a-f-]{36}\/(learn|eval|column_info)\?expires=\d+&sig=[0-9a-f]{64}$/);
    }
  });

  it('rejects an unknown extension and needs a train key', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    expectError(await h.get('/v1/external/data-sets/upload-url?extension=xls', train), 4001000301, /extension: got "xls"; allowed: csv, tsv/);
    expectError(await h.get('/v1/external/data-sets/upload-url?extension=csv'), 4001000204, 'invalid_api_key.');
  });
});

describe('PUT to a signed upload URL', () => {
  it('refuses a record longer than MAX_RECORD_CHARS (MALFORMED_FILE, naming the limit), and keeps serving', async () => {
    const h = await createHarness({ MAX_RECORD_CHARS: '2048' });
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    const text = `a,b\n1,2\n3,${'x'.repeat(3_000_000)}\n5,6\n`;
    expectError(
      await h.put(r.learn_data_set_upload_url, text),
      4001000331,
      'The file cannot be read as CSV/TSV: learn file: the record starting at line 3 is longer than 2048 characters (MAX_RECORD_CHARS)',
    );
    expect((await h.put(r.learn_data_set_upload_url, binaryCsv(20))).statusCode).toBe(200);
  });

  it('stores a CSV durably and lists it as a data set', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    const res = await h.put(r.learn_data_set_upload_url, binaryCsv(50));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    const list = (await h.get('/v1/external/data-sets', train)).json();
    expect(list.data_sets[0]).toMatchObject({ name: 'learn.csv', extension: 'csv', column_count: 4, data_count: 50 });
    const p = await h.storage.processes.getById(r.external_process_id);
    expect(p?.learn?.encoding).toBe('utf-8');
  });

  it("names the data set from the PUT's Content-Disposition, or else after the model", async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const named = await openProcess(h, train);
    const disposition = `attachment; filename*=UTF-8''${encodeURIComponent('売上/2026年.csv')}`;
    expect((await h.put(named.learn_data_set_upload_url, binaryCsv(30), { 'content-disposition': disposition })).statusCode).toBe(200);
    expect(
      (await h.put(named.eval_data_set_upload_url, binaryCsv(20), { 'content-disposition': 'attachment; filename="reports/eval set.csv"' })).statusCode,
    ).toBe(200);
    const unnamed = await openProcess(h, train);
    // A header that cannot be parsed is a missing label, not a failed upload.
    expect((await h.put(unnamed.learn_data_set_upload_url, binaryCsv(40), { 'content-disposition': 'attachment; filename=' })).statusCode).toBe(200);
    expect((await h.put(unnamed.eval_data_set_upload_url, binaryCsv(25))).statusCode).toBe(200);
    const names = async () =>
      (await h.get('/v1/external/data-sets', train)).json().data_sets.map((d: { name: string; data_count: number }) => `${d.name}:${d.data_count}`);
    expect(await names()).toEqual(['eval.csv:25', 'learn.csv:40', 'eval set.csv:20', '2026年.csv:30']);

    for (const pid of [named.external_process_id, unnamed.external_process_id]) {
      const res = await h.post('/v1/external/models', train, {
        external_process_id: pid,
        name: 'churn model',
        config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await names()).toEqual(['churn model (eval):25', 'churn model:40', 'eval set.csv:20', '2026年.csv:30']);
    const list = (await h.get('/v1/external/data-sets', train)).json().data_sets;
    const download = await h.get(list[3].download_url);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="2026?.csv"; filename*=UTF-8''2026%E5%B9%B4.csv`);
  });

  it('detects Shift_JIS and UTF-8 with BOM, and reads TSV', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const text =
      '顧客ランク,年齢,購入\n' +
      Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'ゴールド' : 'シルバー'},${20 + i},${i % 3 ? 'あり' : 'なし'}`).join('\n') +
      '\n';
    const sjis = await openProcess(h, train);
    expect((await h.put(sjis.learn_data_set_upload_url, iconv.encode(text, 'Shift_JIS'))).statusCode).toBe(200);
    const info = (await h.get(`/v1/external/data-sets/column-info?external_process_id=${sjis.external_process_id}`, train)).json();
    expect(info.raw_column_names).toEqual(['顧客ランク', '年齢', '購入']);
    expect(info.training_data_columns[0].classify_value.map((v: { name: string }) => v.name).sort()).toEqual(['ゴールド', 'シルバー']);
    expect((await h.storage.processes.getById(sjis.external_process_id))?.learn?.encoding).toBe('shift_jis');

    const bom = await openProcess(h, train);
    await h.put(bom.learn_data_set_upload_url, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect((await h.get(`/v1/external/data-sets/column-info?external_process_id=${bom.external_process_id}`, train)).json().raw_column_names[0]).toBe(
      '顧客ランク',
    );

    const tsv = await openProcess(h, train, 'tsv');
    await h.put(tsv.learn_data_set_upload_url, text.replaceAll(',', '\t'));
    expect((await h.get(`/v1/external/data-sets/column-info?external_process_id=${tsv.external_process_id}`, train)).json().raw_column_names).toHaveLength(3);
  });

  it('accepts a body with any content type, or none', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    expect((await h.put(r.learn_data_set_upload_url, binaryCsv(20), { 'content-type': 'application/octet-stream' })).statusCode).toBe(200);
    expect((await h.put(r.eval_data_set_upload_url, binaryCsv(20), { 'content-type': 'text/csv' })).statusCode).toBe(200);
    const res = await h.app.inject({
      method: 'PUT',
      url: r.column_info_upload_url.slice('http://yosoku.test'.length),
      payload: Buffer.from('column_name,column_type\nage,float\n'),
    });
    expect(res.statusCode).toBe(200);
    expect((await h.storage.processes.getById(r.external_process_id))?.columnTypes).toEqual({ age: 'float' });
  });

  it('rejects any altered byte of the URL and expired URLs', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    const url = r.learn_data_set_upload_url;
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    const sigAt = url.indexOf('sig=') + 4;
    for (const altered of [
      flip(url, sigAt),
      flip(url, url.indexOf('/uploads/') + 12),
      url.replace('/learn?', '/eval?'),
      url.replace(/expires=(\d)/, 'expires=9'),
      url + '0',
    ]) {
      expectError(await h.put(altered, 'a,b\n1,2\n'), 4001000320, /^The signed URL is invalid or was altered/);
    }
    expectError(await h.put(url.replace(/&sig=.*/, ''), 'a,b\n'), 4001000320, /has no signature/);
    h.advance(3601 * 1000);
    expectError(await h.put(url, 'a,b\n1,2\n'), 4001000321, 'The signed URL has expired');
  });

  it('rejects an upload over MAX_UPLOAD_BYTES with 413', async () => {
    const h = await createHarness({ MAX_UPLOAD_BYTES: '100' });
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    expectError(await h.put(r.learn_data_set_upload_url, binaryCsv(50)), 4131000601, /exceeds the limit of 100 bytes/);
    expect((await h.storage.processes.getById(r.external_process_id))?.learn).toBeNull();
  });

  it('rejects unreadable files with the reason', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    expectError(await h.put(r.learn_data_set_upload_url, 'a,b\n1,2\n3\n'), 4001000331, /learn file: row 2 \(line 3\) has 1 fields, the header has 2/);
    expectError(await h.put(r.learn_data_set_upload_url, 'a,a\n1,2\n'), 4001000331, /duplicate column name "a"/);
    expectError(await h.put(r.learn_data_set_upload_url, ''), 4001000331, /empty/);
    expectError(await h.put(r.learn_data_set_upload_url, 'only\n1\n'), 4001000312, /at least 2 are required/);
    expectError(await h.put(r.column_info_upload_url, 'name,type\nage,float\n'), 4001000332, /expected the header column_name,column_type/);
    expectError(await h.put(r.column_info_upload_url, 'column_name,column_type\nage,number\n'), 4001000332, /unknown column_type "number"/);
  });

  it('refuses uploads once training was requested, and uploads to unknown processes', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    await h.put(r.learn_data_set_upload_url, binaryCsv(50));
    const post = await h.post('/v1/external/models', train, {
      external_process_id: r.external_process_id,
      name: 'm',
      config: { tc: 'churn', tt: 'binary_classification', tv: 'yes' },
    });
    expect(post.statusCode).toBe(200);
    expectError(await h.put(r.learn_data_set_upload_url, binaryCsv(50)), 4091000504, /can no longer change/);
    const forged = h.deps.signer.sign('PUT', '/uploads/no-such-process/learn', h.deps.clock.now().getTime());
    expectError(await h.put(forged, 'a,b\n1,2\n'), 4041000401, 'Not found external_process_id');
  });

  it('never takes a body cut off mid-upload as complete', async () => {
    const h = await createHarness();
    const { train } = await h.user('alice');
    const r = await openProcess(h, train);
    // Observe the upload's outcome directly, so the test waits for it without timing guesses.
    const uploads = h.services.uploads;
    const accept = uploads.acceptUpload.bind(uploads);
    let outcome: Promise<unknown> | null = null;
    uploads.acceptUpload = (...args) => {
      const p = accept(...args);
      outcome = p.then(
        () => 'stored',
        (err: unknown) => err,
      );
      return p;
    };
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = h.app.server.address() as AddressInfo;
      const path = r.learn_data_set_upload_url.slice('http://yosoku.test'.length);
      const body = binaryCsv(200);
      const sent = body.slice(0, body.length / 2);
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      socket.write(`PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${sent}`);
      while (outcome === null) await new Promise((res) => setImmediate(res));
      socket.destroy();
      const result = await outcome;
      expect(result).not.toBe('stored');
      expect((result as { code?: number }).code).toBe(4001000322);
      expect((await h.storage.processes.getById(r.external_process_id))?.learn).toBeNull();
      expect(await h.deps.blobs.size(`processes/${r.external_process_id}/learn.csv`)).toBeNull();
      expect((await h.get('/v1/external/data-sets', train)).json().metadata.total).toBe(0);
    } finally {
      await h.app.close();
    }
  });
});
