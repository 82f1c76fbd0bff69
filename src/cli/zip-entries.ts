/** The files of a small zip held in memory (result, batch and retrain zips), by name. */
import yauzl from 'yauzl';

export async function zipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of file.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const chunks: Buffer[] = [];
    for await (const c of await file.openReadStreamPromise(entry)) chunks.push(c as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

/** `metric,value` rows of a metrics.csv (BOM and header dropped). */
export function metricRows(csv: string): [string, string][] {
  return csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const at = l.indexOf(',');
      return [l.slice(0, at), l.slice(at + 1)] as [string, string];
    });
}
