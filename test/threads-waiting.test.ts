// A network on threads whose calls are all too small to split runs on a one-thread module of its
// own, the same calls one thread runs, and moves onto the threads' shared memory the first time a
// call may split (a larger batch). Which memory holds the arena shows in the buffer of the view
// forward(batch) returns: an ArrayBuffer on its own memory, a SharedArrayBuffer on the threads'.
// Through every move the results are the bits one thread gives.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Network, type Matrix } from '../src/index.js';
import { Pool } from '../src/core/pool.js';
import { observeWasmMemory } from '../src/core/backend.js';
import { splitFrom, splitMinWork } from '../src/core/parallel.js';
import { largestWork } from '../src/core/split-work.js';
import { bitEqual, randomArray } from './support/helpers.js';
import { runnableModules } from './support/modules.js';

const threaded = runnableModules().filter((c) => c.threads > 1);

/** 2-4-1 tanh, sigmoid (planar's shape) on m columns of seeded data */
function planarData(m: number, seed: number): { X: Matrix; Y: Matrix } {
  return {
    X: { rows: 2, cols: m, data: randomArray(2 * m, seed, -2, 2) },
    Y: { rows: 1, cols: m, data: randomArray(m, seed + 1).map((v) => (v > 0 ? 1 : 0)) },
  };
}

const flat = (net: Network) => Float32Array.from(net.getParams().flatMap(({ W, b }) => [...W.data, ...b]));
const shared = (net: Network, X: Matrix) => net.forward(net.batch(X)).data.buffer instanceof SharedArrayBuffer;

// the smallest batch at which a 2-4-1 call may split: its first layer's forward, 4·m·(2 + 8) multiply-adds' worth
const SPLITS_AT = Math.ceil(splitMinWork() / 40);

afterEach(() => splitFrom());

