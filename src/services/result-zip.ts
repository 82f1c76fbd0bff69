/** Writes a training's result files (DESIGN §1 row 6) into a zip file with yazl, streamed to disk. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ResultFile } from '../automl/types.js';

/** Fixed entry time, so the same result files give the same zip bytes. */
const ENTRY_TIME = new Date(Date.UTC(2000, 0, 1));

/** @example await writeResultZip([{ name: 'metrics.csv', content: 'metric,value\n' }], '/tmp/result.zip') */
export async function writeResultZip(files: readonly ResultFile[], destPath: string): Promise<void> {
  const zip = new ZipFile();
  for (const f of files) {
    const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content);
    zip.addBuffer(bytes, f.name, { mtime: ENTRY_TIME, mode: 0o100644 });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(destPath));
}
