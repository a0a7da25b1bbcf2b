/**
 * Debian's Chromium (/usr/bin/chromium) through playwright-core, for browser tests: launched once
 * per test file, never downloaded. Without Chromium the tests using it FAIL and say how to install
 * it (.ci/run installs the `chromium` package).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** The browser, or an Error saying why there is none (to be thrown by each test). */
export async function launchChromium(): Promise<Browser | Error> {
  if (!existsSync(CHROMIUM)) {
    return new Error(`browser tests: Chromium is missing at ${CHROMIUM}. Install Debian's package: apt-get update && apt-get install -y chromium (.ci/run does this). No browser is ever downloaded.`);
  }
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  } catch (e) {
    return new Error(`browser tests: could not launch ${CHROMIUM}: ${(e as Error).message}`);
  }
}

/** A page that records console errors (its workers' too), uncaught exceptions, failed requests and requests off `origin`. */
export async function recordingPage(browser: Browser, origin: string, viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[]; offOrigin: string[] }> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const errors: string[] = [];
  const offOrigin: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) offOrigin.push(u);
  });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker console: ${m.text()}`); }));
  return { page, errors, offOrigin };
}
