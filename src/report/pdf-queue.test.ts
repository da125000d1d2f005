import { afterAll, describe, expect, it } from 'vitest';
import { closePdfQueue, pdfQueueStats, queuePdf } from './pdf-queue.js';

afterAll(() => closePdfQueue());

const page = (n: number) => `<!doctype html><html><body><h1>Side ${n}</h1></body></html>`;

describe('PDF queue', () => {
  it('prints identical documents asked for at once only once, in one browser, at most two pages at a time', async () => {
    const before = pdfQueueStats();
    const same = Array.from({ length: 6 }, () => queuePdf(page(1)));
    const different = [2, 3, 4, 5].map((n) => queuePdf(page(n)));
    const pdfs = await Promise.all([...same, ...different]);
    for (const pdf of pdfs) expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const pdf of pdfs.slice(1, 6)) expect(pdf).toBe(pdfs[0]);
    const after = pdfQueueStats();
    expect(after.printed - before.printed).toBe(5);
    expect(after.browsersLaunched - before.browsersLaunched).toBe(1);
    expect(after.mostAtOnce).toBe(2);
  });
});
