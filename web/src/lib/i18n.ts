/**
 * Japanese / English. `t(key)` reads the current language; `setLang` changes it and tells the
 * subscribers (the app re-renders everything). Keys with `{name}` placeholders take params.
 * The dictionary lives in messages.ts (ui text) and errors.ts (API error explanations).
 */
import { MESSAGES } from './messages.js';

export type Lang = 'ja' | 'en';

const LANG_KEY = 'yosoku.lang';
let lang: Lang = readLang();
const listeners = new Set<() => void>();

function readLang(): Lang {
  try {
    return globalThis.sessionStorage?.getItem(LANG_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  globalThis.sessionStorage?.setItem(LANG_KEY, next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function hasText(key: string): boolean {
  return MESSAGES[key] !== undefined;
}

/** `t('home.models')`, `t('guess.binary', {n: 2})`; an unknown key is returned as is. */
export function t(key: string, params: Readonly<Record<string, string | number>> = {}): string {
  const entry = MESSAGES[key];
  const text = entry === undefined ? key : lang === 'ja' ? entry[0] : entry[1];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] === undefined ? m : String(params[name])));
}
