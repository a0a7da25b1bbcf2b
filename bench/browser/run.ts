/**
 * npm run bench:browser: the bench's workloads in Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; never a downloaded browser) on a cross-origin-isolated page served on localhost
 * (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp):
 * wasm-mlp's variants in a module worker and TensorFlow.js's wasm backend on the page, at each
 * thread count. See README "Speed".
 *
 *   npm run bench:browser -- [--quick] [--only wasm,tfjs-wasm] [--workloads planar,deep] [--threads 1,2]
 *                            [--simd plain,relaxed] [--gemm 512 | --gemm none] [--json FILE]
 *
 * TF.js 4.22 caps its threads at navigator.hardwareConcurrency / 2, so on a 2-core machine it runs
 * one thread even when asked for two. Every thread count above 1 is therefore run twice: as shipped
 * and with navigator.hardwareConcurrency overridden on the page (2 × the threads) before TF.js
 * loads. Each session is a fresh page; within it the implementations alternate round-robin.
 */
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import type { Target } from '../report.js';
import { targetLine } from '../report.js';
import { fmt, parseList, parseSizes, parseThreads, table } from '../stats.js';
import { PROTOCOL, type Protocol } from '../timing.js';
import { SIMD_MODULES, type Variant } from '../variants.js';
import { workloadNames } from '../workloads.js';
import type { SessionConfig, SessionResult } from './page.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** the bundle is build/bench-browser.mjs: the repository is one folder up */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BROWSER_IMPLS = ['wasm', 'tfjs-wasm'] as const;

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    console.error((e as Error).message.replace(/^bench:/, 'bench:browser:'));
    process.exit(2);
  }
}
const { values } = usage(() => parseArgs({
  options: {
    quick: { type: 'boolean' }, only: { type: 'string' }, workloads: { type: 'string' }, gemm: { type: 'string' },
    threads: { type: 'string' }, simd: { type: 'string' }, json: { type: 'string' },
    repeats: { type: 'string' }, 'min-seconds': { type: 'string' },
  },
}));
const impls = usage(() => parseList('only', values.only, BROWSER_IMPLS, BROWSER_IMPLS));
const workloads = usage(() => parseList('workloads', values.workloads, workloadNames, values.quick ? ['planar', 'mnist-shape'] : workloadNames));
const gemmSizes = usage(() => parseSizes('gemm', values.gemm, values.quick ? [512] : [128, 512]));
const threadCounts = usage(() => parseThreads('threads', values.threads, [1, 2]));
const simds = usage(() => parseList('simd', values.simd, SIMD_MODULES, SIMD_MODULES));
const protocol: Protocol = {
  ...PROTOCOL,
  ...(values.repeats ? { repeats: Number(values.repeats) } : {}),
  ...(values['min-seconds'] ? { minSeconds: Number(values['min-seconds']) } : {}),
};
const COST_TOLERANCE = 1e-4; // as npm run bench: float32 sums in different orders differ by ~1e-6

interface Session { config: SessionConfig; hardwareConcurrency?: number }
const sessions: Session[] = [];
for (const t of threadCounts) {
  const config: SessionConfig = {
    name: `threads ${t}`, tfThreads: impls.includes('tfjs-wasm') ? t : null,
    variants: impls.includes('wasm') ? simds.map((simd): Variant => ({ threads: t, simd })) : [],
    workloads, gemm: gemmSizes, protocol, costTolerance: COST_TOLERANCE, wasmPaths: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/',
  };
  sessions.push({ config });
  if (t > 1 && config.tfThreads !== null) sessions.push({ config: { ...config, name: `threads ${t}, hardwareConcurrency ${2 * t}` }, hardwareConcurrency: 2 * t });
}

