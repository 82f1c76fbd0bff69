/**
 * Every documented command is a test (issue 14): each shell and Python block of README.md and
 * docs/*.md that is not marked `norun` runs, in file order, from the repository root, against a
 * server started for this test with a fresh data directory. A block fails if it exits non-zero,
 * prints nothing, or prints an error (an API error body, a traceback, a curl error). The
 * convention is in test/helpers/snippets.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startServer, type ServerProcess } from '../helpers/server-process.js';
import { documentedFiles, failureInOutput, readBlocks, runnableSnippets, type Snippet } from '../helpers/snippets.js';

const PYTHON = '/usr/bin/python3';
const SNIPPET_TIMEOUT_MS = 240_000;

let server: ServerProcess | null = null;
let env: Record<string, string> = {};

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yosoku-docs-'));
  const dataDir = join(dir, 'data');
  // Short searches: the commands are under test here, not the models.
  server = await startServer({ DATA_DIR: dataDir, TRAINING_TIME_BUDGET_SECONDS: '2' });
  const secret = (await readFile(join(dataDir, 'secret-key.txt'), 'utf8')).trim();
  env = {
    P1_HOST: server.url,
    P1_SECRET_KEY: secret,
    P1_POLL_SECONDS: '0.5',
    DATA_DIR: dataDir,
    YOSOKU_URL: server.url,
    YOSOKU_SECRET_KEY: secret,
  };
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(join(REPO_ROOT, 'result.zip'), { force: true }); // what the README's examples save
});

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runSnippet(s: Snippet): Promise<Outcome> {
  const [cmd, args] = s.language === 'sh' ? ['bash', ['-eo', 'pipefail', '-c', s.code]] : [PYTHON, ['-c', s.code]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), SNIPPET_TIMEOUT_MS - 5_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const files = documentedFiles(REPO_ROOT);

describe('documented code blocks', () => {
  it('every fenced block names its language, so no command hides in an unlabelled block', () => {
    const unlabelled = files.flatMap((f) =>
      readBlocks(REPO_ROOT, f)
        .filter((b) => b.info === '')
        .map((b) => `${b.file}:${b.line}`),
    );
    expect(unlabelled).toEqual([]);
  });
});

for (const file of files) {
  const snippets = runnableSnippets(readBlocks(REPO_ROOT, file));
  if (snippets.length === 0) continue;
  describe(file, () => {
    for (const s of snippets) {
      const python = s.language === 'python';
      it.skipIf(python && !existsSync(PYTHON))(
        `the ${s.language} block at line ${s.line} runs and prints its result`,
        async () => {
          const out = await runSnippet(s);
          const shown = `--- ${s.file}:${s.line}\n${s.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
          expect(out.code, shown).toBe(0);
          expect(out.stdout.trim(), `printed nothing\n${shown}`).not.toBe('');
          expect(failureInOutput(out.stdout + '\n' + out.stderr), shown).toBeNull();
        },
        SNIPPET_TIMEOUT_MS,
      );
    }
  });
}
