/** The CLI entry: usage errors and the gbdt dispatch (secret-key create is covered end to end). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/server-process.js';

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: '/nonexistent-yosoku' },
  });
}

describe('cli', () => {
  it('prints usage and exits 2 on a bad command', () => {
    const r = cli('secret-key', 'create');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cli secret-key create --user NAME');
    expect(r.stdout).toBe('');
  });

  it('hands `gbdt ...` to the GBDT command line', () => {
    const r = cli('gbdt');
    expect(r.stderr).toContain('gbdt train --data TRAIN.csv');
  });
});
