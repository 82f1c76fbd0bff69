/**
 * Server timeouts on a real socket: a silent client, one that drips its headers, and one that drips
 * its body are each cut off, and the server keeps answering others. Short timeouts from the same
 * environment variables an operator sets; the test waits for the server's reaction, it times nothing.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let app: ReturnType<typeof buildApp>;
let port: number;

beforeAll(async () => {
  h = await createHarness();
  const { http } = loadConfig({ CONNECTION_TIMEOUT_MS: '400', HEADERS_TIMEOUT_MS: '600', REQUEST_TIMEOUT_MS: '1200', KEEP_ALIVE_TIMEOUT_MS: '300' });
  app = buildApp(h.services, { timeouts: http });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await app.close();
});

/** Opens a socket, runs `drive` on it, and resolves with everything the server sent once it closed. */
function untilClosed(drive: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', () => undefined); // a reset counts as closed
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
    socket.on('connect', () => {
      drive(socket);
      timer = (socket as Socket & { drip?: NodeJS.Timeout }).drip;
    });
    setTimeout(() => reject(new Error('the server kept the socket open')), 20_000).unref();
  });
}

/** Writes one byte of `text` every `everyMs`, never idle long enough for the connection timeout. */
function drip(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  (socket as Socket & { drip?: NodeJS.Timeout }).drip = setInterval(() => {
    if (i < text.length && !socket.destroyed) socket.write(text[i++]!);
  }, everyMs);
}

describe('HTTP timeouts', () => {
  it('closes a socket that goes silent half-way through its headers (CONNECTION_TIMEOUT_MS)', async () => {
    await untilClosed((s) => s.write('GET /v1/external/models HTTP/1.1\r\nHost: x\r\n'));
  });

  it('cuts off a client that drips its headers forever (HEADERS_TIMEOUT_MS)', async () => {
    const answer = await untilClosed((s) => drip(s, `GET /v1/external/models HTTP/1.1\r\nX-Slow: ${'a'.repeat(10_000)}`, 50));
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('cuts off a body that keeps trickling in (REQUEST_TIMEOUT_MS)', async () => {
    const answer = await untilClosed((s) => {
      s.write('POST /v1/external/models HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
      drip(s, 'a'.repeat(100_000), 50);
    });
    expect(answer === '' || answer.startsWith('HTTP/1.1 408'), answer).toBe(true);
  });

  it('closes an idle kept-alive connection after its request (KEEP_ALIVE_TIMEOUT_MS + Node’s 1 s grace) and keeps serving', async () => {
    const answer = await untilClosed((s) => s.write('GET /nope HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    const res = await fetch(`http://127.0.0.1:${port}/nope`);
    expect(res.status).toBe(404);
  });

  it('has documented defaults, and refuses a header timeout above the request timeout', () => {
    expect(loadConfig({}).http).toEqual({ connectionTimeoutMs: 60_000, requestTimeoutMs: 900_000, headersTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 });
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HEADERS_TIMEOUT_MS must be an integer in \[100, 1000\]/);
  });
});
