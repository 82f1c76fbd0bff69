/**
 * Recognises binary files sent where CSV text was expected, by their first bytes, so the error
 * says what the file is (an Excel workbook, a zip) instead of reporting a one-column CSV.
 */

export type BinaryKind = 'xlsx' | 'zip' | 'xls' | 'gzip' | 'pdf';

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const GZIP = [0x1f, 0x8b];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/** The kind of a binary file from its first bytes (up to 64 KiB), or null for anything else (text). */
export function binaryKindOf(head: Uint8Array): BinaryKind | null {
  if (startsWith(head, ZIP_LOCAL) || startsWith(head, ZIP_EMPTY)) {
    // An .xlsx package names its parts in the local headers: [Content_Types].xml, xl/workbook.xml …
    const names = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 65536)).toString('latin1');
    return /\[Content_Types\]\.xml|xl\/(workbook|worksheets\/)/.test(names) ? 'xlsx' : 'zip';
  }
  if (startsWith(head, OLE2)) return 'xls';
  if (startsWith(head, GZIP)) return 'gzip';
  if (startsWith(head, PDF)) return 'pdf';
  return null;
}

const DESCRIPTIONS: Readonly<Record<BinaryKind, string>> = {
  xlsx: 'an Excel workbook (.xlsx), not CSV text: request the upload URL with extension=xlsx to have its first sheet (or sheet=NAME) converted, or save the sheet as CSV',
  zip: 'a zip archive, not CSV text: unpack it and upload the CSV file (a zip with train_src/ goes to a retrain upload)',
  xls: 'an Excel 97-2003 workbook (.xls) or another old Office file, not CSV text: save it as .xlsx or CSV first',
  gzip: 'a gzip-compressed file, not CSV text: decompress it first',
  pdf: 'a PDF document, not CSV text',
};

/** "the file is …" for a binary kind. */
export function describeBinaryKind(kind: BinaryKind): string {
  return `the file is ${DESCRIPTIONS[kind]}`;
}
