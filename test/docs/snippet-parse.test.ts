/** The Markdown reader of the documented-commands test: what counts as a block, and what runs. */
import { describe, expect, it } from 'vitest';
import { codeBlocks, failureInOutput, runnableSnippets } from '../helpers/snippets.js';

const DOC = [
  '# Title',
  '```sh norun',
  'npm start',
  '```',
  'text',
  '```sh',
  'echo one',
  '```',
  '````markdown',
  '```sh',
  'echo nested, not a block of its own',
  '```',
  '````',
  '   ~~~python',
  'print(2)',
  '   ~~~',
  '```',
  'unlabelled',
  '```',
  '```json',
  '{"a": 1}',
  '```',
].join('\n');

describe('codeBlocks', () => {
  it('finds every fenced block with its line and info string, nested fences kept as text', () => {
    const blocks = codeBlocks('x.md', DOC);
    expect(blocks.map((b) => [b.line, b.info])).toEqual([
      [2, 'sh norun'],
      [6, 'sh'],
      [9, 'markdown'],
      [14, 'python'],
      [17, ''],
      [20, 'json'],
    ]);
    expect(blocks[2]!.code).toBe('```sh\necho nested, not a block of its own\n```');
  });

  it('runs shell and Python blocks unless they say norun', () => {
    const run = runnableSnippets(codeBlocks('x.md', DOC));
    expect(run.map((s) => [s.line, s.language, s.code])).toEqual([
      [6, 'sh', 'echo one'],
      [14, 'python', 'print(2)'],
    ]);
  });
});

describe('failureInOutput', () => {
  it('catches API error bodies, tracebacks and curl errors, and nothing else', () => {
    expect(failureInOutput('{"code":4001030104,"error":"BAD_REQUEST","message":"Invalid request"}')).not.toBeNull();
    expect(failureInOutput('ok\nTraceback (most recent call last):\n  File')).toBe('Traceback (most recent call last):');
    expect(failureInOutput('curl: (22) The requested URL returned error: 404')).not.toBeNull();
    expect(failureInOutput('{"model_id": 3, "code": 12}\nmetrics.csv')).toBeNull();
  });
});
