/** Small building blocks every view uses: errors, tables, tabs, progress, async state. */
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, UiError } from '../lib/api.js';
import { explain } from '../lib/errors.js';
import { currentLang, t } from '../lib/i18n.js';

/**
 * An error in the UI's language: what it means, then the API's code and name and the server's
 * own text (`4001000331 MALFORMED_FILE` + message), so nothing the server said is lost.
 */
export function ErrorBox({ error, id }: { error: unknown; id?: string }): JSX.Element | null {
  if (error === null || error === undefined) return <div id={id} class="error" role="alert" hidden />;
  let body: ComponentChildren;
  if (error instanceof ApiError) {
    const text = explain(error.error, error.message);
    const ours = text === null ? t('error.generic', { status: error.status }) : currentLang() === 'ja' ? text[0] : text[1];
    body = (
      <>
        <p class="error-text">{ours}</p>
        <p class="error-server">
          <code>{`${error.code ?? error.status} ${error.error}`}</code>
          {error.message !== '' ? (
            <>
              {' '}
              <span class="server-label">{t('error.server')}</span> <span class="server-message">{error.message}</span>
            </>
          ) : null}
        </p>
      </>
    );
  } else if (error instanceof UiError) {
    body = <p class="error-text">{t(error.key, error.params)}</p>;
  } else {
    body = <p class="error-text">{error instanceof Error ? error.message : String(error)}</p>;
  }
  return (
    <div id={id} class="error" role="alert">
      {body}
    </div>
  );
}

/**
 * A table from header cells and body rows; numeric cells right-aligned. `stack`: on a phone each
 * row becomes a card of "label: value" lines (the labels are the text headers).
 */
export function Table({
  head,
  rows,
  id,
  rowAttrs,
  stack = false,
}: {
  head: readonly ComponentChildren[];
  rows: readonly (readonly ComponentChildren[])[];
  id?: string;
  rowAttrs?: (i: number) => Record<string, string>;
  stack?: boolean;
}): JSX.Element {
  const labels = head.map((c) => (typeof c === 'string' ? c : ''));
  return (
    <div class="scroll">
      <table id={id} class={stack ? 'stack' : undefined}>
        <thead>
          <tr>
            {head.map((c, i) => (
              <th key={i}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} {...(rowAttrs?.(i) ?? {})}>
              {r.map((c, j) => (
                <td key={j} class={typeof c === 'number' ? 'num-cell' : undefined} data-label={stack && labels[j] !== '' ? labels[j] : undefined}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface TabDef {
  readonly id: string;
  readonly label: string;
}

export function Tabs({ tabs, current, onChange }: { tabs: readonly TabDef[]; current: string; onChange: (id: string) => void }): JSX.Element {
  return (
    <div class="tabs" role="tablist">
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === current}
          class={tab.id === current ? 'tab current' : 'tab'}
          onClick={() => onChange(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function Progress({ value, max = 1 }: { value: number; max?: number }): JSX.Element {
  return <progress max={max} value={value} />;
}

/** A status word in its colour: finished / failed / running… */
export function State({ state, children }: { state: string; children: ComponentChildren }): JSX.Element {
  return (
    <span class={`state state-${state}`} data-state={state}>
      {children}
    </span>
  );
}

/**
 * Runs `load` when `deps` change and keeps its result, error and a `reload`. A result from an
 * older run is dropped (a newer one is on its way).
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    const my = ++run.current;
    setLoading(true);
    load().then(
      (d) => {
        if (my !== run.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (my !== run.current) return;
        setError(err);
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}

/** An action button's state: running (disabled) and the last error. */
export function useAction(): { busy: boolean; error: unknown; run: (f: () => Promise<unknown>) => void; setError: (e: unknown) => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback((f: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    f()
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  }, []);
  return { busy, error, run, setError };
}

/** A link that saves bytes as a file (blob URL, released when the link goes away). */
export function SaveLink({
  bytes,
  name,
  type,
  id,
  children,
}: {
  bytes: Uint8Array;
  name: string;
  type: string;
  id?: string;
  children: ComponentChildren;
}): JSX.Element {
  const [url, setUrl] = useState('');
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [bytes, type]);
  return (
    <a href={url} download={name} id={id}>
      {children}
    </a>
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
