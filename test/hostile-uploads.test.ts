// Uploads that try to hurt the server: a zip bomb, a million columns, imports at the same moment. Each gets a
// clear 4xx while the server keeps answering other requests.
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { bearer, catalogueStore, serveOnEphemeralPort, userToken } from './helpers.js';

let server: RunningServer;
let cleanup: () => Promise<void>;
let token: string;
beforeAll(async () => {
  const made = await catalogueStore();
  cleanup = made.cleanup;
  token = await userToken(made.store, { name: 'uploader', unit: 'DK', role: 'admin' });
  server = await serveOnEphemeralPort(made.store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

/** Deflates `repeat` copies of `chunk` as a stream, so the test never holds the unpacked size in memory. */
async function deflateRepeated(chunk: Buffer, repeat: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (d: Buffer) => parts.push(d));
  for (let i = 0; i < repeat; i++) if (!deflate.write(chunk)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat(parts);
}

/** A zip with the given parts; `declared` overrides a part's stated uncompressed size (a lying bomb). */
function zip(parts: { name: string; data: Buffer; size: number; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const size = p.declared ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 14); // CRC-32: yauzl does not check it
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, p.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const BOMB_MB = 300;
let bombSheet: Buffer;
beforeAll(async () => {
  const row = Buffer.from('<row><c t="inlineStr"><is><t>hospital-productivity</t></is></c></row>'.padEnd(1024, ' '));
  bombSheet = await deflateRepeated(row, BOMB_MB * 1024);
});

/** An XLSX whose sheet unpacks to 300 MB of rows; a lying one declares 100 kB. */
async function xlsxBomb(lie: boolean): Promise<Buffer> {
  const part = async (name: string, text: string) => {
    const data = Buffer.from(text);
    return { name, data: await deflateRepeated(data, 1), size: data.length };
  };
  return zip([
    await part(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    await part('xl/workbook.xml', '<?xml version="1.0"?><workbook/>'),
    {
      name: 'xl/worksheets/sheet1.xml',
      data: bombSheet,
      size: BOMB_MB * 1024 * 1024,
      ...(lie ? { declared: 100_000 } : {}),
    },
  ]);
}

const upload = (bytes: Uint8Array, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return fetch(`${server.url}/api/imports`, { method: 'POST', body: form, headers: bearer(token) });
};

/** Sends the upload and, while it is being handled, asks for the units; returns both answers. */
async function uploadWhileReading(bytes: Uint8Array, name: string) {
  const pending = upload(bytes, name);
  const units = await fetch(`${server.url}/api/org-units`);
  const unitsBody = await units.json();
  const response = await pending;
  return { response, body: await response.json(), units, unitsBody };
}

describe('hostile uploads', () => {
  it('refuses a 1 MB XLSX that unpacks to 300 MB with 413, naming the limit, while other requests are answered', async () => {
    const quiet = await (await fetch(`${server.url}/api/org-units`)).json();
    expect(quiet.length).toBeGreaterThan(100);
    const bomb = await xlsxBomb(false);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(bomb.length).toBeGreaterThan(200 * 1024);
    const { response, body, units, unitsBody } = await uploadWhileReading(bomb, 'bomb.xlsx');
    expect(units.status).toBe(200);
    // The same answer as when nothing else runs.
    expect(unitsBody).toEqual(quiet);
    expect(response.status).toBe(413);
    expect(body.detail).toContain('the limit is 256 MB uncompressed');
    expect(body.hint).toMatch(/Split/);
  });

  it('refuses a zip bomb that understates its size, as soon as it inflates past what it declared', async () => {
    const bomb = await xlsxBomb(true);
    const { response, body, units } = await uploadWhileReading(bomb, 'liar.xlsx');
    expect(units.status).toBe(200);
    expect(response.status).toBe(413);
    expect(body.detail).toContain('larger than it declares');
  });

  it('refuses a 10 MB CSV with a million columns with 413, while other requests are answered', async () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i % 10}`).join(';');
    const csv = new TextEncoder().encode(`${header}\nhospital-productivity;101;2023;1\n`);
    expect(csv.length).toBeGreaterThan(2_000_000);
    const { response, body, units } = await uploadWhileReading(csv, 'wide.csv');
    expect(units.status).toBe(200);
    expect(response.status).toBe(413);
    expect(body.detail).toContain('line 1 has');
    expect(body.detail).toContain('the limit is 100,000 characters per line');
  });

  it('refuses a sheet with more columns than the limit with 413', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Tal').addRow(Array.from({ length: 2_500 }, (_, i) => `k${i}`));
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const response = await upload(bytes, 'columns.xlsx');
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toContain('the limit is 2,000 columns');
  });

  it('lets two imports sent at the same moment both succeed while GETs never fail', async () => {
    const csv = (value: string) =>
      new TextEncoder().encode(
        `indicator;unit;period;value\n${['101', '147', '151', '153']
          .map((u) => `hospital-productivity;${u};2022;${value}`)
          .join('\n')}\n`,
      );
    const reads = Array.from({ length: 30 }, (_, i) =>
      fetch(
        `${server.url}${i % 2 ? '/api/overview?unit=101' : '/api/indicators/hospital-productivity/values?unit=101'}`,
      ),
    );
    const [a, b] = await Promise.all([upload(csv('99,5'), 'a.csv'), upload(csv('101,5'), 'b.csv')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const reports = [await a.json(), await b.json()];
    expect(reports.map((r) => r.written)).toEqual([true, true]);
    expect(reports.map((r) => r.importId).sort()).toEqual([1, 2]);
    for (const r of await Promise.all(reads)) expect(r.status).toBe(200);
    const imports = await (await fetch(`${server.url}/api/imports`)).json();
    expect(imports).toHaveLength(2);
  });
});
