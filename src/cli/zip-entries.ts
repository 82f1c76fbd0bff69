/** The files of a small zip held in memory (result, batch and retrain zips), by name. */
import { parse } from 'csv-parse/sync';
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

export interface MetricsTable {
  /** `metric,value` for a model; `scope,metric,value,seasonal_naive` for a forecaster. */
  readonly header: string[];
  readonly rows: string[][];
  /** The headline numbers: every row of a `metric,value` file, the `all` scope of a forecaster's. */
  readonly headline: Record<string, number | string>;
}

/** A result zip's metrics.csv (BOM dropped; cells may be quoted). */
export function metricsTable(csv: string): MetricsTable {
  const [header = [], ...rows] = parse(csv.replace(/^\uFEFF/, ''), { relaxColumnCount: true, skipEmptyLines: true }) as string[][];
  const metric = header.indexOf('metric');
  const value = header.indexOf('value');
  const scope = header.indexOf('scope');
  const headline: Record<string, number | string> = {};
  for (const r of rows) {
    if (scope >= 0 && r[scope] !== 'all') continue;
    const name = r[metric] ?? '';
    const v = r[value] ?? '';
    headline[name] = v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return { header, rows, headline };
}
