/**
 * A training's status (`GET /v1/external/models/results`) and its result zip, read in the browser.
 * Remembers what it learns about the tab's trainings (model id, headline metric) in work.ts.
 */
import { call, download } from './api.js';
import { headline, readMetrics } from './evaluation.js';
import { apiKey } from './session.js';
import type { TrainStatus } from './types.js';
import { updateTraining } from './work.js';
import { readZip, type ZipEntry } from './zip.js';

export function trainingStatus(processId: string): Promise<TrainStatus> {
  return (async () => call<TrainStatus>('GET', `v1/external/models/results?external_process_id=${encodeURIComponent(processId)}`, await apiKey('train')))();
}

export interface ResultZip {
  /** The signed result_url, or null for a zip the user opened from disk. */
  readonly url: string | null;
  readonly bytes: Uint8Array;
  readonly entries: ReadonlyMap<string, ZipEntry>;
  text(name: string): Promise<string | null>;
}

const decoder = new TextDecoder();

export async function resultZip(url: string): Promise<ResultZip> {
  return openZip(url, await download(url));
}

/** A result zip from bytes (downloaded, or a file the user chose: examples save `result.zip`). */
export function openZip(url: string | null, bytes: Uint8Array): ResultZip {
  const entries = readZip(bytes);
  return {
    url,
    bytes,
    entries,
    text: async (name) => {
      const e = entries.get(name);
      return e === undefined ? null : decoder.decode(await e.read());
    },
  };
}

/** Reads the headline metric of a finished training of this tab and remembers it. */
export async function rememberHeadline(processId: string, status: TrainStatus, zip?: ResultZip): Promise<void> {
  if (status.status !== 'finished' || status.result_url === undefined) return;
  const z = zip ?? (await resultZip(status.result_url));
  const metrics = await z.text('metrics.csv');
  const h = metrics === null ? null : headline(readMetrics(metrics));
  updateTraining(processId, { ...(status.model_id === undefined ? {} : { modelId: status.model_id }), ...(h === null ? {} : { headline: h }) });
}
