/**
 * The parts of an .xlsx package (a zip of XML files) that the converter needs, found by random
 * access and handed to exceljs's streaming reader in the order it needs them.
 *
 * Why reorder: exceljs's `WorkbookReader` reads the zip front to back and needs the workbook,
 * its relationships, the styles (date formats) and the shared strings before a worksheet; it
 * spills earlier worksheets to temporary files and, in the order LibreOffice writes
 * (workbook.xml last), cannot name them. Excel, LibreOffice and exceljs each write another order.
 * So the converter reads the upload's central directory (yauzl), picks the sheet itself, and
 * streams a small uncompressed zip (yazl, `compress: false`) of exactly
 * rels → workbook → styles → shared strings → the one sheet.
 */
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { AppError } from '../domain/errors.js';

export interface SheetEntry {
  readonly name: string;
  /** `visible`, `hidden` or `veryHidden`. */
  readonly state: string;
  /** Path of its XML inside the zip (`xl/worksheets/sheet1.xml`). */
  readonly path: string;
}

export interface XlsxPackage {
  readonly sheets: readonly SheetEntry[];
  /** Serial dates count from 1904-01-01 (old Mac workbooks) instead of 1899-12-30. */
  readonly date1904: boolean;
  /**
   * The reordered package holding only `sheet`, and the merged ranges of that sheet (`A1:B1`),
   * complete once the stream has ended. `maxXmlBytes` caps the decompressed XML (zip bombs).
   */
  open(sheet: SheetEntry, maxXmlBytes: number): ReorderedPackage;
  close(): void;
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
const STYLES = 'xl/styles.xml';
const SHARED_STRINGS = 'xl/sharedStrings.xml';
/** workbook.xml and its rels list sheets: a few KB. More is not a workbook we can read. */
const MAX_INDEX_XML_BYTES = 16 * 1024 * 1024;
/** Shared strings are held in memory by the reader; cap them well below the heap. */
const MAX_SHARED_STRINGS_BYTES = 512 * 1024 * 1024;

export function badWorkbook(message: string): AppError {
  return new AppError('BAD_WORKBOOK', message);
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : XML_ENTITIES[e]!,
  );
}

/** Attributes of every `<tag …/>` element, qualified names kept (`r:id`). */
function elements(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<(?:\\w+:)?${tag}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decodeXml(a[3] ?? a[4] ?? '');
    out.push(attrs);
  }
  return out;
}

function relationshipTarget(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** Sheets in tab order with the XML file each one lives in. */
export function sheetsOf(workbookXml: string, relsXml: string): { sheets: SheetEntry[]; date1904: boolean } {
  const targets = new Map(elements(relsXml, 'Relationship').map((r) => [r.Id ?? '', relationshipTarget(r.Target ?? '')]));
  const sheets: SheetEntry[] = [];
  for (const s of elements(workbookXml, 'sheet')) {
    const relId = s['r:id'] ?? Object.entries(s).find(([k]) => k.endsWith(':id'))?.[1];
    const path = relId === undefined ? undefined : targets.get(relId);
    if (s.name === undefined || path === undefined) continue;
    sheets.push({ name: s.name, state: s.state ?? 'visible', path });
  }
  const pr = elements(workbookXml, 'workbookPr')[0];
  const date1904 = pr !== undefined && (pr.date1904 === '1' || pr.date1904 === 'true');
  return { sheets, date1904 };
}

/** Fails once more than `maxBytes` passed: the decompressed side of a zip bomb. */
class ByteCap extends Transform {
  #bytes = 0;
  constructor(
    readonly maxBytes: number,
    readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.maxBytes) done(badWorkbook(`${this.what} decompresses to more than ${this.maxBytes} bytes`));
    else done(null, chunk);
  }
}

/** Passes a worksheet's XML through and collects its `<mergeCell ref="…"/>` ranges (after sheetData). */
class MergeScanner extends Transform {
  readonly ranges: string[] = [];
  #tail = '';
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.#tail + chunk.toString('latin1');
    let last = 0;
    for (const m of text.matchAll(/<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Z]+\d+(?::[A-Z]+\d+)?)["'][^>]*>/g)) {
      this.ranges.push(m[1]!);
      last = m.index + m[0].length;
    }
    // An element cut by the chunk boundary is completed by the next chunk.
    const open = text.lastIndexOf('<');
    this.#tail = open >= last && open > text.length - 256 ? text.slice(open) : '';
    done(null, chunk);
  }
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number, what: string): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) return Promise.reject(badWorkbook(`${what} is larger than ${maxBytes} bytes`));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err !== null || stream === undefined) return reject(badWorkbook(`${what} cannot be read: ${err?.message ?? 'no data'}`));
      const chunks: Buffer[] = [];
      const cap = new ByteCap(maxBytes, what);
      stream.on('error', (e) => cap.destroy(e));
      stream
        .pipe(cap)
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
  });
}

