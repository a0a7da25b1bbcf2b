// Threads that fail and threads that end: a worker that throws or dies (exits, crashes, runs out
// of memory, is terminated from outside; during a call or between calls) makes the call throw an
// Error naming it, with the parameters from before the failed step; the network carries on on one
// thread, bit-identical; dispose() terminates the workers and a Node process ends on its own;
// where threads are unavailable the network runs on one thread and says why (never an error).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SEPARATE_MODULES } from '../scripts/copy-wasm.mjs';
import { Network } from '../src/index.js';
import { createWasmBackend } from '../src/core/backend.js';
import { Pool, type TestFault } from '../src/core/pool.js';
import { Scratch, bitEqual, randomArray } from './support/helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

afterEach(() => {
  Pool.testFault = undefined;
  Pool.testHeapMb = 0;
});

const params = (net: Network) => Float32Array.from(net.getParams().flatMap(({ W, b }) => [...W.data, ...b]));

/** Each way a worker fails during a call (Pool.testFault), and the call's message. */
const FAILURES: [TestFault, RegExp][] = [
  ['throw', /^wasm-mlp: worker thread 1 \(of 2\) threw Error: a fault injected by a test$/],
  // process.exit(3) inside the part
  ['exit', /^wasm-mlp: worker thread 1 \(of 2\) died during a kernel call: it exited with code 3$/],
  // an error thrown out of the worker's program (nothing in it catches it)
  ['crash', /^wasm-mlp: worker thread 1 \(of 2\) died during a kernel call: it exited with code 1 \(Error: a crash injected by a test\)$/],
  // terminated from outside (by the supervisor) while it runs the part
  ['terminate', /^wasm-mlp: worker thread 1 \(of 2\) died during a kernel call: it exited with code 1$/],
  // out of heap (the workers' heap limited to 16 MiB)
  ['oom', /^wasm-mlp: worker thread 1 \(of 2\) died during a kernel call: it exited with code 1 \(Error \[ERR_WORKER_OUT_OF_MEMORY\]: Worker terminated due to reaching memory limit: JS heap out of memory\)$/],
];

