/**
 * Source-IP rules of a classifier: CIDR parsing (IPv4, IPv6, IPv4-mapped IPv6; the addresses are
 * read by ipaddr.js), rule validation, and the per-request check `isAllowed` (DESIGN row 21: lower
 * `priority` first, first match decides; no rules = allow all; rules but no match = deny).
 *
 * Addresses are held as four 32-bit words (IPv4 uses word 0 only), so a match is at most four
 * masked compares. Rules are compiled once per rule set and cached by array identity.
 */
import ipaddr from 'ipaddr.js';
import { AppError } from '../domain/errors.js';
import type { IpRule, RuleOrder } from '../domain/records.js';

export type { IpRule, RuleOrder };

export type IpFamily = 4 | 6;

/** A parsed address: IPv4 in `words[0]`; IPv6 as four big-endian 32-bit words. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly words: readonly [number, number, number, number];
}

export interface Cidr extends IpAddress {
  /** 0..32 (IPv4) or 0..128 (IPv6). */
  readonly prefix: number;
}

/** Most rules one classifier may carry: enough for any allow list, small enough to scan per request. */
export const MAX_RULES = 100;

/** Priorities are stored as 32-bit signed integers. */
const PRIORITY_MIN = -2147483648;
const PRIORITY_MAX = 2147483647;

const PREFIX_DIGITS = /^(?:0|[1-9]\d{0,2})$/;

/** Strict dotted quad: four decimal parts, no leading zeros (some parsers read "010" as octal 8). */
function isDottedQuad(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** The address as one unsigned 32-bit number (big-endian octets). */
function ipv4Word(text: string): number {
  return ipaddr.IPv4.parse(text).octets.reduce((word, octet) => word * 256 + octet, 0);
}

/**
 * The four big-endian 32-bit words of an IPv6 address (zone id dropped), or null. ipaddr.js reads an IPv4
 * tail loosely (octal and hex parts) and turns `::a.b.c.d` into `::ffff:a.b.c.d`, so the tail is
 * checked as a strict dotted quad and written as two hex groups first.
 */
function ipv6Words(text: string): [number, number, number, number] | null {
  const zoneAt = text.indexOf('%');
  let bare = zoneAt >= 0 ? text.slice(0, zoneAt) : text;
  const lastColon = bare.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (bare.includes('.', lastColon)) {
    const tail = bare.slice(lastColon + 1);
    if (!isDottedQuad(tail)) return null;
    const word = ipv4Word(tail);
    bare = `${bare.slice(0, lastColon + 1)}${(word >>> 16).toString(16)}:${(word & 0xffff).toString(16)}`;
  }
  if (!ipaddr.IPv6.isValid(bare)) return null;
  const bytes = new DataView(Uint8Array.from(ipaddr.IPv6.parse(bare).toByteArray()).buffer);
  return [bytes.getUint32(0), bytes.getUint32(4), bytes.getUint32(8), bytes.getUint32(12)];
}

/**
 * Parse an address as Node reports it (`request.socket.remoteAddress`). IPv4-mapped IPv6
 * (`::ffff:203.0.113.7`, also in hex form) becomes IPv4, so rules written for IPv4 apply to
 * clients of a dual-stack listener. A zone id (`fe80::1%eth0`) is dropped. Null when unparsable.
 * @example parseIp('::ffff:10.0.0.1') // → { family: 4, words: [167772161, 0, 0, 0] }
 */
export function parseIp(text: string): IpAddress | null {
  if (isDottedQuad(text)) return { family: 4, words: [ipv4Word(text), 0, 0, 0] };
  const words = ipv6Words(text);
  if (words === null) return null;
  const [w0, w1, w2, w3] = words;
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return { family: 4, words: [w3, 0, 0, 0] };
  return { family: 6, words };
}

/** Mask of word `wordIdx` for a prefix length, as an unsigned 32-bit number. */
function wordMask(prefix: number, wordIdx: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * wordIdx));
  return bits === 0 ? 0 : bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

