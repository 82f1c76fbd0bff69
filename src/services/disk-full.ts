/** A full disk, told apart from other storage failures: the user gets a clear answer, nothing is stored. */

/** ENOSPC / EDQUOT: the disk (or the service's quota on it) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
