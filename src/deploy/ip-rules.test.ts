import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { compileRules, describeCidrProblem, isAllowed, parseCidr, parseIp, validateRules, type IpRule } from './ip-rules.js';

const allow = (source: string, priority = 0): IpRule => ({ source, order: 'allow', priority });
const deny = (source: string, priority = 0): IpRule => ({ source, order: 'deny', priority });

describe('parseIp', () => {
  it('parses IPv4, IPv6 and IPv4-mapped IPv6 as Node reports them', () => {
    expect(parseIp('203.0.113.7')).toEqual({ family: 4, words: [0xcb007107, 0, 0, 0] });
    expect(parseIp('::ffff:203.0.113.7')).toEqual({ family: 4, words: [0xcb007107, 0, 0, 0] });
    expect(parseIp('::ffff:cb00:7107')).toEqual({ family: 4, words: [0xcb007107, 0, 0, 0] });
    expect(parseIp('::1')).toEqual({ family: 6, words: [0, 0, 0, 1] });
    expect(parseIp('2001:db8::ff00:42:8329')).toEqual({ family: 6, words: [0x20010db8, 0, 0xff00, 0x428329] });
    expect(parseIp('fe80::1%eth0')).toEqual({ family: 6, words: [0xfe800000, 0, 0, 1] });
    expect(parseIp('::')).toEqual({ family: 6, words: [0, 0, 0, 0] });
    expect(parseIp('1:2:3:4:5:6:7::')).toEqual({ family: 6, words: [0x10002, 0x30004, 0x50006, 0x70000] });
    expect(parseIp('1::8')).toEqual({ family: 6, words: [0x10000, 0, 0, 8] });
    expect(parseIp('1:2:3:4:5:6:1.2.3.4')).toEqual({ family: 6, words: [0x10002, 0x30004, 0x50006, 0x01020304] });
    expect(parseIp('::1.2.3.4')).toEqual({ family: 6, words: [0, 0, 0, 0x01020304] });
    expect(parseIp('FFFF::ABCD')).toEqual({ family: 6, words: [0xffff0000, 0, 0, 0xabcd] });
  });

  it('rejects malformed addresses', () => {
    const bads = [
      '',
      '1.2.3',
      '1.2.3.256',
      '01.2.3.4',
      '1.2.3.4.5',
      '1..2.3',
      '.1.2.3',
      'a.b.c.d',
      '1::2::3',
      '12345::',
      ':::',
      ':1::',
      '1:',
      ':',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '1:2:3:4:5:6:7:1.2.3.4',
      '::ffff:1.2.3',
      '1:2:3:4:5:6:7',
      'g::1',
      'localhost',
    ];
    for (const bad of bads) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('reads an IPv4 tail of IPv6 as strictly as a plain IPv4 address, and keeps ::a.b.c.d IPv6', () => {
    for (const bad of ['::ffff:01.2.3.4', '::ffff:0x1.2.3.4', '::ffff:1.2.3.04', '::ffff:1.2.3.4.5', '1.2.3.4::']) expect(parseIp(bad), bad).toBeNull();
    expect(parseIp('::ffff:1.2.3.4%eth0')).toEqual({ family: 4, words: [0x01020304, 0, 0, 0] });
    expect(parseIp('::5.6.7.8')).toEqual({ family: 6, words: [0, 0, 0, 0x05060708] });
  });
});

describe('parseCidr / describeCidrProblem', () => {
  it('parses networks of both families', () => {
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, words: [0, 0, 0, 0], prefix: 0 });
    expect(parseCidr('10.0.0.0/8')?.prefix).toBe(8);
    expect(parseCidr('203.0.113.5/32')?.words[0]).toBe(0xcb007105);
    expect(parseCidr('2001:db8::/32')).toEqual({ family: 6, words: [0x20010db8, 0, 0, 0], prefix: 32 });
    expect(parseCidr('::ffff:10.0.0.0/104')).toEqual({ family: 4, words: [0x0a000000, 0, 0, 0], prefix: 8 });
  });

  it('explains what is wrong', () => {
    expect(describeCidrProblem('10.0.0.0/8')).toBeNull();
    expect(describeCidrProblem('10.0.0.1')).toMatch(/not in CIDR notation/);
    expect(describeCidrProblem('10.0.0.0/33')).toMatch(/invalid prefix length "33" \(0\.\.32\)/);
    expect(describeCidrProblem('10.0.0.0/08')).toMatch(/invalid prefix length/);
    expect(describeCidrProblem('2001:db8::/129')).toMatch(/0\.\.128/);
    expect(describeCidrProblem('10.0.0.300/8')).toMatch(/invalid address "10.0.0.300"/);
    expect(describeCidrProblem('203.0.113.5/24')).toBe('has host bits set; the network is "203.0.113.0/24"');
    expect(describeCidrProblem('2001:db8::1/32')).toMatch(/host bits set; the network is "2001:db8:0:0:0:0:0:0\/32"/);
    expect(describeCidrProblem('fe80::%eth0/64')).toMatch(/zone id/);
    expect(describeCidrProblem('::ffff:10.0.0.0/64')).toMatch(/96\.\.128/);
  });
});