/** Why `text` is not a CIDR, or null when it is one. */
function cidrProblem(text: string): string | null {
  const slash = text.indexOf('/');
  if (slash < 0) return 'is not in CIDR notation (address/prefix, e.g. "203.0.113.0/24")';
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (addressText.includes('%')) return 'must not contain a zone id';
  const address = parseIp(addressText);
  if (address === null) return `has an invalid address "${addressText}"`;
  // An IPv4-mapped IPv6 network (::ffff:a.b.c.d/n) is accepted and read as IPv4 /(n - 96).
  const isMapped = address.family === 4 && !isDottedQuad(addressText);
  const maxPrefix = address.family === 4 && !isMapped ? 32 : 128;
  if (!PREFIX_DIGITS.test(prefixText) || Number(prefixText) > maxPrefix) {
    return `has an invalid prefix length "${prefixText}" (0..${maxPrefix})`;
  }
  if (isMapped && Number(prefixText) < 96) return `has an invalid prefix length "${prefixText}" for an IPv4-mapped address (96..128)`;
  return null;
}

/**
 * Parse CIDR notation (`203.0.113.0/24`, `2001:db8::/32`, `::ffff:10.0.0.0/104`). Host bits must
 * be zero. Null when invalid; `describeCidrProblem` says why.
 * @example parseCidr('10.0.0.0/8') // → { family: 4, words: [167772160, 0, 0, 0], prefix: 8 }
 */
export function parseCidr(text: string): Cidr | null {
  const cidr = readCidr(text);
  return cidr === null || hasHostBits(cidr) ? null : cidr;
}

/** Why `text` is not an acceptable rule source, or null when it is. */
export function describeCidrProblem(text: string): string | null {
  const problem = cidrProblem(text);
  if (problem !== null) return problem;
  const cidr = readCidr(text);
  if (cidr === null || !hasHostBits(cidr)) return null;
  return `has host bits set; the network is "${formatNetwork(cidr)}/${cidr.prefix}"`;
}

/** The address and prefix of a well-formed CIDR (host bits not checked), or null. */
function readCidr(text: string): Cidr | null {
  if (cidrProblem(text) !== null) return null;
  const slash = text.indexOf('/');
  const addressText = text.slice(0, slash);
  const address = parseIp(addressText);
  if (address === null) return null;
  const written = Number(text.slice(slash + 1));
  const prefix = address.family === 4 && !isDottedQuad(addressText) ? written - 96 : written;
  return { family: address.family, words: address.words, prefix };
}

function hasHostBits(cidr: Cidr): boolean {
  return cidr.words.some((word, i) => (word & ~wordMask(cidr.prefix, i)) >>> 0 !== 0);
}

function formatNetwork(cidr: Cidr): string {
  if (cidr.family === 4) {
    const word = (cidr.words[0] & wordMask(cidr.prefix, 0)) >>> 0;
    return [word >>> 24, (word >>> 16) & 255, (word >>> 8) & 255, word & 255].join('.');
  }
  const words = cidr.words.map((word, i) => (word & wordMask(cidr.prefix, i)) >>> 0);
  return words.flatMap((word) => [(word >>> 16).toString(16), (word & 0xffff).toString(16)]).join(':');
}

/** A rule field that failed validation (INVALID_BODY); `field` is a JSON path such as `rules[2].source`. */
function ruleError(field: string, message: string): AppError {
  return new AppError('INVALID_BODY', `${field}: ${message}`);
}

/**
 * Validate the `rules` value of a Create/Update Classifier body. Unknown keys inside a rule are
 * ignored; everything else must be exact. Throws AppError INVALID_BODY naming the first bad field.
 * @example validateRules([{ source: '0.0.0.0/0', order: 'allow', priority: 0 }]) // → the same rules
 */
