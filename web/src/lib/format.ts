/**
 * How numbers and dates read everywhere in the UI: 4 significant digits like the report
 * (`0.07499999999999996` → `0.075`), whole numbers from 1,000 up with thousands separators,
 * probabilities and rates as a percentage with one decimal where a share is meant.
 */

/** A number → 4 significant digits; from 1,000 up, rounded to a whole number with separators. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}

/** A numeric text (a CSV cell) as `fmt` shows it; other text unchanged. */
export function fmtText(text: string): string {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !/^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(text.trim())) return text;
  return fmt(n);
}

/** 0.8234 → `82.3%`. */
export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

/** `2026-03-01T00:00:00.000Z` → `2026-03-01 00:00 UTC`. */
export function shortDate(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

/** Seconds since the epoch → `YYYY-MM-DD` (UTC), with the time when it is not midnight. */
export function epochDate(sec: number): string {
  const iso = new Date(sec * 1000).toISOString();
  return sec % 86400 === 0 ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/** Bytes → `12.3 MB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}
