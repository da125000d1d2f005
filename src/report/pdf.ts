// HTML → PDF by printing in headless Chromium: A4, page numbers in the footer, backgrounds kept.
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser.js';

const FOOTER = `<div style="font-family: sans-serif; font-size: 8px; color: #666; width: 100%; text-align: center;">Side <span class="pageNumber"></span> af <span class="totalPages"></span></div>`;
/** Reports with synthetic demo values say so at the foot of every page. */
const SYNTHETIC_FOOTER = `<div style="font-family: sans-serif; font-size: 8px; color: #666; width: 100%; text-align: center;">Indeholder syntetiske demotal – ikke målte data · Side <span class="pageNumber"></span> af <span class="totalPages"></span></div>`;

/** Prints each HTML document to a PDF buffer, reusing one browser. */
export async function htmlToPdf(
  documents: readonly string[],
  onEach?: (done: number, total: number) => void,
): Promise<Buffer[]> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const out: Buffer[] = [];
    for (const [i, html] of documents.entries()) {
      out.push(await printPage(page, html));
      onEach?.(i + 1, documents.length);
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** Prints one HTML document on a page: A4, page numbers in the footer, backgrounds kept. */
export async function printPage(page: Page, html: string): Promise<Buffer> {
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  return page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: /<body[^>]*data-synthetic="true"/.test(html) ? SYNTHETIC_FOOTER : FOOTER,
    margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
  });
}