const line = (s = '') => console.log(s);
const started = performance.now();
// the kernel modules the library ships as files of their own (dist/*.wasm, where it has any) go beside
// the bench's bundle, where the library looks for them (as a bundler's user copies them)
const dist = path.join(repoRoot, 'dist');
for (const f of existsSync(dist) ? readdirSync(dist).filter((x) => x.endsWith('.wasm')) : []) {
  copyFileSync(path.join(dist, f), path.join(repoRoot, 'build', 'bench-browser', f));
}
// the playground's static server, loaded from the repository (not bundled: its command-line part
// runs when the importing file is the one node started)
const { startServer } = await import(pathToFileURL(path.join(repoRoot, 'scripts/serve.mjs')).href) as typeof import('../../scripts/serve.mjs');
const server = await startServer({ root: repoRoot, folders: ['build', 'bench', 'node_modules'] });
// every response of the bench's origin: cross-origin isolated, so SharedArrayBuffer and wasm threads work
server.server.prependListener('request', (_req, res) => {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
const chromiumVersion = browser.version();
const out: SessionResult[] = [];
try {
  line(`wasm-mlp browser bench — Chromium ${chromiumVersion} (${CHROMIUM}), page ${server.url}bench/browser/index.html`);
  line(`protocol: warm-up, then ${protocol.repeats} repeats per implementation alternating round-robin, each ≥ ${protocol.minSeconds} s; medians; one fresh page per session`);
  line(`sessions: ${sessions.map((s) => s.config.name).join('; ')}; workloads: ${workloads.join(', ')}; GEMM: ${gemmSizes.join(', ') || 'none'}`);
  for (const s of sessions) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (m) => line(`  | ${m.text()}`));
    page.on('pageerror', (e) => line(`  | page error: ${e.message}`));
    if (s.hardwareConcurrency !== undefined) {
      const n = s.hardwareConcurrency;
      // before any page script runs, so TF.js reads the overridden value when it loads
      await page.addInitScript(`Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${n} });`);
    }
    await page.goto(`${server.url}bench/browser/index.html`);
    await page.waitForFunction(() => (globalThis as unknown as { benchReady?: boolean }).benchReady === true, undefined, { timeout: 60_000 });
    line();
    line(`session: ${s.config.name}`);
    const r = await page.evaluate((cfg) => (globalThis as unknown as { benchSession(c: SessionConfig): Promise<SessionResult> }).benchSession(cfg), s.config);
    out.push(r);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

// ---------------------------------------------------------------------------------------------
// report

line();
const rows: string[][] = [['session', 'workload', 'impl', 'threads', 'simd', 'steps/s', 'ms/step', 'GFLOP/s', 'TF.js form']];
for (const s of out) {
  for (const r of s.results) rows.push([s.name, r.workload, r.label, String(r.threads), r.simd ?? '', fmt(r.stepsPerSec), fmt(r.msPerStep), fmt(r.gflops), r.tfForm ?? '']);
}
line(table(rows));
if (out.some((s) => s.gemm.length > 0)) {
  line();
  line('square GEMM C = A·B (2n³ flop); /peak against the peak loops timed in the same round-robin (FMA for the relaxed module):');
  const grows: string[][] = [['session', 'n', 'impl', 'threads', 'GFLOP/s', '/peak', 'mul+add peak', 'FMA peak']];
  for (const s of out) for (const g of s.gemm) grows.push([s.name, String(g.n), g.label, String(g.threads), fmt(g.gflops), `${(g.fractionOfPeak * 100).toFixed(0)}%`, fmt(g.peakGflops), fmt(g.fmaPeakGflops ?? undefined)]);
  line(table(grows));
}
const unavailable = out.flatMap((s) => s.unavailable.map((u) => `${u.label}: ${u.reason}`));
if (unavailable.length > 0) {
  line();
  line('not measured (variant not available):');
  for (const u of new Set(unavailable)) line(`  ${u}`);
}

// wasm-mlp ≥ 2× TF.js wasm on mnist-shape and deep at the same thread count, per session
const targets: Target[] = [];
for (const s of out) {
  for (const wl of ['mnist-shape', 'deep'].filter((w) => workloads.includes(w))) {
    const tf = s.results.find((r) => r.workload === wl && r.impl === 'tfjs-wasm');
    for (const r of s.results.filter((x) => x.workload === wl && x.impl === 'wasm')) {
      const target = `${s.name}, ${wl}: ${r.label} / tfjs-wasm ≥ 2×`;
      if (!tf) targets.push({ group: 'browser', target, value: null, pass: null });
      else if (tf.threads !== r.threads) {
        targets.push({ group: 'browser', target, value: r.stepsPerSec / tf.stepsPerSec, pass: null, detail: `does not apply: TF.js ran ${tf.threads} thread(s), wasm-mlp ${r.threads}` });
      } else targets.push({ group: 'browser', target, value: r.stepsPerSec / tf.stepsPerSec, pass: r.stepsPerSec / tf.stepsPerSec >= 2 });
    }
  }
}
if (targets.length > 0) {
  line();
  line('targets (Chromium):');
  for (const t of targets) line(targetLine(t));
}
for (const s of out) for (const n of s.notes) line(`note: ${s.name}: ${n}`);
const seconds = (performance.now() - started) / 1000;
line(`\nbench:browser took ${seconds.toFixed(0)} s`);
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ chromium: { path: CHROMIUM, version: chromiumVersion }, date: new Date().toISOString(), args: process.argv.slice(2), protocol, sessions: out, targets, seconds }, null, 2) + '\n');
  line(`wrote ${values.json}`);
}
