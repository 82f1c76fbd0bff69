/** Result, batch and retrain zips in tests: their files as UTF-8 text, read by the CLI's zip reader. */
import { zipEntries } from '../../src/cli/zip-entries.js';

export async function zipTexts(zip: Buffer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, bytes] of await zipEntries(zip)) out.set(name, bytes.toString('utf8'));
  return out;
}