/**
 * Opens the upload at `path` as an .xlsx package. Throws `BAD_WORKBOOK` when it is not a zip or
 * lacks a workbook.
 * @example const pkg = await openXlsxPackage('/tmp/up.xlsx'); const { stream } = pkg.open(pkg.sheets[0]!, 1 << 30);
 */
export async function openXlsxPackage(path: string): Promise<XlsxPackage> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw badWorkbook(`the file is not an .xlsx workbook (not a readable zip archive: ${(err as Error).message})`);
  }
  try {
    const entries = new Map<string, yauzl.Entry>();
    for await (const e of zip.eachEntry()) entries.set(e.fileName, e);
    const workbook = entries.get(WORKBOOK);
    const rels = entries.get(WORKBOOK_RELS);
    if (workbook === undefined || rels === undefined) {
      const hint = [...entries.keys()].some((n) => /\.(csv|tsv)$/i.test(n)) ? ' (a zip of CSV files goes to a retrain upload, not here)' : '';
      throw badWorkbook(`the file is a zip archive but not an .xlsx workbook: it has no ${WORKBOOK}${hint}`);
    }
    const index = sheetsOf(
      (await readEntry(zip, workbook, MAX_INDEX_XML_BYTES, WORKBOOK)).toString('utf8'),
      (await readEntry(zip, rels, MAX_INDEX_XML_BYTES, WORKBOOK_RELS)).toString('utf8'),
    );
    const parts = { workbook, rels, styles: entries.get(STYLES), sharedStrings: entries.get(SHARED_STRINGS) };
    return {
      ...index,
      open: (sheet, maxXmlBytes) => {
        const entry = entries.get(sheet.path);
        if (entry === undefined) throw badWorkbook(`sheet "${sheet.name}" is listed but its file ${sheet.path} is missing`);
        return reorderedPackage(zip, parts, entry, maxXmlBytes);
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

export interface ReorderedPackage {
  readonly stream: Readable;
  /** Merged ranges of the sheet (`A1:B1`), complete once `stream` has ended. */
  readonly mergedRanges: readonly string[];
  /**
   * Rejects when reading the upload fails (a cap, a broken entry). The stream then just ends, as
   * the reader would otherwise wait for bytes forever; the caller races its reading against this.
   */
  readonly failed: Promise<never>;
}

interface Parts {
  readonly workbook: yauzl.Entry;
  readonly rels: yauzl.Entry;
  readonly styles: yauzl.Entry | undefined;
  readonly sharedStrings: yauzl.Entry | undefined;
}

function reorderedPackage(zip: yauzl.ZipFile, parts: Parts, sheet: yauzl.Entry, maxXmlBytes: number): ReorderedPackage {
  const out = new yazl.ZipFile();
  const result = new PassThrough();
  const scanner = new MergeScanner();
  let reject!: (err: unknown) => void;
  const failed = new Promise<never>((_res, rej) => (reject = rej));
  failed.catch(() => undefined);
  let hasFailed = false;
  const fail = (err: unknown) => {
    if (hasFailed) return;
    hasFailed = true;
    reject(err);
    out.outputStream.unpipe(result);
    result.end();
  };
  const entryStream = (entry: yauzl.Entry, cap: number, what: string): Promise<Readable> =>
    new Promise((resolve, reject) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err !== null || stream === undefined) return reject(badWorkbook(`${what} cannot be read: ${err?.message ?? 'no data'}`));
        const capped = new ByteCap(cap, what);
        stream.on('error', (e) => capped.destroy(e));
        capped.on('error', fail);
        resolve(stream.pipe(capped));
      });
    });
  (async () => {
    // Stored, not deflated: the reader inflates nothing and we spend no CPU compressing again.
    out.addReadStream(await entryStream(parts.rels, MAX_INDEX_XML_BYTES, WORKBOOK_RELS), WORKBOOK_RELS, { compress: false });
    out.addReadStream(await entryStream(parts.workbook, MAX_INDEX_XML_BYTES, WORKBOOK), WORKBOOK, { compress: false });
    if (parts.styles !== undefined) out.addReadStream(await entryStream(parts.styles, MAX_INDEX_XML_BYTES * 4, STYLES), STYLES, { compress: false });
    // With no shared strings the reader would defer the sheet to a temporary file: give it an empty table.
    if (parts.sharedStrings === undefined)
      out.addBuffer(Buffer.from('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'), SHARED_STRINGS, { compress: false });
    else
      out.addReadStream(await entryStream(parts.sharedStrings, Math.min(maxXmlBytes, MAX_SHARED_STRINGS_BYTES), SHARED_STRINGS), SHARED_STRINGS, {
        compress: false,
      });
    const sheetXml = await entryStream(sheet, maxXmlBytes, `the sheet ${sheet.fileName}`);
    sheetXml.on('error', (e) => scanner.destroy(e));
    scanner.on('error', fail);
    out.addReadStream(sheetXml.pipe(scanner), 'xl/worksheets/sheet1.xml', { compress: false });
    out.end();
  })().catch(fail);
  out.outputStream.on('error', fail).pipe(result);
  return { stream: result, mergedRanges: scanner.ranges, failed };
}
