/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core over the
 * static server of `npm run demo` (scripts/serve.mjs). A browser is never downloaded: without
 * Chromium every test that asks for it FAILS with the reason (.ci/run installs the `chromium`
 * package with apt-get).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../scripts/serve.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(repoRoot, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export interface BrowserSession {
  /** the server's base URL, ending in / */
  url: string;
  /** the shared browser, or the reason there is none (the calling test fails with it) */
  browser(): Browser;
  close(): Promise<void>;
}

/**
 * Starts the static server over `folders` of `root` (default the repository) and launches
 * Chromium; `isolated`: the server sends the cross-origin isolation headers (as npm run demo does).
 */
export async function startBrowserSession(folders: string[], root = repoRoot, { isolated = false } = {}): Promise<BrowserSession> {
  const server: RunningServer = await startServer({ root, folders, isolated });
  let browser: Browser | undefined;
  let launchError: Error | undefined;
  if (!existsSync(CHROMIUM)) {
    launchError = new Error(
      `browser tests: Chromium is missing at ${CHROMIUM}. Install Debian's package: ` +
      'apt-get update && apt-get install -y chromium (.ci/run does this). No browser is ever downloaded.',
    );
  } else {
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    } catch (e) {
      launchError = new Error(`browser tests: could not launch ${CHROMIUM}: ${(e as Error).message}`);
    }
  }
  return {
    url: server.url,
    browser() {
      if (launchError) throw launchError;
      if (!browser) throw new Error('browser tests: Chromium was not launched');
      return browser;
    },
    async close() {
      await browser?.close();
      await server.close();
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** console errors (the page's and its workers'), uncaught exceptions, failed requests */
  errors: string[];
  /** requests that left the server's origin */
  offOrigin: string[];
}

/**
 * A new page that records errors and off-origin requests. `optional`: paths of files the page
 * probes for and may not find (a failed request for one of them is not an error).
 */
export async function openPage(session: BrowserSession, viewport = { width: 1280, height: 680 }, optional: string[] = []): Promise<OpenedPage> {
  const page = await session.browser().newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  const offOrigin: string[] = [];
  const origin = new URL(session.url).origin;
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!optional.includes(new URL(r.url()).pathname)) errors.push(`request failed: ${r.url()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) offOrigin.push(u);
  });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker console: ${m.text()}`); }));
  return { page, errors, offOrigin };
}
