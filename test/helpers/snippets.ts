/**
 * Code blocks of the project's Markdown, for the test that runs every documented command
 * (test/docs/snippets.test.ts). The convention, also written in docs/architecture.md:
 * - every fenced block names its language (```sh, ```json, ```text …), so no command hides in an
 *   unlabelled block;
 * - ```sh / ```bash / ```shell and ```python blocks are run, in file order, against a started server;
 * - a block that is not meant to be run (it starts the server, runs the test suite, takes an hour,
 *   or needs a machine we do not have) says so after the language: ```sh norun.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type SnippetLanguage = 'sh' | 'python';

export interface CodeBlock {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string after the fence, e.g. `sh norun`; '' for an unlabelled block. */
  readonly info: string;
  readonly code: string;
}

export interface Snippet extends CodeBlock {
  readonly language: SnippetLanguage;
}

const RUNNABLE: Readonly<Record<string, SnippetLanguage>> = { sh: 'sh', bash: 'sh', shell: 'sh', python: 'python', py: 'python' };

/** Every fenced block of a Markdown text (``` or ~~~ fences, nested deeper fences kept as text). */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).exec(lines[j]!);
      if (close !== null) break;
      body.push(lines[j]!);
    }
    blocks.push({ file, line: i + 1, info: open[3]!.trim(), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The blocks to run: shell and Python blocks not marked `norun`. */
export function runnableSnippets(blocks: readonly CodeBlock[]): Snippet[] {
  return blocks.flatMap((b) => {
    const [lang = '', ...flags] = b.info.split(/\s+/);
    const language = RUNNABLE[lang];
    if (language === undefined || flags.includes('norun')) return [];
    return [{ ...b, language }];
  });
}

/** README.md and every docs/*.md, relative to `root`, in a stable order. */
export function documentedFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

export function readBlocks(root: string, file: string): CodeBlock[] {
  return codeBlocks(file, readFileSync(join(root, file), 'utf8'));
}

/**
 * What in a snippet's output says it failed although it exited 0: an API error body, a Python
 * traceback, or curl's own error line. Returns the offending line, or null.
 */
export function failureInOutput(output: string): string | null {
  for (const line of output.split('\n')) {
    if (/"code"\s*:\s*[45]\d{9}\b/.test(line)) return line;
    if (/^Traceback \(most recent call last\)/.test(line)) return line;
    if (/^curl: \(\d+\)/.test(line)) return line;
  }
  return null;
}
