/**
 * An .xlsx file as any spreadsheet program writes it, reduced to what the
 * reader needs, under the names exceljs expects.
 *
 * exceljs reads the files Excel and exceljs write, and trips over what other
 * programs do legitimately: openpyxl points its relationships at absolute
 * paths ("/xl/comments/comment1.xml") and puts comments under other names,
 * some writers prefix every element ("<x:row>"), name sheets "Sheet1.xml",
 * or use the Strict namespaces. A failure there came out as a JavaScript
 * message ("Cannot read properties of undefined (reading 'comments')").
 *
 * So the parts are found the way the format defines them (the package's
 * relationships, not fixed names), and a new, minimal package is built: the
 * workbook, its worksheets, shared strings and styles, nothing else
 * (comments, drawings, images, themes, printer settings and macros are not
 * data). Anything the reader needs and cannot find is said in Vietnamese,
 * naming the part.
 */
import type { Localized } from '../problems.js';

export type CanonicalPackage = { ok: true; bytes: Buffer; application?: string } | { ok: false; message: Localized };

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = /^(?:http:\/\/schemas\.openxmlformats\.org\/spreadsheetml\/2006\/main|http:\/\/purl\.oclc\.org\/ooxml\/spreadsheetml\/main)$/;

/** Attribute values of one tag's text (namespace prefixes dropped from the names). */
function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/([\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = m[1] === 'xmlns:' ? `xmlns:${m[2]}` : m[2]!;
    if (!found.has(name)) found.set(name, decodeXml(m[3] ?? m[4] ?? ''));
  }
  return found;
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (all, name: string) => {
    if (name === 'lt') return '<';
    if (name === 'gt') return '>';
    if (name === 'amp') return '&';
    if (name === 'quot') return '"';
    if (name === 'apos') return "'";
    const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function relationships(xml: string | undefined): Relationship[] {
  if (!xml) return [];
  const list: Relationship[] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g)) {
    const a = attributes(m[0]);
    const id = a.get('Id');
    const type = a.get('Type');
    const target = a.get('Target');
    if (id && type && target !== undefined) list.push({ id, type, target, external: a.get('TargetMode') === 'External' });
  }
  return list;
}

/** The part a relationship points at, from the part that holds it ("xl/workbook.xml" + "../x" …). */
function resolvePart(from: string, target: string): string {
  const path = target.split('#')[0]!.replace(/\\/g, '/');
  const segments = path.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

function relsOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

const isType = (rel: Relationship, kind: string) => rel.type.endsWith(`/${kind}`);

/** Part lookup by name, ignoring case (zip names are case-sensitive, Office's are not). */
function partFinder(parts: Map<string, Buffer>): (name: string) => Buffer | undefined {
  const lower = new Map<string, Buffer>();
  for (const [name, bytes] of parts) if (!lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), bytes);
  return (name) => parts.get(name) ?? lower.get(name.toLowerCase());
}

/**
 * Drop the namespace prefix of SpreadsheetML elements ("<x:row>" → "<row>"),
 * so the reader sees the element names it knows. Other prefixes (r:id) stay.
 */
export function unprefixMain(xml: string): string {
  const prefixes: string[] = [];
  for (const m of xml.matchAll(/xmlns:([\w.-]+)\s*=\s*"([^"]*)"/g)) if (MAIN_NS.test(m[2]!)) prefixes.push(m[1]!);
  let out = xml;
  // The prefix's declaration stays: the reader matches element names, and other attributes may use it.
  for (const prefix of prefixes) out = out.replace(new RegExp(`<(/?)${prefix.replace(/[.-]/g, '\\$&')}:`, 'g'), '<$1');
  return out;
}

/**
 * Cells typed as ISO 8601 dates (t="d", written by openpyxl with iso_dates,
 * Numbers and some exports) become text "2023-04-12": exceljs would read
 * "2023-04-12T00:00:00" as the number 2023, a day in 1905.
 */
export function isoDateCells(xml: string): string {
  return xml.replace(/<c\b([^>]*?)\st="d"([^>]*)>\s*<v>([^<]*)<\/v>\s*<\/c>/g, (_all, before: string, after: string, value: string) => {
    const day = /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
    const text = day ? day[1]! : value;
    return `<c${before} t="inlineStr"${after}><is><t>${text}</t></is></c>`;
  });
}

const unreadable = (vi: string, en: string): CanonicalPackage => ({ ok: false, message: { vi, en } });

