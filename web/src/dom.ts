/**
 * DOM helpers. Everything user- or server-provided goes in through `textContent` or attribute
 * values (never innerHTML), so rendering is escaped by construction.
 */
export type Child = Node | string | number | null | undefined | false;

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

/** `h('td', {class: 'x'}, 'text', child)`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Replaces the element's content. */
export function show(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A table from a header row and body rows; numeric cells are right-aligned. */
export function table(head: Child[], rows: Child[][], attrs: Record<string, string> = {}): HTMLTableElement {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', typeof c === 'number' ? { class: 'num-cell' } : {}, c))))),
  );
}

/** A link that saves `bytes` as a file. */
export function downloadLink(label: Child, fileName: string, bytes: Uint8Array, type: string): HTMLAnchorElement {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  return h('a', { href: url, download: fileName }, label);
}

/** A numeric text → 4 significant digits (`0.07499999999999996` → `0.075`; 1 decimal from 1000 up); other text as is. */
export function shortNumber(text: string): string {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || Number.isInteger(n)) return text;
  return Math.abs(n) >= 1000 ? n.toFixed(1) : String(Number(n.toPrecision(4)));
}

/** `2026-03-01T00:00:00.000Z` → `2026-03-01 00:00:00 UTC`. */
export function shortDate(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}
