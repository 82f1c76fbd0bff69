/**
 * The string catalogues of the result files: every sentence a user reads in the report and its
 * warnings, once per language (ja.ts, en.ts), behind one interface so that a missing translation
 * is a type error. `both` picks the same entry from each catalogue for the bilingual report.
 */
import type { DropReason } from '../encoders/index.js';
import type { Bilingual, Catalogue } from './catalogue-types.js';
import { en } from './en.js';
import { ja } from './ja.js';

export type { Bilingual, Catalogue } from './catalogue-types.js';

export const CATALOGUES: Readonly<Record<keyof Bilingual, Catalogue>> = { ja, en };

/** The same entry of every catalogue. */
export function both(pick: (c: Catalogue) => string): Bilingual {
  return { ja: pick(ja), en: pick(en) };
}

export function metricLabel(name: string): Bilingual {
  return both((c) => c.metric[name] ?? name);
}

export function dropReasonLabel(reason: string): Bilingual {
  return both((c) => c.dropReason[reason as DropReason] ?? reason);
}
