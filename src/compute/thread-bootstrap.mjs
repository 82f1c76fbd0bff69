// Entry point of every worker thread the service starts (the compute thread pool, thread-pool.ts,
// and the GBDT trainer's parallel threads, parallel-training.ts). Node 20 does not apply
// `--import tsx` loader hooks inside worker threads, so a TypeScript entry module (workerData.entry)
// is loaded through tsx's API; a compiled build's .js entry is imported directly.
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (new URL(entry).pathname.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entry, import.meta.url);
} else {
  await import(entry);
}
