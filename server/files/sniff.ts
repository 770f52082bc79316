import type { DocumentType } from '../contracts/resource.contract.ts';

/**
 * What an uploaded document is, read from its bytes, never from its name: a pdf starts with
 * `%PDF-`; docx, xlsx and pptx are zips (Office Open XML) with `[Content_Types].xml` and their
 * main part's folder (`word/`, `xl/`, `ppt/`); an odt is a zip whose first entry is `mimetype`,
 * stored uncompressed, holding exactly the odt type. Only entry names and the stored `mimetype`
 * are read: nothing is inflated, so a zip bomb costs nothing here.
 */

/** The content type stored and served for each document type. */
export const CONTENT_TYPES: Record<DocumentType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
};

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const STORED = 0;
const UTF8_FLAG = 0x0800;
const DATA_DESCRIPTOR_FLAG = 0x0008;
/** The end record sits in the last 22 bytes plus at most a 65,535-byte comment. */
const MAX_EOCD_SEARCH = 22 + 0xffff;

const OOXML: ReadonlyArray<{ type: DocumentType; folder: string }> = [
  { type: 'docx', folder: 'word/' },
  { type: 'xlsx', folder: 'xl/' },
  { type: 'pptx', folder: 'ppt/' },
];

/** The document type of these bytes, or null when they are none of the types we accept. */
export function sniffDocument(bytes: Buffer): DocumentType | null {
  if (bytes.length >= PDF_MAGIC.length && bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return 'pdf';
  if (bytes.length < 30 || bytes.readUInt32LE(0) !== LOCAL) return null;
  if (isOdt(bytes)) return 'odt';
  const names = zipEntryNames(bytes);
  if (names === null || !names.includes('[Content_Types].xml')) return null;
  const found = OOXML.filter(({ folder }) => names.some((n) => n.startsWith(folder)));
  // A package has one main part; one that claims to be two kinds at once is not trusted.
  return found.length === 1 ? found[0]!.type : null;
}

/** An odt: the first local entry is `mimetype`, stored, its bytes exactly the odt type. */
function isOdt(bytes: Buffer): boolean {
  const method = bytes.readUInt16LE(8);
  const flags = bytes.readUInt16LE(6);
  const size = bytes.readUInt32LE(18);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  if (method !== STORED || (flags & DATA_DESCRIPTOR_FLAG) !== 0) return false;
  const nameEnd = 30 + nameLength;
  if (nameEnd > bytes.length || bytes.toString('latin1', 30, nameEnd) !== 'mimetype') return false;
  const start = nameEnd + extraLength;
  if (start + size > bytes.length) return false;
  return bytes.toString('latin1', start, start + size) === CONTENT_TYPES.odt;
}

/**
 * The entry names of a zip, read from its central directory (where every writer lists them, also
 * those that put sizes in data descriptors after the local entries); null when it cannot be read.
 */
export function zipEntryNames(bytes: Buffer): string[] | null {
  const end = findEndOfDirectory(bytes);
  if (end === null) return null;
  // A zip64 directory: no document of at most 10 MB needs one.
  if (end >= 20 && bytes.readUInt32LE(end - 20) === ZIP64_EOCD_LOCATOR) return null;
  const count = bytes.readUInt16LE(end + 10);
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (directoryOffset + directorySize > end) return null;
  const names: string[] = [];
  let offset = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > end || bytes.readUInt32LE(offset) !== CENTRAL) return null;
    const flags = bytes.readUInt16LE(offset + 8);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const nameEnd = offset + 46 + nameLength;
    if (nameEnd > end) return null;
    names.push(bytes.toString((flags & UTF8_FLAG) !== 0 ? 'utf8' : 'latin1', offset + 46, nameEnd));
    offset = nameEnd + extraLength + commentLength;
  }
  return names;
}

/** The offset of the last end-of-central-directory record, or null. */
function findEndOfDirectory(bytes: Buffer): number | null {
  const stop = Math.max(0, bytes.length - MAX_EOCD_SEARCH);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes.readUInt32LE(i) === EOCD) return i;
  }
  return null;
}
