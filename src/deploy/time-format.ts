/**
 * Epoch seconds (wall-clock time read as UTC) → text in one of the date formats of spec §8
 * (formats/dates.ts names them), so a forecast's times read like the training file's time column.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * @example formatTime(1546646400, 'yyyy-MM-dd') // → '2019-01-05'
 * @example formatTime(1546646400, 'M/d/yyyy') // → '1/5/2019'
 */
export function formatTime(epochSeconds: number, format: string): string {
  const d = new Date(epochSeconds * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  if (format === 'mmm-yy') return `${MONTHS[m - 1]}-${pad(y % 100, 2)}`;
  if (format === '') return d.toISOString().slice(0, 19).replace('T', ' ');
  const parts: Record<string, string> = {
    yyyy: String(y),
    MM: pad(m, 2),
    M: String(m),
    dd: pad(d.getUTCDate(), 2),
    d: String(d.getUTCDate()),
    HH: pad(d.getUTCHours(), 2),
    H: String(d.getUTCHours()),
    mm: pad(d.getUTCMinutes(), 2),
    ss: pad(d.getUTCSeconds(), 2),
  };
  return format.replace(/yyyy|MM|M|dd|d|HH|H|mm|ss/g, (token) => parts[token]!);
}
