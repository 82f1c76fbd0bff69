/** Encoding detection (UTF-8 with/without BOM, else Shift_JIS/CP932) and whole-buffer decoding. */
import iconv from 'iconv-lite';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

/** The iconv-lite codec for Shift_JIS: CP932 is what Windows/Excel writes (①, ㈱, NEC extensions). */
export const SHIFT_JIS_CODEC = 'cp932';

/** How many leading bytes `detectEncoding` callers should pass: more than the product's 1,000, still cheap. */
export const DETECT_HEAD_BYTES = 64 * 1024;

/**
 * Length of the longest prefix of `bytes` that is valid UTF-8 up to a possibly truncated last
 * character, or -1 when an invalid sequence occurs. A multi-byte character cut by the end of the
 * buffer is not an error: the head of a file can end anywhere.
 */
export function utf8ValidPrefix(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return -1;
    }
    if (i + need >= n) {
      // Fewer bytes left than the character needs: check what is there, then stop.
      for (let k = i + 1; k < n; k++) if ((bytes[k]! & 0xc0) !== 0x80) return -1;
      return i;
    }
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return -1;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    i += need + 1;
  }
  return n;
}

/** True when `bytes` has a UTF-8 BOM. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Detect the encoding of a file from its first bytes: BOM → 'utf-8-bom'; valid UTF-8 (pure ASCII
 * included) → 'utf-8'; otherwise 'shift_jis' (CP932). Pass `DETECT_HEAD_BYTES` or more when you can:
 * the product reads 1,000 bytes and says misdetection is possible; a longer head makes it rarer.
 */
export function detectEncoding(head: Uint8Array): SourceEncoding {
  if (hasUtf8Bom(head)) return 'utf-8-bom';
  return utf8ValidPrefix(head) >= 0 ? 'utf-8' : 'shift_jis';
}

/**
 * Decode a whole small file (inference request, column_info.csv) to text without a BOM.
 * @example decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])) // → { text: 'a', encoding: 'utf-8-bom' }
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: SourceEncoding } {
  const encoding = detectEncoding(bytes);
  if (encoding === 'shift_jis') return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), SHIFT_JIS_CODEC), encoding };
  const body = encoding === 'utf-8-bom' ? bytes.subarray(3) : bytes;
  return { text: new TextDecoder('utf-8').decode(body), encoding };
}
