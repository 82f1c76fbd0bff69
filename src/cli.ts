/**
 * `npm run --silent cli -- <command>`:
 *   secret-key create --user NAME   prints {"user_id": "...", "secret_key": "..."} (one JSON line)
 *   gbdt ...                        the GBDT command line (src/cli/gbdt.ts)
 * Uses the same store as the server (DATA_DIR, or DATABASE_URL + S3 in scale-out) and may run
 * while it does (SQLite WAL + busy timeout; PostgreSQL).
 */
import { loadConfig } from './config.js';
import { openRuntime } from './main.js';
import { AuthService } from './services/index.js';

const USAGE = `usage:
  cli secret-key create --user NAME
  cli gbdt ...`;

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function secretKey(argv: readonly string[]): Promise<number> {
  const user = option(argv, '--user');
  if (argv[0] !== 'create' || user === undefined || user === '') {
    console.error(USAGE);
    return 2;
  }
  const { storage, deps } = await openRuntime(loadConfig());
  try {
    const created = await new AuthService(deps).createSecretKey(user);
    // One JSON line, spaced like the documented output (and Python's json.dumps).
    process.stdout.write(`{"user_id": ${JSON.stringify(created.userId)}, "secret_key": ${JSON.stringify(created.secretKey)}}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

async function run(argv: readonly string[]): Promise<number> {
  switch (argv[0]) {
    case 'secret-key':
      return secretKey(argv.slice(1));
    case 'gbdt': {
      const { runGbdtCli } = await import('./cli/gbdt.js');
      return runGbdtCli(argv.slice(1));
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

// exitCode, not exit(): output to a pipe is written asynchronously and exit() could cut it off.
run(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