describe('validateRules', () => {
  it('accepts the documented example and returns plain rules', () => {
    expect(validateRules([{ source: '203.0.113.0/24', order: 'allow', priority: 0, extra: 1 }])).toEqual([allow('203.0.113.0/24')]);
    expect(validateRules([])).toEqual([]);
  });

  it('names the offending field', () => {
    const cases: [unknown, string][] = [
      [{}, 'rules: must be an array'],
      [[null], 'rules[0]: must be an object'],
      [[{ order: 'allow', priority: 0 }], 'rules[0].source: must be a string in CIDR notation, got nothing'],
      [[allow('0.0.0.0/0'), { source: '1.2.3.4', order: 'allow', priority: 0 }], 'rules[1].source: "1.2.3.4" is not in CIDR notation'],
      [[{ source: '0.0.0.0/0', order: 'Allow', priority: 0 }], 'rules[0].order: must be "allow" or "deny", got "Allow"'],
      [[{ source: '0.0.0.0/0', order: 'deny', priority: 1.5 }], 'rules[0].priority: must be an integer'],
      [[{ source: '0.0.0.0/0', order: 'deny', priority: '0' }], 'rules[0].priority: must be an integer between -2147483648 and 2147483647, got "0"'],
    ];
    for (const [input, message] of cases) {
      try {
        validateRules(input);
        expect.unreachable(`accepted ${JSON.stringify(input)}`);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).kind).toBe('INVALID_BODY');
        expect((err as AppError).detail!.startsWith(message), (err as AppError).detail).toBe(true);
      }
    }
    expect(() => validateRules(new Array(101).fill(allow('0.0.0.0/0')))).toThrow(/at most 100/);
  });
});

