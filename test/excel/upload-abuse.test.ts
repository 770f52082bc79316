import { createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { IMPORT_LIMITS, readPrestatielijst } from '../../server/excel/prestatielijst-reader.ts';
import { buildTestApp, type TestApp, testAppPerTest } from '../helpers.ts';
import { createOrg, expectError, setGear } from '../http/fixtures.ts';

// Issue 11, item 3: uploads that lie. A zip states the unpacked size of every entry, twice (local
// header and central directory), and nothing makes it true. The reader counts what it inflates.

const MB = 1024 * 1024;

const t = testAppPerTest();

function upload(app: TestApp, content: Buffer, filename: string): Promise<LightMyRequestResponse> {
  const boundary = '----vpt-upload-dat-liegt';
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return app.app.inject({
    method: 'POST',
    url: '/api/import/prestatielijst?dryRun=true',
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

// ---------------------------------------------------------------------------------------------
// A zip by hand, so its headers can say what we like

interface ZipEntry {
  name: string;
  /** Deflated bytes. */
  data: Buffer;
  /** The unpacked size the headers state (a lie when we like). */
  statedSize: number;
}

/** The entries of a real zip, unpacked (read from the central directory). */
function unzip(buffer: Buffer): Array<{ name: string; content: Buffer }> {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const result: Array<{ name: string; content: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buffer.readUInt32LE(at + 42);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + compressed);
    result.push({ name, content: method === 8 ? inflateRawSync(data) : Buffer.from(data) });
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return result;
}

/**
 * A deflate zip of `entries`, with the stated sizes in both headers; `directory` lists the
 * central-directory records by entry index (the same entry may be listed many times).
 */
function zip(entries: ZipEntry[], directory = entries.map((_, i) => i)): Buffer {
  const locals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(0, 14); // CRC: nobody checks it before unpacking
    header.writeUInt32LE(e.data.length, 18);
    header.writeUInt32LE(e.statedSize, 22);
    header.writeUInt16LE(name.length, 26);
    offsets.push(offset);
    locals.push(header, name, e.data);
    offset += header.length + name.length + e.data.length;
  }
  const central: Buffer[] = [];
  for (const [n, i] of directory.entries()) {
    const e = entries[i]!;
    // A listed-again entry gets its own name, as a file of its own.
    const name = Buffer.from(n < entries.length ? e.name : `${e.name}.${n}`);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(e.data.length, 20);
    header.writeUInt32LE(e.statedSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offsets[i]!, 42);
    central.push(header, name);
  }
  const centralBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(directory.length, 8);
  eocd.writeUInt16LE(directory.length, 10);
  eocd.writeUInt32LE(centralBytes.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBytes, eocd]);
}

/** Deflates `head` followed by `padding` bytes of spaces, a megabyte at a time (never in memory whole). */
async function deflatePadded(head: Buffer, padding: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const spaces = Buffer.alloc(MB, 0x20);
  const write = (b: Buffer) =>
    new Promise<void>((resolve) => {
      if (deflate.write(b)) resolve();
      else deflate.once('drain', resolve);
    });
  await write(head);
  for (let written = 0; written < padding; written += MB) await write(spaces);
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * A real workbook (exceljs opens it) whose sheet XML is followed by `padding` bytes of spaces,
 * with every header claiming each entry unpacks to 1,000 bytes; `honest` states the true sizes.
 */
async function lyingWorkbook(padding: number, honest = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Prestatielijst');
  ws.addRow(['Organisatie', 'Sector', 'Q1 2016']);
  ws.addRow(['Gemeente Noord', 'Openbaar Bestuur', 3]);
  const real = unzip(Buffer.from(await wb.xlsx.writeBuffer()));
  const entries: ZipEntry[] = [];
  for (const { name, content } of real) {
    const data =
      name === 'xl/worksheets/sheet1.xml' ? await deflatePadded(content, padding) : deflateRawSync(content);
    entries.push({ name, data, statedSize: honest ? content.length + padding : 1000 });
  }
  return zip(entries);
}

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / MB);
}

describe('uploads that lie about their size', () => {
  it('when an .xlsx claims 1,000 bytes per entry but inflates to 512 MB, then it is refused with 413 and memory stays flat', async () => {
    // Arrange: the bomb, and one honest upload first so the app's own warm-up is not counted.
    const bomb = await lyingWorkbook(512 * MB);
    expect(bomb.length).toBeLessThan(IMPORT_LIMITS.fileBytes);
    expect((await upload(t, await lyingWorkbook(0, true), 'lijst.xlsx')).statusCode).toBe(200);
    const before = rssMb();

    // Act: three at once, as the issue measured.
    const replies = await Promise.all([1, 2, 3].map((n) => upload(t, bomb, `bom-${n}.xlsx`)));

    // Assert
    const after = rssMb();
    console.info(
      `zip bomb ×3 (${(bomb.length / 1024).toFixed(0)} kB, 512 MB inflated): RSS ${before} MB → ${after} MB`,
    );
    for (const [n, res] of replies.entries()) {
      const body = expectError(res, 413, 'file_too_large');
      expect(body.error.message).toBe(
        `'bom-${n + 1}.xlsx' is uitgepakt meer dan 30 MB; een prestatielijst mag uitgepakt hoogstens 30 MB zijn. Splits de lijst of verwijder overbodige werkbladen`,
      );
    }
    expect(after - before).toBeLessThan(150);
  }, 60_000);

  it('when the same bomb is read directly, then the reader refuses it before exceljs sees it', async () => {
    const bomb = await lyingWorkbook(64 * MB);

    const error = await readPrestatielijst(bomb, 'bom.xlsx').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'file_too_large', statusCode: 413 });
  });

  it('when one small entry is listed many times in the directory, then every listing counts towards the limit', async () => {
    // 1 MB that deflates to about a kilobyte, listed 40 times: each honest on its own, 40 MB in all.
    const content = Buffer.concat([Buffer.from('<x>'), Buffer.alloc(MB, 0x20), Buffer.from('</x>')]);
    const entry = { name: 'xl/worksheets/sheet1.xml', data: deflateRawSync(content), statedSize: 1000 };
    const overlapping = zip(
      [entry],
      Array.from({ length: 40 }, () => 0),
    );

    const error = await readPrestatielijst(overlapping, 'overlap.xlsx').catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'file_too_large', statusCode: 413 });
  });

  it('when the directory is not where the zip says, then the file is not read as a workbook', async () => {
    // Bytes slipped in before the directory: JSZip would shift every offset to make it fit.
    const honest = await lyingWorkbook(0, true);
    const end = honest.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const directory = honest.readUInt32LE(end + 16);
    const shifted = Buffer.concat([
      honest.subarray(0, directory),
      Buffer.alloc(64),
      honest.subarray(directory),
    ]);

    const parsed = await readPrestatielijst(shifted, 'verschoven.xlsx');

    expect(parsed.errors.map((e) => e.message)).toEqual([
      "'verschoven.xlsx' kon niet worden gelezen als Excel-werkmap (.xlsx); sla de lijst in Excel of LibreOffice op als .xlsx of .csv en probeer het opnieuw",
    ]);
  });

  it('when a workbook states its sizes truthfully and is small, then it is read as before', async () => {
    const parsed = await readPrestatielijst(await lyingWorkbook(0, true), 'lijst.xlsx');

    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.name, r.sector, r.gears.map((g) => g.gear)])).toEqual([
      ['Gemeente Noord', 'Openbaar Bestuur', [3]],
    ]);
  });

  it('when the export of a region is uploaded again, then it is accepted', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente Oost', memberFrom: '2016-Q1' });
    await setGear(t.app, org.id, '2016-Q1', 4);
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/reports/prestatielijst.xlsx?from=2016-Q1&to=2016-Q4',
    });
    expect(exported.statusCode, exported.body).toBe(200);
    const fresh = await buildTestApp();
    try {
      // Act
      const res = await upload(fresh, exported.rawPayload, 'prestatielijst.xlsx');

      // Assert
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ dryRun: true, organisations: { created: ['Gemeente Oost'] } });
    } finally {
      await fresh.close();
    }
  });
});
