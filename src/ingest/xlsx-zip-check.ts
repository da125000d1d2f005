// Checks an XLSX file's zip container before any XML is parsed: the declared sizes of all parts must stay under
// the limit, and the parts are then inflated (and thrown away) to verify that the actual sizes match — a zip
// bomb that lies about its sizes is stopped as soon as it inflates past what it declared.
import yauzl from 'yauzl';
import { UserError } from '../domain/errors.js';
import { overLimit, UPLOAD_LIMITS } from './upload-limits.js';

/**
 * Resolves when the zip is sound and small enough once unpacked; rejects with a 413 or 400 UserError otherwise.
 * @example await checkXlsxZip('tal.xlsx', bytes)
 */
export async function checkXlsxZip(
  fileName: string,
  bytes: Uint8Array,
  limit: number = UPLOAD_LIMITS.xlsxUncompressedBytes,
): Promise<void> {
  const notXlsx = (error: unknown) =>
    new UserError(`${fileName} cannot be read as XLSX: ${(error as Error).message.split('\n')[0]}`, {
      location: { file: fileName },
    });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true }, (e, z) =>
      e || !z ? reject(notXlsx(e)) : resolve(z),
    ),
  );
  const entries: yauzl.Entry[] = [];
  let declared = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (declared > limit) {
          reject(overLimit('xlsxUncompressedBytes', fileName, `the workbook unpacks to more than ${mb(declared)}`));
          return;
        }
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', (e) => reject(notXlsx(e)));
      zip.readEntry();
    });
    let inflated = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      await new Promise<void>((resolve, reject) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(notXlsx(e));
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > limit) {
              stream.destroy();
              reject(overLimit('xlsxUncompressedBytes', fileName, `the workbook unpacks to more than ${mb(inflated)}`));
            }
          });
          // yauzl checks that each part inflates to exactly its declared size, and fails the stream if not.
          stream.on('error', (error) =>
            reject(
              /too many bytes|uncompressedSize/i.test(error.message)
                ? overLimit('xlsxUncompressedBytes', fileName, `a part of the workbook is larger than it declares`)
                : notXlsx(error),
            ),
          );
          stream.on('end', resolve);
        });
      });
    }
  } finally {
    zip.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