describe.each(threaded.map((c) => c.simd))('%s SIMD', (simd) => {
  it('the batch size from which a 2-4-1 call may split is the one the network moves at', () => {
    expect(largestWork([2, 4, 1], ['tanh', 'sigmoid'], SPLITS_AT)).toBeGreaterThanOrEqual(splitMinWork());
    expect(largestWork([2, 4, 1], ['tanh', 'sigmoid'], SPLITS_AT - 1)).toBeLessThan(splitMinWork());
  });

  it('a small network on 2 threads trains on its own memory, dispatches nothing, and moves to the shared memory when a batch may split; the same bits as one thread throughout', async () => {
    const small = planarData(400, 11), large = planarData(SPLITS_AT + 37, 12);
    const nets = await Promise.all([1, 2].map((threads) => Network.create({ layers: [2, 4, 1], seed: 5, threads, simd })));
    const [one, two] = nets;
    try {
      expect(two.threads, two.notes.join('; ')).toBe(2);
      expect(shared(two, small.X), 'a 2-4-1 network at m = 400 is on its own memory').toBe(false);
      const before = Pool.dispatches;
      for (const net of nets) net.train(small.X, small.Y, { iterations: 50, learningRate: 1.2 });
      expect(Pool.dispatches - before, 'nothing split').toBe(0);
      expect(two.threads).toBe(2);
      expect(shared(two, small.X)).toBe(false);
      expect(bitEqual(flat(two), flat(one)), 'after 50 steps at m = 400').toBe(true);

      // a batch from which its first layer's forward splits: the arena moves, and the products split
      const moved = Pool.dispatches;
      const r = nets.map((net) => net.train(large.X, large.Y, { iterations: 5, learningRate: 1.2 }));
      expect(Pool.dispatches - moved, 'the large batch split over the threads').toBeGreaterThanOrEqual(5);
      expect(shared(two, small.X), 'on the shared memory now').toBe(true);
      expect(Float64Array.from(r[1].costs)).toEqual(Float64Array.from(r[0].costs));
      expect(bitEqual(flat(two), flat(one)), 'after the move and 5 steps').toBe(true);

      // and it stays there: small batches again (unsplit calls on the shared memory)
      for (const net of nets) net.train(small.X, small.Y, { iterations: 20, learningRate: 1.2, optimizer: 'adam' });
      expect(shared(two, small.X)).toBe(true);
      expect(bitEqual(flat(two), flat(one)), 'after 20 more steps at m = 400').toBe(true);
    } finally {
      for (const net of nets) net.dispose();
    }
  });

  it('the step API moves too: forward on a large batch moves the arena, the gradients and updates are one thread’s bits', async () => {
    const large = planarData(SPLITS_AT + 5, 21);
    const out: { A: Float32Array; J: number; P: Float32Array; onShared: boolean }[] = [];
    for (const threads of [1, 2]) {
      const net = await Network.create({ layers: [2, 4, 1], seed: 6, threads, simd });
      net.setParams(net.getParams()); // (a no-op write before the move: the parameters copy over)
      const A = Float32Array.from(net.forward(large.X).data);
      const J = net.cost(large.Y);
      net.backward(large.Y);
      net.update(0.5);
      out.push({ A, J, P: flat(net), onShared: shared(net, large.X) });
      net.dispose();
    }
    expect(out[0].onShared).toBe(false);
    expect(out[1].onShared).toBe(true);
    expect(bitEqual(out[1].A, out[0].A)).toBe(true);
    expect(out[1].J).toBe(out[0].J);
    expect(bitEqual(out[1].P, out[0].P)).toBe(true);
  });

  it('a large forward pass from onProgress during a run does not move the arena under the run; the next run does', async () => {
    const small = planarData(200, 31), large = planarData(SPLITS_AT + 1, 32);
    const nets = await Promise.all([1, 2].map((threads) => Network.create({ layers: [2, 4, 1], seed: 8, threads, simd })));
    const seen: boolean[] = [];
    try {
      for (const net of nets) {
        net.train(small.X, small.Y, {
          epochs: 10, learningRate: 1, progressEvery: 5,
          onProgress: () => {
            net.predictProba(large.X); // grows the arena past the split size while the run holds it
            if (net.threads === 2) seen.push(shared(net, large.X));
          },
        });
      }
      expect(seen).toEqual([false, false]);
      expect(bitEqual(flat(nets[1]), flat(nets[0]))).toBe(true);
      for (const net of nets) net.train(small.X, small.Y, { iterations: 3, learningRate: 1 });
      expect(shared(nets[1], small.X), 'the next run started on the shared memory').toBe(true);
      expect(bitEqual(flat(nets[1]), flat(nets[0]))).toBe(true);
    } finally {
      for (const net of nets) net.dispose();
    }
  });

  it('a predict on a batch past the release size moves it onto the threads without growing its own memory, then back to waiting on a fresh small one; the same bits as one thread', async () => {
    // 600 000 columns of 2-4-1: (2 + 1 + 3·4 + 3·1) floats each ≈ 41 MiB, past RELEASE_BYTES (32 MiB)
    const M = 600_000, small = planarData(300, 51), huge = planarData(M, 52);
    const memories: WebAssembly.Memory[] = [];
    observeWasmMemory((mem) => memories.push(mem));
    const two = await Network.create({ layers: [2, 4, 1], seed: 10, threads: 2, simd });
    observeWasmMemory(undefined);
    const one = await Network.create({ layers: [2, 4, 1], seed: 10, threads: 1, simd });
    try {
      const own = memories.filter((mem) => !(mem.buffer instanceof SharedArrayBuffer));
      const sharedMem = memories.filter((mem) => mem.buffer instanceof SharedArrayBuffer);
      expect([own.length, sharedMem.length]).toEqual([1, 1]);
      const ownBytes = own[0].buffer.byteLength;
      for (const net of [one, two]) net.train(small.X, small.Y, { iterations: 30, learningRate: 1, optimizer: 'momentum' });
      const fresh: WebAssembly.Memory[] = [];
      observeWasmMemory((mem) => fresh.push(mem));
      const before = Pool.dispatches;
      const P = two.predictProba(huge.X);
      observeWasmMemory(undefined);
      expect(Pool.dispatches - before, 'the huge pass split').toBeGreaterThan(0);
      expect(own[0].buffer.byteLength, 'its own memory did not grow').toBe(ownBytes);
      expect(sharedMem[0].buffer.byteLength).toBeGreaterThan(40 * 2 ** 20);
      // a fresh one-thread memory and a fresh shared memory for the waiting threads
      expect(fresh.map((mem) => mem.buffer instanceof SharedArrayBuffer).sort()).toEqual([false, true]);
      expect(two.threads).toBe(2);
      expect(shared(two, small.X), 'waiting on one thread again').toBe(false);
      expect(bitEqual(P.data, one.predictProba(huge.X).data)).toBe(true);
      for (const net of [one, two]) net.train(small.X, small.Y, { iterations: 30, learningRate: 1, optimizer: 'momentum' });
      expect(bitEqual(flat(two), flat(one)), 'parameters and momentum came along').toBe(true);
    } finally {
      one.dispose();
      two.dispose();
    }
  });

  it('with every product splitting (splitFrom(1)), a network starts on the shared memory', async () => {
    splitFrom(1);
    const net = await Network.create({ layers: [2, 4, 1], seed: 9, threads: 2, simd });
    try {
      expect(shared(net, planarData(8, 41).X)).toBe(true);
    } finally {
      net.dispose();
    }
  });

  it('Network.create of a network that waits from its start does not wait for its workers (Pool.startSoon); of one whose first layer may split on one column it does (Pool.start)', async () => {
    const soon = vi.spyOn(Pool, 'startSoon'), start = vi.spyOn(Pool, 'start');
    const big = { layers: [784, 512, 10], activations: ['tanh', 'softmax'] as const };
    expect(largestWork([2, 4, 1], ['tanh', 'sigmoid'], 1)).toBeLessThan(splitMinWork());
    expect(largestWork(big.layers, big.activations, 1)).toBeGreaterThanOrEqual(splitMinWork());
    const nets: Network[] = [];
    try {
      const [one, two] = await Promise.all([1, 2].map((threads) => Network.create({ layers: [2, 4, 1], seed: 6, threads, simd })));
      nets.push(one, two);
      expect(soon).toHaveBeenCalledTimes(1);
      expect(start).not.toHaveBeenCalled();
      expect(two.threads, two.notes.join('; ')).toBe(2);
      // it trains at once, its workers up or not, with one thread's bits; and after a move on a
      // batch that splits (the caller runs the parts the workers have not claimed)
      const small = planarData(400, 21), large = planarData(SPLITS_AT + 5, 22);
      for (const net of [one, two]) net.train(small.X, small.Y, { iterations: 20, learningRate: 1.2 });
      expect(bitEqual(flat(two), flat(one))).toBe(true);
      for (const net of [one, two]) net.train(large.X, large.Y, { iterations: 3, learningRate: 1.2 });
      expect(shared(two, small.X)).toBe(true);
      expect(bitEqual(flat(two), flat(one))).toBe(true);

      nets.push(await Network.create({ ...big, threads: 2, simd }));
      expect(start).toHaveBeenCalledTimes(1);
      expect(soon).toHaveBeenCalledTimes(1);
      expect(nets[2].threads, nets[2].notes.join('; ')).toBe(2);
    } finally {
      soon.mockRestore();
      start.mockRestore();
      for (const net of nets) net.dispose();
    }
  });
});
