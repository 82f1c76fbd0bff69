/** Environment → config: defaults, PUBLIC_URL derivation, and errors that name the variable. */
import { availableParallelism } from 'node:os';
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
      trainingThreads: availableParallelism(),
      limits: {
        minRows: 11,
        maxRows: 1_000_000,
        minColumns: 2,
        maxColumns: 999,
        maxClasses: 200,
        maxCvFolds: 10,
        maxTimeBudgetSeconds: 3600,
        timeSeries: { minRows: 20, maxRows: 10_000, maxColumns: 200, maxSeries: 200 },
      },
      holdTrainingFile: null,
    });
  });

  it('shares the cores between the trainings that run at once unless TRAINING_THREADS is given', () => {
    const cores = availableParallelism();
    expect(loadConfig({ TRAINING_WORKERS: '2' }).trainingThreads).toBe(Math.max(1, Math.floor(cores / 2)));
    expect(loadConfig({ TRAINING_WORKERS: '64' }).trainingThreads).toBe(Math.max(1, Math.floor(cores / 64)));
    expect(loadConfig({ TRAINING_THREADS: '3' }).trainingThreads).toBe(3);
    expect(() => loadConfig({ TRAINING_THREADS: '0' })).toThrow(/TRAINING_THREADS must be an integer in \[1, 256\]/);
  });

  it('derives PUBLIC_URL from HOST and PORT unless given', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).publicUrl).toBe('http://0.0.0.0:9000');
    expect(loadConfig({ HOST: '::1', PORT: '9000' }).publicUrl).toBe('http://[::1]:9000');
    expect(loadConfig({ PUBLIC_URL: 'https://yosoku.example.com/' }).publicUrl).toBe('https://yosoku.example.com');
  });

  it('never trusts every proxy hop: TRUST_PROXY takes a hop count or proxy addresses, not true', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true would trust a client-written X-Forwarded-For/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY must be a hop count or a comma-separated list .* "yes" is none of them/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/"10.0.0.0\/33"/);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustProxy).toBe('10.0.0.1,10.1.0.0/16,::1,fd00::/8,loopback');
  });

  it('names the variable and the value it rejects', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(new ConfigError('PORT must be an integer in [0, 65535], got "http"'));
    expect(() => loadConfig({ MAX_ROWS: '5' })).toThrow(/MAX_ROWS must be an integer in \[11, /);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL must be an absolute URL/);
    expect(() => loadConfig({ MAX_CV_FOLDS: '1' })).toThrow(/MAX_CV_FOLDS must be an integer in \[2, 100\]/);
    expect(() => loadConfig({ MAX_TIME_BUDGET_SECONDS: '30', TRAINING_TIME_BUDGET_SECONDS: '60' })).toThrow(
      /TRAINING_TIME_BUDGET_SECONDS must be an integer in \[1, 30\]/,
    );
  });
});
