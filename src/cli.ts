/**
 * The command line: `npx yosoku <command>` (bin/yosoku.js) or `npm run --silent cli -- <command>`.
 * Commands and options: src/cli/program.ts, `--help` on each. The server-side commands use the
 * same store as the server (DATA_DIR, or DATABASE_URL + S3) and may run while it does.
 */
import { runCli } from './cli/program.js';

// exitCode, not exit(): output to a pipe is written asynchronously and exit() could cut it off.
runCli(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