/** The minimal package exceljs reads (see the module comment); a refusal says which part is missing. */
export function canonicalPackage(parts: Map<string, Buffer>): CanonicalPackage {
  const find = partFinder(parts);
  const text = (name: string) => find(name)?.toString('utf8').replace(/^\uFEFF/, '');
  const application = /<(?:\w+:)?Application>([^<]{1,80})</.exec(text('docProps/app.xml') ?? '')?.[1]?.trim();
  const packageRels = relationships(text('_rels/.rels'));
  const documentRel = packageRels.find((r) => isType(r, 'officeDocument') && !r.external);
  const workbookPart = documentRel ? resolvePart('', documentRel.target) : 'xl/workbook.xml';
  const workbookXml = text(workbookPart);
  if (workbookXml === undefined) {
    return unreadable(
      `Tệp nén không chứa bảng tính (không có phần ${workbookPart}), nên không có trang tính nào để đọc.`,
      `The zip holds no workbook (no ${workbookPart} part), so there is no worksheet to read.`,
    );
  }
  const workbookRels = relationships(text(relsOf(workbookPart)));
  const byId = new Map(workbookRels.map((r) => [r.id, r]));

  const out = new Map<string, string | Buffer>();
  const newRels: string[] = [];
  const overrides: string[] = [];
  let sheetNumber = 0;
  const missing: string[] = [];
  // Keep worksheets; drop chart sheets, dialog sheets and sheets whose part is absent (said below).
  const sheets = unprefixMain(workbookXml).replace(/<sheet\b[^>]*?\/>|<sheet\b[^>]*>[\s\S]*?<\/sheet>/g, (tag) => {
    const a = attributes(tag);
    const rel = byId.get(a.get('id') ?? '');
    const name = a.get('name') ?? '?';
    if (!rel || !isType(rel, 'worksheet') || rel.external) return '';
    const part = resolvePart(workbookPart, rel.target);
    const xml = text(part);
    if (xml === undefined) {
      missing.push(`${name} (${part})`);
      return '';
    }
    sheetNumber += 1;
    out.set(`xl/worksheets/sheet${sheetNumber}.xml`, isoDateCells(unprefixMain(xml)));
    newRels.push(`<Relationship Id="${escapeXml(rel.id)}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${sheetNumber}.xml"/>`);
    overrides.push(`<Override PartName="/xl/worksheets/sheet${sheetNumber}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`);
    return tag;
  });
  if (missing.length) {
    return unreadable(
      `Bảng tính khai báo trang tính ${missing.join(', ')} nhưng tệp không chứa phần đó (tệp bị hỏng hoặc lưu dở).`,
      `The workbook declares the sheet ${missing.join(', ')} but the file lacks that part (damaged or partly saved).`,
    );
  }
  if (sheetNumber === 0) return unreadable('Tệp không có trang tính nào (không phải bảng tính .xlsx có số liệu).', 'The file has no worksheet (not an .xlsx workbook with data).');

  // Strict-namespace relationships ids are kept; the workbook's own attributes are left as they are.
  out.set('xl/workbook.xml', sheets);
  overrides.unshift('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>');
  for (const [kind, name, type] of [
    ['sharedStrings', 'sharedStrings.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml'],
    ['styles', 'styles.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml'],
  ] as const) {
    const rel = workbookRels.find((r) => isType(r, kind) && !r.external);
    const xml = rel ? text(resolvePart(workbookPart, rel.target)) : undefined;
    if (xml === undefined) continue;
    out.set(`xl/${name}`, unprefixMain(xml));
    newRels.push(`<Relationship Id="${escapeXml(rel!.id)}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${kind}" Target="${name}"/>`);
    overrides.push(`<Override PartName="/xl/${name}" ContentType="${type}"/>`);
  }
  out.set('xl/_rels/workbook.xml.rels', `${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${newRels.join('')}</Relationships>`);
  out.set('_rels/.rels', `${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  out.set(
    '[Content_Types].xml',
    `${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join('')}</Types>`,
  );
  return { ok: true, bytes: storedZip(out), ...(application ? { application } : {}) };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip of uncompressed entries: it only lives in memory between here and exceljs (tests build odd workbooks with it too). */
export function storedZip(entries: Map<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(fileName.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    central.push(header, fileName);
    offset += 30 + fileName.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.size, 8);
  end.writeUInt16LE(entries.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
