/**
 * What the shared kysely repositories cannot write the same way on both databases. Everything
 * else (RETURNING, ON CONFLICT, JSON and timestamps as TEXT, booleans as 0/1) is written once.
 */
export interface DialectHooks {
  /**
   * A column that increases with insertion, to break ties between rows created in the same
   * millisecond when listing newest first: SQLite's implicit `rowid`; on PostgreSQL an identity
   * column the migration adds for that purpose (ctid is not stable across updates).
   */
  readonly insertionOrder: string;
}

export const sqliteHooks: DialectHooks = { insertionOrder: 'rowid' };
export const postgresHooks: DialectHooks = { insertionOrder: 'seq' };
