// Debian's Chromium (/usr/bin/chromium) driven by playwright-core over the static server of
// `npm run demo` (scripts/serve.mjs), for the browser tests. Without Chromium a test fails, saying
// how to install it (.ci/run does); a browser is never downloaded.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../scripts/serve.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BrowserSandbox {
  /** the server's base URL (ends with /), once the hooks have run */
  url: string;
  /** the launched browser, or the error that says why there is none */
  browser(): Browser;
}

/** Registers the hooks that start the server and the browser for this test file, and stop them. */
export function browserSandbox(folders: string[]): BrowserSandbox {
  let server: RunningServer | undefined, browser: Browser | undefined, launchError: Error | undefined;
  const box: BrowserSandbox = {
    url: '',
    browser() {
      if (launchError) throw launchError;
      if (!browser) throw new Error('browser tests: Chromium was not launched');
      return browser;
    },
  };
  beforeAll(async () => {
    server = await startServer({ root: repoRoot, folders });
    box.url = server.url;
    if (!existsSync(CHROMIUM)) {
      launchError = new Error(`browser tests: Chromium is missing at ${CHROMIUM}. Install Debian's package: apt-get update && apt-get install -y chromium (.ci/run does this). No browser is ever downloaded.`);
      return;
    }
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    } catch (e) {
      launchError = new Error(`browser tests: could not launch ${CHROMIUM}: ${(e as Error).message}`);
    }
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return box;
}
