/**
 * Rate-limit counters shared by every machine of a scale-out deployment: one row per key in
 * PostgreSQL, a fixed window per key, counted by one upsert per request (no lock held between
 * requests), on the database's clock so that machines whose clocks differ still share one window.
 * Without it each machine would count its own share, and N machines would allow N × the limit.
 *
 * The table lives in the deployment's schema and is created here (under an advisory lock, since
 * many machines start at once) rather than in the schema migrations: it holds only counters that
 * may be lost at any time, and embedded servers never need it.
 */
import pg from 'pg';
import { checkSchemaName } from './database.js';

/** Second half of the advisory lock key ("rlim"), with the schema hash as in database.ts. */
const CREATE_LOCK_NAMESPACE = 0x726c696d;
/** Every this many hits, windows that ended more than an hour ago are deleted (keys of gone clients). */
const SWEEP_EVERY_HITS = 10_000;
const SWEEP_AGE_MS = 3_600_000;

const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

const HIT = `
INSERT INTO rate_limit_windows AS w (key, window_start_ms, hits)
VALUES ($1, ${NOW_MS}, 1)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN w.window_start_ms + $2 <= ${NOW_MS} THEN 1 ELSE w.hits + 1 END,
  window_start_ms = CASE WHEN w.window_start_ms + $2 <= ${NOW_MS} THEN ${NOW_MS} ELSE w.window_start_ms END
RETURNING hits, window_start_ms + $2 - ${NOW_MS} AS ms_left`;

export interface PgRateLimitOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** Connections of this pool (the counters' own, apart from the metadata store's); default 4. */
  readonly poolSize?: number;
}

export class PgRateLimitCounters {
  readonly #pool: pg.Pool;
  #hits = 0;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Opens the pool and creates the table if missing. */
  static async open(opts: PgRateLimitOptions): Promise<PgRateLimitCounters> {
    const schema = checkSchemaName(opts.schema);
    const pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.poolSize ?? 4, options: `-c search_path=${schema}` });
    pool.on('error', () => undefined);
    const client = await pool.connect().catch(async (err: unknown) => {
      await pool.end();
      throw err;
    });
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CREATE_LOCK_NAMESPACE, schema]);
      await client.query(`CREATE TABLE IF NOT EXISTS rate_limit_windows (key text PRIMARY KEY, window_start_ms bigint NOT NULL, hits integer NOT NULL)`);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      await pool.end();
      throw err;
    }
    client.release();
    return new PgRateLimitCounters(pool);
  }

  /** Counts one request of `key` in its window of `windowMs`: the hits so far in it and the ms left. */
  async hit(key: string, windowMs: number): Promise<{ count: number; msLeft: number }> {
    const r = await this.#pool.query<{ hits: number; ms_left: string }>(HIT, [key, windowMs]);
    if (++this.#hits % SWEEP_EVERY_HITS === 0) {
      void this.#pool.query(`DELETE FROM rate_limit_windows WHERE window_start_ms < ${NOW_MS} - $1`, [SWEEP_AGE_MS]).catch(() => undefined);
    }
    const row = r.rows[0]!;
    return { count: row.hits, msLeft: Math.max(0, Number(row.ms_left)) };
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
