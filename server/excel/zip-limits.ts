import { inflateRawSync } from 'node:zlib';

/**
 * Measures what a zip really unpacks to, before exceljs (JSZip inside) unpacks it all in memory.
 * The sizes a zip states in its headers are whatever its maker wrote: a file that claims a
 * thousand bytes can inflate to a gigabyte. So every entry is inflated here, the way JSZip will
 * read it (central directory → local header → the compressed bytes the directory names), and
 * inflating stops as soon as the total passes the limit: memory stays at most the limit.
 */

export type ZipCheck =
  /** Every entry inflated; the total of inflated bytes. */
  | { kind: 'ok'; unpackedBytes: number }
  /**
   * Over the limit: `statedBytes` when the zip itself says so (nothing inflated), null when
   * inflating passed the limit and was stopped.
   */
  | { kind: 'too-large'; statedBytes: number | null }
  /** Not a zip JSZip would read the way we read it (no directory, damaged, unknown compression). */
  | { kind: 'unreadable' };

const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const FFFF_FFFF = 0xffffffff;

interface Entry {
  method: number;
  /** As the directory states it: believed only when it says too much. */
  statedSize: number;
  compressedSize: number;
  localOffset: number;
}

/** The offset of the last end-of-central-directory record, as JSZip finds it. */
function findEndOfDirectory(buffer: Buffer): number | null {
  for (let i = buffer.length - 22; i >= 0; i--) {
    if (buffer.readUInt32LE(i) === EOCD) return i;
  }
  return null;
}

/**
 * The central directory's entries, or null when it cannot be read as written. A zip64 directory
 * is refused: no prestatielijst of a few megabytes needs one.
 */
function readDirectory(buffer: Buffer): Entry[] | null {
  const end = findEndOfDirectory(buffer);
  if (end === null) return null;
  if (end >= 20 && buffer.readUInt32LE(end - 20) === ZIP64_EOCD_LOCATOR) return null;
  const directorySize = buffer.readUInt32LE(end + 12);
  const directoryOffset = buffer.readUInt32LE(end + 16);
  // JSZip shifts every offset when the directory is not where the record says; we do not follow.
  if (directoryOffset + directorySize !== end) return null;
  const entries: Entry[] = [];
  let offset = directoryOffset;
  while (offset + 46 <= end && buffer.readUInt32LE(offset) === CENTRAL) {
    const method = buffer.readUInt16LE(offset + 10);
    let compressedSize = buffer.readUInt32LE(offset + 20);
    const uncompressedSize = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    let localOffset = buffer.readUInt32LE(offset + 42);
    let statedSize = uncompressedSize;
    if ([compressedSize, uncompressedSize, localOffset].includes(FFFF_FFFF)) {
      const zip64 = zip64Values(buffer, offset + 46 + nameLength, extraLength);
      if (zip64 === null) return null;
      // The zip64 field lists, in this order, only the values whose 32-bit field is full.
      let i = 0;
      if (uncompressedSize === FFFF_FFFF) statedSize = zip64[i++] ?? Number.POSITIVE_INFINITY;
      if (compressedSize === FFFF_FFFF) compressedSize = zip64[i++] ?? Number.NaN;
      if (localOffset === FFFF_FFFF) localOffset = zip64[i++] ?? Number.NaN;
    }
    entries.push({ method, statedSize, compressedSize, localOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return offset === end ? entries : null;
}

/** The 64-bit values of an entry's zip64 extra field, or null when it has none. */
function zip64Values(buffer: Buffer, start: number, length: number): number[] | null {
  let at = start;
  while (at + 4 <= start + length && at + 4 <= buffer.length) {
    const id = buffer.readUInt16LE(at);
    const size = buffer.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA) {
      const values: number[] = [];
      for (let v = at + 4; v + 8 <= at + 4 + size && v + 8 <= buffer.length; v += 8) {
        values.push(Number(buffer.readBigUInt64LE(v)));
      }
      return values;
    }
    at += 4 + size;
  }
  return null;
}

/**
 * Inflates every entry of a zip, counting the bytes, and stops once they pass `limit`. Nothing
 * the headers say about unpacked sizes is believed.
 */
export function checkZip(buffer: Buffer, limit: number): ZipCheck {
  const entries = readDirectory(buffer);
  if (entries === null) return { kind: 'unreadable' };
  // A zip that states more than the limit is refused as it says, without inflating anything.
  const stated = entries.reduce((sum, e) => sum + e.statedSize, 0);
  if (stated > limit) return { kind: 'too-large', statedBytes: stated };
  let total = 0;
  for (const entry of entries) {
    const { localOffset, compressedSize } = entry;
    if (!Number.isSafeInteger(localOffset) || !Number.isSafeInteger(compressedSize)) {
      return { kind: 'unreadable' };
    }
    if (localOffset + 30 > buffer.length || buffer.readUInt32LE(localOffset) !== LOCAL) {
      return { kind: 'unreadable' };
    }
    // As JSZip: the data follows the local header's own name and extra field; its length is the
    // directory's compressed size.
    const dataStart =
      localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > buffer.length) return { kind: 'unreadable' };
    const data = buffer.subarray(dataStart, dataEnd);
    const budget = limit - total;
    if (entry.method === STORED) {
      total += data.length;
    } else if (entry.method === DEFLATED) {
      try {
        // At most one byte over the budget is ever held: zlib stops there and throws.
        total += inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
          return { kind: 'too-large', statedBytes: null };
        return { kind: 'unreadable' };
      }
    } else {
      return { kind: 'unreadable' };
    }
    if (total > limit) return { kind: 'too-large', statedBytes: null };
  }
  return { kind: 'ok', unpackedBytes: total };
}
