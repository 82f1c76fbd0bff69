/**
 * Loaded into the benchmarked server with NODE_OPTIONS=--import (node refuses --cpu-prof there):
 * profiles the main thread with the inspector from start to exit and writes the V8 CPU profile to
 * $YOSOKU_CPU_PROFILE (open it in Chrome DevTools or speedscope). Bench-only; plain JS so that it
 * loads before tsx.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const path = process.env.YOSOKU_CPU_PROFILE;
if (isMainThread && path) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  // A session on the same thread answers synchronously, so this works in an exit handler.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err === null) writeFileSync(path, JSON.stringify(result.profile));
    });
  });
}
