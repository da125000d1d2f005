// PDFs for the server: one shared Chromium, a few pages printing at once, a bounded line of waiting documents
// (503 with Retry-After beyond it), and the same document asked for twice at once printed once.
import { createHash } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { BusyError } from '../domain/errors.js';
import { launchBrowser } from './browser.js';
import { printPage } from './pdf.js';

/** Pages printing at the same time, and documents that may wait for one. */
const PAGES = 2;
const QUEUED = 12;
/** The browser closes after this long without work, and starts again on the next request. */
const IDLE_MS = 60_000;

/** One context for every page: the bundled Chromium runs single-process and cannot hold a second context. */
let browser: Promise<BrowserContext> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let printing = 0;
const waiting: (() => void)[] = [];
const inFlight = new Map<string, Promise<Buffer>>();
const stats = { printed: 0, mostAtOnce: 0, browsersLaunched: 0 };

/** How many documents were printed, the most pages printing at once, and browser launches so far. */
export function pdfQueueStats(): Readonly<typeof stats> {
  return { ...stats };
}

/**
 * Prints one HTML document to PDF through the shared queue.
 * @example const pdf = await queuePdf(renderReportHtml(data));
 */
export function queuePdf(html: string): Promise<Buffer> {
  const key = createHash('sha256').update(html).digest('hex');
  const known = inFlight.get(key);
  if (known) return known;
  if (printing >= PAGES && waiting.length >= QUEUED) {
    return Promise.reject(
      new BusyError(`${printing + waiting.length} PDFs are being printed; this one was not queued`, {
        retryAfter: 20,
        hint: 'Ask again in a little while, or take the HTML version (format=html).',
      }),
    );
  }
  const job = print(html).finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  return job;
}

async function print(html: string): Promise<Buffer> {
  if (printing >= PAGES) await new Promise<void>((go) => waiting.push(go));
  printing++;
  stats.mostAtOnce = Math.max(stats.mostAtOnce, printing);
  clearTimeout(idleTimer);
  try {
    if (!browser) {
      stats.browsersLaunched++;
      const launched = launchBrowser().then((b) => {
        // A crashed browser is launched afresh on the next request.
        b.on('disconnected', () => {
          if (browser === launched) browser = undefined;
        });
        return b.newContext();
      });
      launched.catch(() => {
        if (browser === launched) browser = undefined;
      });
      browser = launched;
    }
    const page = await (await browser).newPage();
    try {
      const pdf = await printPage(page, html);
      stats.printed++;
      return pdf;
    } finally {
      await page.close();
    }
  } finally {
    printing--;
    const next = waiting.shift();
    if (next) next();
    else if (printing === 0) idleTimer = setTimeout(() => void closePdfQueue(), IDLE_MS).unref();
  }
}

/** Closes the shared browser (when the server stops, or after it has been idle). */
export async function closePdfQueue(): Promise<void> {
  clearTimeout(idleTimer);
  const open = browser;
  browser = undefined;
  if (open) {
    const context = await open.catch(() => undefined);
    await context
      ?.browser()
      ?.close()
      .catch(() => undefined);
  }
}
