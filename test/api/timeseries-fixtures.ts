/** Deterministic time-series CSVs for the time-series API tests. */

export interface SeriesCsvOptions {
  /** Periods per series. */
  readonly n: number;
  /** Series values; without, one series and no `store` column. */
  readonly stores?: readonly string[];
  /** Days between rows (1 = daily). */
  readonly stepDays?: number;
  /** Edits the rows (date, [store], temp, promo, sales) before they are written. */
  readonly edit?: (rows: string[][]) => void;
}

function isoDay(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/** date,[store,]temp,promo,sales — a weekly pattern plus a promo effect, no noise. */
export function seriesCsv(o: SeriesCsvOptions): string {
  const start = Date.UTC(2024, 0, 1) / 86_400_000;
  const rows: string[][] = [];
  for (const [s, store] of (o.stores ?? [null]).entries()) {
    for (let i = 0; i < o.n; i++) {
      const day = start + i * (o.stepDays ?? 1);
      const temp = 10 + ((i * 7) % 15);
      const promo = i % 5 === 0 ? 1 : 0;
      const sales = 100 + 10 * s + [0, 5, 10, 8, 3, 20, 25][i % 7]! + 15 * promo;
      rows.push(store === null ? [isoDay(day), String(temp), String(promo), String(sales)] : [isoDay(day), store, String(temp), String(promo), String(sales)]);
    }
  }
  o.edit?.(rows);
  const header = o.stores === undefined ? 'date,temp,promo,sales' : 'date,store,temp,promo,sales';
  return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** The base time-series config of these tests (daily, horizon 1–3). */
export const TS_CONFIG = { tc: 'sales', tt: 'regression', tsm: true, tsc: 'date', tsf: 1, tst: 3 } as const;