describe('a worker that fails', () => {
  it.each(FAILURES)('%s: the product throws a clear Error; the backend carries on on one thread with the same bits', async (kind, message) => {
    if (kind === 'oom') Pool.testHeapMb = 16;
    const be = await createWasmBackend({ threads: 2, simd: 'plain' });
    const s = new Scratch(be);
    const n = 256;
    const a = s.put(randomArray(n * n, 1)), b = s.put(randomArray(n * n, 2)), c = s.put(n * n), want = s.put(n * n);
    be.raw!.gemm_nn(want, a, b, n, n, n, 1, 0);
    Pool.testFault = { kind, after: 0 };
    const t0 = performance.now();
    expect(() => be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0)).toThrow(message);
    // the supervisor wakes the caller at once (its waits are slices of 100 ms in any case)
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(be.threads).toBe(1);
    expect(be.notes.join(' ')).toMatch(/threads 1 instead of 2: worker thread 1 \(of 2\) (threw|died)/);
    const before = Pool.dispatches;
    be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0);
    expect(Pool.dispatches, 'no dispatch once the pool is closed').toBe(before);
    expect(bitEqual(s.get(c, n * n), s.get(want, n * n))).toBe(true);
    be.dispose();
  });

  const X = { rows: 96, cols: 120, data: randomArray(96 * 120, 5) };
  const Y = { rows: 1, cols: 120, data: randomArray(120, 6).map((v) => (v > 0 ? 1 : 0)) };
  const opts = { layers: [96, 80, 64, 1], activations: ['tanh', 'relu', 'sigmoid'], seed: 4 } as const;

  /** A network on 2 threads after 3 Adam steps, and how many dispatches one step makes. */
  async function trained() {
    const net = await Network.create({ ...opts, threads: 2 });
    expect(net.threads).toBe(2);
    // a network that waits on one thread at create starts its workers in the background (the
    // caller runs every part until they are up): the faults below are the workers'
    await Pool.testStarted();
    net.train(X, Y, { iterations: 3, learningRate: 0.1, optimizer: 'adam' });
    const d0 = Pool.dispatches;
    net.train(X, Y, { iterations: 1, learningRate: 0.1, optimizer: 'adam' });
    const perStep = Pool.dispatches - d0;
    expect(perStep).toBeGreaterThanOrEqual(2);
    return { net, perStep };
  }

  /** It trains on, on one thread, as a one-thread network does from the same parameters. */
  async function trainsOnAsOneThread(net: Network) {
    const one = await Network.create({ ...opts, threads: 1 });
    one.setParams(net.getParams());
    const a = net.train(X, Y, { iterations: 5, learningRate: 0.1 });
    const b = one.train(X, Y, { iterations: 5, learningRate: 0.1 });
    expect(Array.from(a.costs)).toEqual(Array.from(b.costs));
    expect(bitEqual(params(net), params(one))).toBe(true);
    one.dispose();
  }

  describe.each(FAILURES)('%s', (kind, message) => {
    it.each([['the first', 0], ['the last', -1]] as const)('in %s dispatch of a training step: train() throws, the parameters are those from before that step', async (_, at) => {
      if (kind === 'oom') Pool.testHeapMb = 16;
      const { net, perStep } = await trained();
      const before = params(net);
      Pool.testFault = { kind, after: at === 0 ? 0 : perStep - 1 };
      expect(() => net.train(X, Y, { iterations: 5, learningRate: 0.1, optimizer: 'adam' })).toThrow(message);
      expect(bitEqual(params(net), before), 'no parameter changed').toBe(true);
      expect(net.threads).toBe(1);
      expect(net.notes.join(' ')).toMatch(/worker thread 1/);
      await trainsOnAsOneThread(net);
      net.dispose();
    });
  });

  it('a worker that dies between calls (terminated from outside): the next product throws saying so, then runs on one thread with the same bits', async () => {
    const be = await createWasmBackend({ threads: 2, simd: 'plain' });
    const s = new Scratch(be);
    const n = 256;
    const a = s.put(randomArray(n * n, 3)), b = s.put(randomArray(n * n, 4)), c = s.put(n * n), want = s.put(n * n);
    be.raw!.gemm_nn(want, a, b, n, n, n, 1, 0);
    be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0);
    expect(bitEqual(s.get(c, n * n), s.get(want, n * n))).toBe(true);
    await be.pool!.testTerminate(1);
    expect(() => be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0)).toThrow(/^wasm-mlp: worker thread 1 \(of 2\) died between calls: it exited with code 1$/);
    expect(be.threads).toBe(1);
    const c2 = s.put(n * n);
    be.kernels.gemm_nn(c2, a, b, n, n, n, 1, 0);
    expect(bitEqual(s.get(c2, n * n), s.get(want, n * n))).toBe(true);
    be.dispose();
  });

  it('backward() that fails half-way leaves no gradients for update() (not the last backward\'s, half overwritten)', async () => {
    const net = await Network.create({ ...opts, threads: 2 });
    await Pool.testStarted();
    net.forward(X);
    net.backward(Y);
    const before = params(net);
    Pool.testFault = { kind: 'terminate', after: 0 };
    expect(() => net.backward(Y)).toThrow(/worker thread 1 \(of 2\) died during a kernel call/);
    expect(() => net.update(0.1)).toThrow(/no gradients to apply/);
    expect(bitEqual(params(net), before)).toBe(true);
    net.dispose();
  });
});

