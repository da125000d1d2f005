// Finds and launches a headless Chromium in one place: PEJLING_CHROMIUM if set, else Debian's /usr/bin/chromium,
// else the Chromium that `npm install` brought (@sparticuz/chromium). No download at run time.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The executable and arguments to launch Chromium with. */
export async function resolveChromium(): Promise<{ executablePath: string; args: string[] }> {
  const fromEnv = process.env.PEJLING_CHROMIUM;
  if (fromEnv) return { executablePath: fromEnv, args: FLAGS };
  if (existsSync('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium', args: FLAGS };
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return { executablePath: await sparticuz.executablePath(), args: [...new Set([...sparticuz.args, ...FLAGS])] };
}

/**
 * Launches headless Chromium.
 * @example const browser = await launchBrowser(); const page = await browser.newPage();
 */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = await resolveChromium();
  return chromium.launch({ executablePath, args, headless: true });
}