export function validateRules(input: unknown, field = 'rules'): IpRule[] {
  if (!Array.isArray(input)) throw ruleError(field, 'must be an array of {source, order, priority}');
  if (input.length > MAX_RULES) throw ruleError(field, `has ${input.length} rules; at most ${MAX_RULES} are allowed`);
  const rules: IpRule[] = [];
  for (let i = 0; i < input.length; i++) {
    const at = `${field}[${i}]`;
    const item: unknown = input[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw ruleError(at, 'must be an object {source, order, priority}');
    const { source, order, priority } = item as Record<string, unknown>;
    if (typeof source !== 'string') throw ruleError(`${at}.source`, `must be a string in CIDR notation, got ${describe(source)}`);
    const problem = describeCidrProblem(source);
    if (problem !== null) throw ruleError(`${at}.source`, `"${source}" ${problem}`);
    if (order !== 'allow' && order !== 'deny') throw ruleError(`${at}.order`, `must be "allow" or "deny", got ${describe(order)}`);
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      throw ruleError(`${at}.priority`, `must be an integer between ${PRIORITY_MIN} and ${PRIORITY_MAX}, got ${describe(priority)}`);
    }
    rules.push({ source, order, priority });
  }
  return rules;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * Rules in evaluation order with their networks as masked words.
 * Layout per rule r (stride 9 in `data`): [family, w0, w1, w2, w3, m0, m1, m2, m3];
 * `isAllow[r]` = 1 for allow; a /0 rule has family 0 and matches every address of either family.
 */
export interface CompiledRules {
  readonly nRules: number;
  readonly data: Uint32Array;
  readonly isAllow: Uint8Array;
}

const STRIDE = 9;
const compiledCache = new WeakMap<readonly IpRule[], CompiledRules>();

/**
 * Sort and compile validated rules. Order: lower `priority` first; at equal priority `deny`
 * before `allow` (so the outcome never depends on the order rules were listed in); then list order.
 * Throws AppError INVALID_BODY for a source that is not a valid CIDR (rules should be validated on write).
 */
export function compileRules(rules: readonly IpRule[]): CompiledRules {
  const ordered = rules
    .map((rule, listIdx) => ({ rule, listIdx }))
    .sort((a, b) => {
      if (a.rule.priority !== b.rule.priority) return a.rule.priority - b.rule.priority;
      if (a.rule.order !== b.rule.order) return a.rule.order === 'deny' ? -1 : 1;
      return a.listIdx - b.listIdx;
    });
  const data = new Uint32Array(rules.length * STRIDE);
  const isAllow = new Uint8Array(rules.length);
  ordered.forEach(({ rule, listIdx }, r) => {
    const cidr = parseCidr(rule.source);
    if (cidr === null) throw ruleError(`rules[${listIdx}].source`, `"${rule.source}" is not a valid CIDR`);
    const base = r * STRIDE;
    // "0.0.0.0/0 allows every address" (spec §2.10): a written /0 of either family matches both
    // families. (::ffff:0:0/96 becomes IPv4 /0 but still matches IPv4 only.)
    data[base] = rule.source.endsWith('/0') ? 0 : cidr.family;
    cidr.words.forEach((word, i) => {
      data[base + 1 + i] = word;
      data[base + 5 + i] = wordMask(cidr.prefix, i);
    });
    isAllow[r] = rule.order === 'allow' ? 1 : 0;
  });
  return { nRules: rules.length, data, isAllow };
}

/**
 * Whether a client address may call the classifier. `rules` may be compiled or raw (raw arrays are
 * compiled once and cached by identity, so pass the same array object on every request).
 * An unparsable address is denied unless there are no rules.
 * @example isAllowed([{ source: '10.0.0.0/8', order: 'allow', priority: 0 }], '::ffff:10.1.2.3') // → true
 */
export function isAllowed(rules: CompiledRules | readonly IpRule[], ip: string): boolean {
  let compiled: CompiledRules;
  if (isCompiled(rules)) {
    compiled = rules;
  } else {
    let cached = compiledCache.get(rules);
    if (cached === undefined) {
      cached = compileRules(rules);
      compiledCache.set(rules, cached);
    }
    compiled = cached;
  }
  const nRules = compiled.nRules;
  if (nRules === 0) return true;
  const address = parseIp(ip);
  if (address === null) return false;
  const family = address.family;
  const w = address.words;
  const data = compiled.data;
  for (let r = 0; r < nRules; r++) {
    const base = r * STRIDE;
    const ruleFamily = data[base]!;
    if (ruleFamily !== 0) {
      if (ruleFamily !== family) continue;
      if ((w[0] & data[base + 5]!) >>> 0 !== data[base + 1]) continue;
      if (family === 6) {
        if ((w[1] & data[base + 6]!) >>> 0 !== data[base + 2]) continue;
        if ((w[2] & data[base + 7]!) >>> 0 !== data[base + 3]) continue;
        if ((w[3] & data[base + 8]!) >>> 0 !== data[base + 4]) continue;
      }
    }
    return compiled.isAllow[r] === 1;
  }
  return false;
}

function isCompiled(rules: CompiledRules | readonly IpRule[]): rules is CompiledRules {
  return !Array.isArray(rules);
}

/**
 * Whether two rule lists hold the same rules, in any order (what GET would show is the same set).
 * Lets an update that resends the current rules pass the `is_editable` lock.
 */
export function sameRules(a: readonly IpRule[], b: readonly IpRule[]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: IpRule): string => `${r.priority}|${r.order}|${r.source}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.every((k, i) => k === y[i]);
}
