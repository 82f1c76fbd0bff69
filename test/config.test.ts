/** Environment → config: defaults, PUBLIC_URL derivation, and errors that name the variable. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      dataDir: resolve('./data'),
      maxUploadBytes: 1024 ** 3,
      signedUrlTtlSeconds: 3600,
      apiKeyTtlDays: 30,
      trainingWorkers: 1,
      limits: { minRows: 11, maxRows: 1_000_000, minColumns: 2, maxColumns: 999, maxClasses: 200 },
      holdTrainingFile: null,
    });
  });

  it('derives PUBLIC_URL from HOST and PORT unless given', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).publicUrl).toBe('http://0.0.0.0:9000');
    expect(loadConfig({ HOST: '::1', PORT: '9000' }).publicUrl).toBe('http://[::1]:9000');
    expect(loadConfig({ PUBLIC_URL: 'https://yosoku.example.com/' }).publicUrl).toBe('https://yosoku.example.com');
  });

  it('names the variable and the value it rejects', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(new ConfigError('PORT must be an integer in [0, 65535], got "http"'));
    expect(() => loadConfig({ MAX_ROWS: '5' })).toThrow(/MAX_ROWS must be an integer in \[11, /);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL must be an absolute URL/);
  });
});
