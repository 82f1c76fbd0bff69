/** What the services report for metrics (observability/metrics.ts implements it; tests may leave it out). */
export interface ServiceMetrics {
  /** A training finished on a file of `rows` data rows. */
  rowsTrained(task: string, rows: number): void;
  /** Rows predicted and rows refused (invalid) by one inference request or batch prediction. */
  rowsPredicted(source: 'inference' | 'batch', rows: number, invalid: number): void;
}
