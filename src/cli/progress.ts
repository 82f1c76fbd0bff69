/**
 * Progress bars (cli-progress) on stderr, so stdout stays the command's result. Without a
 * terminal (CI, pipes) or with --json, nothing is drawn.
 */
import cliProgress from 'cli-progress';

export interface Bar {
  update(value: number, total?: number): void;
  stop(): void;
}

const NO_BAR: Bar = { update: () => undefined, stop: () => undefined };

/** `label` [██████░░░░] 42% | 12.3/29.0 MB */
export function bytesBar(label: string, enabled: boolean): Bar {
  if (!enabled || process.stderr.isTTY !== true) return NO_BAR;
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(10)} [{bar}] {percentage}% | {sentMb}/{totalMb} MB`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1e6).toFixed(1);
  let total = -1;
  return {
    update(value, newTotal) {
      if (total < 0) bar.start((total = newTotal ?? 0), 0, { sentMb: mb(0), totalMb: mb(total) });
      bar.update(value, { sentMb: mb(value), totalMb: mb(total) });
    },
    stop: () => (total < 0 ? undefined : bar.stop()),
  };
}

/** A percent bar whose payload shows a status word (waiting, running …). */
export function statusBar(label: string, enabled: boolean): { update(percent: number, status: string): void; stop(): void } {
  if (!enabled || process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(10)} [{bar}] {percentage}% | {status}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { status: 'waiting' });
  return { update: (p, status) => bar.update(p, { status }), stop: () => bar.stop() };
}
