/** Runs the storage contracts against the embedded implementations (SQLite, filesystem). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../src/storage/blob-fs/index.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { runBlobStoreContract } from '../contract/blob-store.case.js';
import { runDeployReposContract } from '../contract/deploy-repos.case.js';
import { runJobQueueContract } from '../contract/job-queue.case.js';
import { runReposContract } from '../contract/repos.case.js';

function manualClock() {
  let ms = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(ms), advance: (d: number) => void (ms += d), nowMs: () => ms };
}

runReposContract(async () => createSqliteStorage(':memory:', manualClock()));

runDeployReposContract(async () => createSqliteStorage(':memory:', manualClock()));

runJobQueueContract(async () => {
  const clock = manualClock();
  const storage = createSqliteStorage(':memory:', clock);
  return { queue: storage.jobs, advance: clock.advance, nowMs: clock.nowMs };
});

runBlobStoreContract(async () => new FsBlobStore(await mkdtemp(join(tmpdir(), 'yosoku-blobs-'))));