describe('isAllowed', () => {
  it('allows everything when there are no rules', () => {
    expect(isAllowed([], '198.51.100.1')).toBe(true);
    expect(isAllowed([], 'garbage')).toBe(true);
  });

  it('denies when rules exist but none matches', () => {
    expect(isAllowed([allow('10.0.0.0/8')], '11.0.0.1')).toBe(false);
    expect(isAllowed([allow('10.0.0.0/8')], 'not-an-ip')).toBe(false);
  });

  it('evaluates lower priority first and lets the first match decide', () => {
    const rules = [allow('10.0.0.0/8', 10), deny('10.1.0.0/16', 5)];
    expect(isAllowed(rules, '10.1.2.3')).toBe(false);
    expect(isAllowed(rules, '10.2.0.1')).toBe(true);
    const reversed = [allow('10.0.0.0/8', 1), deny('10.1.0.0/16', 5)];
    expect(isAllowed(reversed, '10.1.2.3')).toBe(true);
  });

  it('puts deny before allow at equal priority, whatever the list order', () => {
    expect(isAllowed([allow('10.0.0.0/8'), deny('10.1.0.0/16')], '10.1.0.1')).toBe(false);
    expect(isAllowed([deny('10.1.0.0/16'), allow('10.0.0.0/8')], '10.1.0.1')).toBe(false);
  });

  it('applies IPv4 rules to IPv4-mapped clients and keeps families apart otherwise', () => {
    const rules = [allow('203.0.113.0/24')];
    expect(isAllowed(rules, '::ffff:203.0.113.9')).toBe(true);
    expect(isAllowed(rules, '::1')).toBe(false);
    expect(isAllowed([allow('2001:db8::/32')], '2001:db8:1::5')).toBe(true);
    expect(isAllowed([allow('2001:db8::/32')], '2001:db9::5')).toBe(false);
    expect(isAllowed([allow('2001:db8::/32')], '32.1.13.184')).toBe(false);
    expect(isAllowed([allow('::ffff:0:0/96')], '::1')).toBe(false);
    expect(isAllowed([allow('::ffff:0:0/96')], '8.8.8.8')).toBe(true);
  });

  it('treats a /0 rule as every address (spec: 0.0.0.0/0 allows every address)', () => {
    expect(isAllowed([allow('0.0.0.0/0')], '::1')).toBe(true);
    expect(isAllowed([deny('::/0', 1), allow('127.0.0.1/32', 0)], '127.0.0.1')).toBe(true);
    expect(isAllowed([deny('::/0', 1), allow('127.0.0.1/32', 0)], '127.0.0.2')).toBe(false);
  });

  it('matches /32 and /128 exactly and handles the top bit of a word', () => {
    expect(isAllowed([allow('255.255.255.255/32')], '255.255.255.255')).toBe(true);
    expect(isAllowed([allow('128.0.0.0/1')], '200.1.1.1')).toBe(true);
    expect(isAllowed([allow('128.0.0.0/1')], '127.255.255.255')).toBe(false);
    expect(isAllowed([allow('ffff::1/128')], 'ffff::1')).toBe(true);
    expect(isAllowed([allow('ffff::1/128')], 'ffff::2')).toBe(false);
    expect(isAllowed([allow('2001:db8:8000::/33')], '2001:db8:ffff::1')).toBe(true);
    expect(isAllowed([allow('2001:db8:8000::/33')], '2001:db8:7fff::1')).toBe(false);
  });

  it('gives the same answers compiled and raw', () => {
    const rules = [deny('192.168.1.0/24', 0), allow('192.168.0.0/16', 1)];
    const compiled = compileRules(rules);
    for (const ip of ['192.168.1.1', '192.168.2.1', '10.0.0.1']) expect(isAllowed(compiled, ip)).toBe(isAllowed(rules, ip));
  });
});

describe('agreement with node:net BlockList (reference)', () => {
  /** Deterministic LCG so the test sees the same addresses every run. */
  function lcg(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state;
    };
  }

  it('matches subnet membership on random IPv4 and IPv6 pairs', () => {
    const next = lcg(42);
    const v4 = (): string => [next() >>> 24, next() >>> 24, next() >>> 24, next() >>> 24].join('.');
    const v6 = (): string => Array.from({ length: 8 }, () => (next() >>> 16).toString(16)).join(':');
    for (let t = 0; t < 2000; t++) {
      const isV6 = t % 2 === 1;
      const base = isV6 ? v6() : v4();
      const prefix = (next() >>> 8) % (isV6 ? 129 : 33);
      const list = new BlockList();
      list.addSubnet(base, prefix, isV6 ? 'ipv6' : 'ipv4');
      // Our rules refuse host bits: take the network that the error message suggests.
      const masked = describeCidrProblem(`${base}/${prefix}`);
      const source = masked === null ? `${base}/${prefix}` : masked.slice(masked.indexOf('"') + 1, masked.lastIndexOf('"'));
      // Half the probes near the network (same high bits), half random.
      const probe = t % 4 < 2 ? base : isV6 ? v6() : v4();
      expect(isAllowed([allow(source)], probe), `${source} ∋ ${probe}`).toBe(list.check(probe, isV6 ? 'ipv6' : 'ipv4'));
    }
  });
});
