/** Time as a port, so leases and key expiry are testable without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO 8601 UTC with `Z` and milliseconds (DESIGN.md §1 row 26). */
export function isoUtc(d: Date): string {
  return d.toISOString();
}
