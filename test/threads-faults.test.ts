// Threads that fail and threads that end: a worker that throws or exits makes the call throw an
// Error naming it, with the parameters from before the failed step; the network carries on on one
// thread, bit-identical; dispose() terminates the workers and a Node process ends on its own;
// where threads are unavailable the network runs on one thread and says why (never an error).
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Network } from '../src/index.js';
import { createWasmBackend } from '../src/core/backend.js';
import { Pool } from '../src/core/pool.js';
import { Scratch, bitEqual, randomArray } from './support/helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

afterEach(() => {
  Pool.testFault = undefined;
});

const params = (net: Network) => Float32Array.from(net.getParams().flatMap(({ W, b }) => [...W.data, ...b]));

describe('a worker that fails', () => {
  it.each([
    ['throw', /^wasm-mlp: worker thread 1 \(of 2\) threw Error: a fault injected by a test$/],
    ['exit', /^wasm-mlp: worker thread 1 \(of 2\) exited during a kernel call$/],
  ] as const)('%s: the product throws a clear Error; the backend carries on on one thread with the same bits', async (kind, message) => {
    const be = await createWasmBackend({ threads: 2, simd: 'plain' });
    const s = new Scratch(be);
    const n = 256;
    const a = s.put(randomArray(n * n, 1)), b = s.put(randomArray(n * n, 2)), c = s.put(n * n), want = s.put(n * n);
    be.raw!.gemm_nn(want, a, b, n, n, n, 1, 0);
    Pool.testFault = { kind, after: 0 };
    expect(() => be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0)).toThrow(message);
    expect(be.threads).toBe(1);
    expect(be.notes.join(' ')).toMatch(/threads 1 instead of 2: worker thread 1/);
    const before = Pool.dispatches;
    be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0);
    expect(Pool.dispatches, 'no dispatch once the pool is closed').toBe(before);
    expect(bitEqual(s.get(c, n * n), s.get(want, n * n))).toBe(true);
    be.dispose();
  });

  it.each([['the first', 0], ['the last', -1]] as const)('in %s dispatch of a training step: train() throws, the parameters are those from before that step', async (_, at) => {
    const X = { rows: 96, cols: 120, data: randomArray(96 * 120, 5) };
    const Y = { rows: 1, cols: 120, data: randomArray(120, 6).map((v) => (v > 0 ? 1 : 0)) };
    const opts = { layers: [96, 80, 64, 1], activations: ['tanh', 'relu', 'sigmoid'], seed: 4 } as const;
    const net = await Network.create({ ...opts, threads: 2 });
    expect(net.threads).toBe(2);
    net.train(X, Y, { iterations: 3, learningRate: 0.1, optimizer: 'adam' });
    // how many dispatches one step makes
    const d0 = Pool.dispatches;
    net.train(X, Y, { iterations: 1, learningRate: 0.1, optimizer: 'adam' });
    const perStep = Pool.dispatches - d0;
    expect(perStep).toBeGreaterThanOrEqual(2);
    const before = params(net);
    Pool.testFault = { kind: 'throw', after: at === 0 ? 0 : perStep - 1 };
    expect(() => net.train(X, Y, { iterations: 5, learningRate: 0.1, optimizer: 'adam' })).toThrow(/worker thread 1 \(of 2\) threw/);
    expect(bitEqual(params(net), before), 'no parameter changed').toBe(true);
    expect(net.threads).toBe(1);
    expect(net.notes.join(' ')).toMatch(/worker thread 1/);
    // it trains on, on one thread, as a one-thread network does from the same parameters
    const one = await Network.create({ ...opts, threads: 1 });
    one.setParams(net.getParams());
    const a = net.train(X, Y, { iterations: 5, learningRate: 0.1 });
    const b = one.train(X, Y, { iterations: 5, learningRate: 0.1 });
    expect(Array.from(a.costs)).toEqual(Array.from(b.costs));
    expect(bitEqual(params(net), params(one))).toBe(true);
    net.dispose();
    one.dispose();
  });
});

describe('dispose()', () => {
  it('terminates the workers; the network is closed and reports one thread', async () => {
    const be = await createWasmBackend({ threads: 2 });
    const pool = be.pool!;
    expect(pool.closed).toBeUndefined();
    be.dispose();
    expect(pool.closed).toBe('disposed');
    await pool.terminated; // resolves once every worker thread has exited
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
      console.log(net.threads, r.iterations);
      ${end}
      console.log('end of script');`);
    // the process exits by itself (a hang would be killed by the 60 s timeout: status null)
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['2 20', 'end of script']);
    expect(Date.now() - t0).toBeLessThan(30_000);
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
    const { relaxedSimdSupported } = await import('../src/core/extra.js');
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