describe('dispose()', () => {
  it('terminates the workers; the network is closed and reports one thread', async () => {
    const be = await createWasmBackend({ threads: 2 });
    const pool = be.pool!;
    expect(pool.closed).toBeUndefined();
    be.dispose();
    expect(pool.closed).toBe('disposed');
    await pool.terminated; // resolves once every worker thread has exited (the child process below counts them)
    expect(be.threads).toBe(1);
    expect(be.notes).toEqual([]);
    const net = await Network.create({ layers: [128, 64, 2], threads: 2 });
    expect(net.threads).toBe(2);
    net.dispose();
    expect(net.threads).toBe(1);
  });

  const node = (flags: string[], script: string) => spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

  it.each([['after dispose()', 'net.dispose();'], ['without dispose() (the workers never hold the process)', '']])('a Node process using threads ends on its own %s', (_, end) => {
    const t0 = Date.now();
    const r = node([], `
      import { Network, datasets } from './dist/index.js';
      const net = await Network.create({ layers: [256, 128, 10], activations: ['tanh', 'softmax'], threads: 2 });
      const X = { rows: 256, cols: 200, data: Float32Array.from({ length: 256 * 200 }, (_, i) => Math.sin(i)) };
      const r = net.train(X, Array.from({ length: 200 }, (_, j) => j % 10), { iterations: 20, learningRate: 0.1 });
      // and a network too small to split: its workers wait, never given a part (threads-waiting.test.ts)
      const small = await Network.create({ layers: [2, 4, 1], threads: 2 });
      const s = small.train({ rows: 2, cols: 50, data: X.data.subarray(0, 100) }, { rows: 1, cols: 50, data: Float32Array.from({ length: 50 }, (_, j) => j % 2) }, { iterations: 20, learningRate: 1 });
      console.log(net.threads, r.iterations, small.threads, s.iterations);
      ${end.replaceAll('net.', 'small.')}
      ${end}
      console.log('end of script');`);
    // the process exits by itself (a hang would be killed by the 60 s timeout: status null)
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['2 20 2 20', 'end of script']);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  // Node keeps in the main thread a MessagePort for every thread (postMessageToThread's), dropped
  // when the message sent on a nested worker's exit arrives: with the main thread busy while a
  // pool ends, a supervisor that exited at once lost that message and a port stayed (~1.2 KB), one
  // a pool; it now exits once the main thread has read its workers' exits. (v8.queryObjects counts
  // the ports: Node ≥ 20.13.)
  it('ten pools ended while the main thread is busy leave no MessagePort behind', () => {
    const r = node(['--expose-gc', '--no-warnings'], `
      import v8 from 'node:v8';
      import { MessagePort } from 'node:worker_threads';
      import { Network } from './dist/index.js';
      const X = { rows: 2, cols: 64, data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i)) };
      const Y = { rows: 1, cols: 64, data: Float32Array.from({ length: 64 }, (_, j) => j % 2) };
      const ports = async () => { await new Promise((r) => setTimeout(r, 300)); gc(); return v8.queryObjects(MessagePort, { format: 'count' }); };
      const cycle = async (seed) => {
        const net = await Network.create({ layers: [2, 4, 1], seed, threads: 2 });
        if (net.threads !== 2) throw new Error('no threads: ' + net.notes.join('; '));
        net.train(X, Y, { iterations: 3, learningRate: 0.5 });
        net.dispose();
        const t = Date.now();
        while (Date.now() - t < 40) {} // busy while the workers and their supervisor end
      };
      await cycle(0);
      const before = await ports();
      for (let i = 1; i <= 10; i++) await cycle(i);
      console.log(before, await ports());`);
    expect(r.status, r.stderr).toBe(0);
    const [before, after] = r.stdout.trim().split(' ').map(Number);
    expect(after, `MessagePorts: ${before} after one pool, ${after} after ten more`).toBeLessThanOrEqual(before);
  });

  describe('in a child process (a bundle of src/, for the test hooks)', () => {
    const dir = path.join(repoRoot, 'test-artifacts', 'pool-child');
    const child = path.join(dir, 'child.mjs');
    beforeAll(async () => {
      mkdirSync(dir, { recursive: true });
      await build({ entryPoints: [path.join(repoRoot, 'test/fixtures/pool-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', loader: { '.wasm': 'binary' }, outfile: child, logLevel: 'warning' });
      // the module files beside the bundle, where it looks for them (new URL('./mlp-shared.wasm', import.meta.url))
      for (const f of SEPARATE_MODULES) copyFileSync(path.join(repoRoot, 'build', f), path.join(dir, f));
    });
    const run = (...args: string[]) => spawnSync(process.execPath, [child, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

    it('a pool of 3 threads is 3 OS threads (2 workers and their supervisor), all gone once dispose() has terminated them', () => {
      const r = run('threads');
      expect(r.status, r.stderr).toBe(0);
      const { before, running, after } = JSON.parse(r.stdout) as { before: number; running: number; after: number };
      expect([running - before, after]).toEqual([3, before]);
    });

    it.each([
      ['exit', 'dispose', 'it exited with code 3'], ['crash', 'dispose', 'it exited with code 1 (Error: a crash injected by a test)'],
      ['terminate', 'dispose', 'it exited with code 1'], ['oom', 'dispose', 'it exited with code 1 (Error [ERR_WORKER_OUT_OF_MEMORY]'],
      ['terminate', 'no dispose', 'it exited with code 1'],
    ])('%s, then %s: the call throws, the network trains on on one thread, and the process ends on its own', (kind, end, why) => {
      const t0 = Date.now();
      const r = run(kind, end);
      // a hang would be killed by the 60 s timeout (status null)
      expect(r.status, r.stderr).toBe(0);
      const [message, ...rest] = r.stdout.trim().split('\n');
      expect(message.startsWith(`wasm-mlp: worker thread 1 (of 2) died during a kernel call: ${why}`), message).toBe(true);
      expect(rest).toEqual(['1 3', 'end of script']);
      expect(Date.now() - t0).toBeLessThan(30_000);
    });
  });

  it('without SharedArrayBuffer: one thread, a note saying why (printed once), and no error for the default or for threads: 2', () => {
    const r = node(['--no-harmony-sharedarraybuffer'], `
      import { Network } from './dist/index.js';
      const a = await Network.create({ layers: [256, 128, 10] });
      const b = await Network.create({ layers: [256, 128, 10], threads: 2 });
      const X = { rows: 256, cols: 50, data: Float32Array.from({ length: 256 * 50 }, (_, i) => Math.cos(i)) };
      const Y = { rows: 10, cols: 50, data: Float32Array.from({ length: 500 }, (_, i) => i % 3 === 0 ? 1 : 0) };
      const r = b.train(X, Y, { iterations: 5, learningRate: 0.1 });
      console.log(JSON.stringify({ a: a.threads, b: b.threads, notes: b.notes, steps: r.iterations }));`);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const out = JSON.parse(lines[lines.length - 1]) as { a: number; b: number; notes: string[]; steps: number };
    expect(out).toMatchObject({ a: 1, b: 1, steps: 5 });
    expect(out.notes).toEqual(['threads 1 instead of 2: this engine has no SharedArrayBuffer']);
    // the note, on the console once, though two networks stepped down for the same reason
    const printed = lines.filter((l) => l.startsWith('wasm-mlp:'));
    expect(printed).toEqual(['wasm-mlp: threads 1 instead of 2: this engine has no SharedArrayBuffer']);
  });
});

describe('the options', () => {
  it.each([
    [{ threads: 0 }, /Network\.create: threads must be 'auto' or an integer from 1 to 128; got 0/],
    [{ threads: 2.5 }, /threads must be 'auto' or an integer from 1 to 128; got 2\.5/],
    [{ threads: 'many' }, /threads must be 'auto' or an integer/],
    [{ simd: 'fast' }, /Network\.create: simd must be 'auto', 'relaxed' or 'plain'; got "fast"/],
  ])('%o is refused with a message naming the option', async (bad, message) => {
    await expect(Network.create({ layers: [2, 3, 1], ...bad } as never)).rejects.toThrow(message);
  });

  // 'auto' means the available cores, at most 8
  const cores = Math.min(availableParallelism(), 8);

  it("'auto' starts no threads for a small network (every layer under 4096 weights): one thread is what it asks for", async () => {
    const before = Pool.dispatches;
    const net = await Network.create({ layers: [2, 256, 1] }); // 512 weights
    expect([net.threads, net.notes]).toEqual([1, []]);
    net.train({ rows: 2, cols: 400, data: randomArray(800, 9) }, { rows: 1, cols: 400, data: randomArray(400, 10, 0, 1) }, { iterations: 3, learningRate: 0.1 });
    expect(Pool.dispatches).toBe(before);
    net.dispose();
  });

  it("'auto' runs the available cores for a network with a large layer", async () => {
    const net = await Network.create({ layers: [64, 64, 1] }); // 4096 weights
    expect(net.threads).toBe(cores);
    expect(net.notes).toEqual([]);
    net.dispose();
  });

  it("the js backend runs one thread; simd 'none'", async () => {
    const net = await Network.create({ layers: [64, 64, 1], backend: 'js', threads: 2 });
    expect([net.threads, net.simd]).toEqual([1, 'none']);
    net.dispose();
  });

  it("simd 'relaxed' where the engine lacks relaxed SIMD: 'plain', with a note", async () => {
    const { relaxedSimdSupported } = await import('../src/core/modules.js');
    const net = await Network.create({ layers: [2, 3, 1], simd: 'relaxed', threads: 1 });
    if (relaxedSimdSupported()) {
      expect(net.simd).toBe('relaxed');
      expect(net.notes).toEqual([]);
    } else {
      expect(net.simd).toBe('plain');
      expect(net.notes).toEqual(["simd 'plain' instead of 'relaxed': this engine has no relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)"]);
    }
    net.dispose();
  });
});

describe('a worker that cannot start', () => {
  it('Pool.start rejects naming the worker and why; the network would run on one thread with that note', async () => {
    // a module whose one import, env.f, the workers do not give: instantiating it fails
    const module = new WebAssembly.Module(new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, //               type section: () → ()
      0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, // import section: env.f of that type
    ]));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const start = Pool.start({ module, memory, threads: 2, control: 0, commands: 4096, scratch: [0, 0], exports: {}, importNode: (n) => import(`node:${n}`) });
    await expect(start).rejects.toThrow(/^worker thread 1 did not start \(LinkError: .*\bimport\b/i);
  });
});
