// Entry point of a parallel-training worker thread. Node 20 does not apply `--import tsx` loader hooks inside
// worker threads, so a TypeScript worker module is loaded through tsx's API instead.
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (entry.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entry, import.meta.url);
} else {
  await import(entry);
}
