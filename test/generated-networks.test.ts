/**
 * Generated networks on every module (test/support/engines.ts): depth 1–4, widths 1–40, every
 * hidden activation and every output/loss pairing. Backprop agrees with central differences of
 * the float64 reference (test/support/reference*.ts); every model format round-trips the
 * parameters bit for bit; and training twice from the same seed gives the same bits. On the
 * modules with threads, every product of these small networks is split over the threads (the
 * split threshold lowered: src/core/parallel.ts's splitFrom), and training on 2 threads gives the
 * 1-thread network's bits, for these networks and for larger ones split at the real threshold.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, type Activation, type Loss, type Matrix, type NetworkOptions, type TrainOptions } from '../src/index.js';
import { splitFrom } from '../src/core/parallel.js';
import { Pool } from '../src/core/pool.js';
import { ENGINE_MODULES, MODEL_FORMATS, PROPERTY_MODULES, singleThreadOf, type EngineModule } from './support/engines.js';
import { counted, fcRuns, reportCases, seed } from './support/generated.js';
import { createRng } from '../src/util/rng.js';
import { cost64x } from './support/reference-losses.js';
import type { Params64 } from './support/reference.js';

reportCases('networks');

const HIDDEN: Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu'];
const PAIRS: { out: Activation; loss: Loss }[] = [
  { out: 'sigmoid', loss: 'bce' }, { out: 'sigmoid', loss: 'mse' }, { out: 'softmax', loss: 'cce' }, { out: 'linear', loss: 'mse' },
];

const width = fc.integer({ min: 1, max: 40 });
const arch = fc.record({
  nX: fc.integer({ min: 1, max: 8 }), hidden: fc.array(fc.record({ n: width, act: fc.constantFrom(...HIDDEN) }), { minLength: 0, maxLength: 3 }),
  nY: fc.integer({ min: 1, max: 6 }), pair: fc.constantFrom(...PAIRS), m: fc.integer({ min: 1, max: 6 }), seed,
}).map((a) => {
  const nY = a.pair.out === 'softmax' ? Math.max(2, a.nY) : a.nY;
  return { ...a, layers: [a.nX, ...a.hidden.map((h) => h.n), nY], acts: [...a.hidden.map((h) => h.act), a.pair.out] };
});
type Arch = typeof arch extends fc.Arbitrary<infer T> ? T : never;

/** X, Y for the architecture and parameters scaled so no unit saturates (≈ xavier, biases in ±0.5). */
function problem(a: Arch) {
  const rng = createRng(a.seed);
  const { layers, m } = a;
  const nX = layers[0], nY = layers[layers.length - 1];
  const X = { rows: nX, cols: m, data: Float32Array.from({ length: nX * m }, () => rng.normal()) };
  const Y = new Float32Array(nY * m);
  if (a.pair.out === 'softmax') for (let j = 0; j < m; j++) Y[Math.floor(rng.uniform() * nY) * m + j] = 1;
  else if (a.pair.out === 'linear') Y.forEach((_, i) => { Y[i] = 2 * rng.normal(); });
  else Y.forEach((_, i) => { Y[i] = rng.uniform() < 0.5 ? 1 : 0; });
  const params = layers.slice(1).map((n, l) => ({
    W: { rows: n, cols: layers[l], data: Float32Array.from({ length: n * layers[l] }, () => rng.normal() * Math.sqrt(1 / layers[l])) },
    b: Float32Array.from({ length: n }, () => rng.uniform() - 0.5),
  }));
  return { X, Y: { rows: nY, cols: m, data: Y }, params };
}

/** float64 pre-activations of every hidden layer: the distance of the nearest one to relu's kink. */
function nearestKink(a: Arch, p: Params64, X: Float32Array): number {
  let A = Float64Array.from(X), near = Infinity;
  for (let l = 1; l < a.layers.length - 1; l++) {
    const nIn = a.layers[l - 1], nOut = a.layers[l], act = a.acts[l - 1];
    const Z = new Float64Array(nOut * a.m);
    for (let i = 0; i < nOut; i++) for (let j = 0; j < a.m; j++) {
      let s = p.b[l - 1][i];
      for (let k = 0; k < nIn; k++) s += p.W[l - 1][i * nIn + k] * A[k * a.m + j];
      Z[i * a.m + j] = s;
      if (act === 'relu' || act === 'leakyRelu') near = Math.min(near, Math.abs(s));
    }
    const g = { sigmoid: (z: number) => 1 / (1 + Math.exp(-z)), tanh: Math.tanh, relu: (z: number) => Math.max(0, z), leakyRelu: (z: number) => (z >= 0 ? z : 0.01 * z) }[act as 'tanh'];
    A = Z.map(g);
  }
  return near;
}

const trainOpts = fc.record({
  optimizer: fc.constantFrom('sgd', 'momentum', 'rmsprop', 'adam'), batch: fc.integer({ min: 1, max: 12 }), epochs: fc.integer({ min: 1, max: 4 }),
  l2: fc.constantFrom(0, 0.01), dropout: fc.constantFrom(0, 0.2), validation: fc.boolean(), seed: fc.integer({ min: 0, max: 1000 }),
});
type TrainOpts = typeof trainOpts extends fc.Arbitrary<infer T> ? T : never;
function options(a: Arch, o: TrainOpts, m: number): TrainOptions {
  const hidden = a.layers.length - 2;
  return {
    epochs: o.epochs, batchSize: Math.min(o.batch, m - (o.validation ? Math.round(0.25 * m) : 0)), optimizer: o.optimizer, learningRate: 0.01, l2: o.l2,
    seed: o.seed, ...(hidden > 0 && o.dropout > 0 ? { dropout: o.dropout } : {}), ...(o.validation ? { validation: 0.25 } : {}),
  };
}
const data = (a: Arch, m: number) => {
  const big = problem({ ...a, m });
  return { X: big.X, Y: big.Y };
};

interface RunResult { costs: Float64Array; params: ReturnType<Network['getParams']> }

/** A network of the architecture on a module, seeded, trained with the options (a generated set, or TrainOptions); its costs and parameters. */
async function trainedOn(mod: EngineModule, a: Arch, o: TrainOpts | TrainOptions, X: Matrix, Y: Matrix): Promise<RunResult> {
  const net = await Network.create(netOptions(a, mod, a.seed % 1000));
  try {
    const r = net.train(X, Y, 'batch' in o ? options(a, o, X.cols) : o);
    return { costs: Float64Array.from(r.costs), params: net.getParams() };
  } finally {
    net.dispose();
  }
}

/** The same costs and parameters, bit for bit. */
function sameRun(x: RunResult, y: RunResult): boolean {
  return bytes(x.costs).equals(bytes(y.costs))
    && x.params.every((p, l) => bytes(p.W.data).equals(bytes(y.params[l].W.data)) && bytes(p.b).equals(bytes(y.params[l].b)));
}

/** Network.create's options for an architecture on a module */
const netOptions = (a: Arch, mod: EngineModule, seed?: number): NetworkOptions => ({
  layers: a.layers, activations: a.acts, loss: a.pair.loss, backend: mod.backend, simd: mod.simd, threads: mod.threads, ...(seed === undefined ? {} : { seed }),
});

/** The bits of a float32 or float64 array, to compare two for identity */
const bytes = (x: Float32Array | Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

/**
 * On threads, the cases per property are a sixth of the others': each network starts a
 * supervisor thread and a worker (≈ 45 ms on the 2-core development machine, measured).
 */
const runsOn = (mod: EngineModule, runs: number) => (mod.threads > 1 ? Math.round(runs / 6) : runs);

describe.each(PROPERTY_MODULES)('generated networks on $name', (mod) => {
  // on threads: every product of two blocks or more splits (these networks' are all below MIN_PART_WORK)
  if (mod.threads > 1) {
    beforeAll(() => splitFrom(1));
    afterAll(() => splitFrom());
  }
  /** runs a property and checks that, on threads, its products did split over the pool */
  async function splitting(f: () => Promise<void>): Promise<void> {
    const before = Pool.dispatches;
    await f();
    if (mod.threads > 1) expect(Pool.dispatches - before, 'dispatches to the pool').toBeGreaterThan(0);
  }

  it(`backprop matches central differences of the float64 reference on 16 sampled parameters (${runsOn(mod, 300)} architectures)`, () => splitting(async () => {
    await fc.assert(fc.asyncProperty(arch, fc.integer({ min: 0, max: 2 ** 31 - 1 }), counted(async (a, pick) => {
      const { X, Y, params } = problem(a);
      const p64: Params64 = { W: params.map((p) => Float64Array.from(p.W.data)), b: params.map((p) => Float64Array.from(p.b)) };
      // a relu/leaky unit within 1e-5 of its kink makes the central difference (h = 1e-6) straddle
      // it: such cases are not a gradient test, so they are skipped (about 1 in 50)
      fc.pre(nearestKink(a, p64, X.data) > 1e-5);
      const net = await Network.create(netOptions(a, mod));
      net.setParams(params);
      net.forward(X);
      const J = net.cost(Y);
      net.backward(Y);
      const grads = net.getGrads().flatMap((g) => [...g.dW.data, ...g.db]);
      net.dispose();
      const J64 = cost64x(a.layers, a.acts, a.pair.loss, p64, X, Y.data);
      // float32 forward vs float64: 1e-5 relative (~100 roundings of u, more than 4 layers of
      // 40 accumulate), plus 1e-6 for costs near 0
      expect(Math.abs(J - J64), `cost ${J} vs float64 ${J64}`).toBeLessThanOrEqual(1e-5 * Math.abs(J64) + 1e-6);
      // central differences of the float64 cost on a sample of the parameters, [W1, b1, W2, …] order
      const tensors: Float64Array[] = p64.W.flatMap((W, l) => [W, p64.b[l]]);
      const rng = createRng(pick);
      const num: number[] = [], back: number[] = [];
      const h = 1e-6;
      for (let s = 0; s < Math.min(16, grads.length); s++) {
        const flat = Math.floor(rng.uniform() * grads.length);
        let t = 0, i = flat;
        while (i >= tensors[t].length) i -= tensors[t++].length;
        const keep = tensors[t][i];
        tensors[t][i] = keep + h;
        const up = cost64x(a.layers, a.acts, a.pair.loss, p64, X, Y.data);
        tensors[t][i] = keep - h;
        const down = cost64x(a.layers, a.acts, a.pair.loss, p64, X, Y.data);
        tensors[t][i] = keep;
        num.push((up - down) / (2 * h));
        back.push(grads[flat]);
      }
      let d = 0, na = 0, nb = 0;
      for (let i = 0; i < num.length; i++) { d += (num[i] - back[i]) ** 2; na += num[i] ** 2; nb += back[i] ** 2; }
      // relative 1e-4 separates float32 rounding (~1e-6) from a wrong term (≥ 1e-2); the absolute
      // 1e-6 per sampled value is float32 rounding of gradients whose true value is ~0 (a dead
      // unit, a saturated sigmoid), where a relative measure means nothing
      expect(Math.sqrt(d), `backprop ${back} vs central differences ${num}`).toBeLessThanOrEqual(1e-4 * (Math.sqrt(na) + Math.sqrt(nb)) + 1e-6 * Math.sqrt(num.length));
    })), fcRuns(runsOn(mod, 300)));
  }));

  it(`training twice from the same seed gives the same bits (${runsOn(mod, 120)} architectures × random options)`, () => splitting(async () => {
    await fc.assert(fc.asyncProperty(arch, trainOpts, counted(async (a, o) => {
      const { X, Y } = data(a, 16);
      const [x, y] = [await trainedOn(mod, a, o, X, Y), await trainedOn(mod, a, o, X, Y)];
      expect(sameRun(x, y), 'the second run vs the first').toBe(true);
    })), fcRuns(runsOn(mod, 120)));
  }));

  if (mod.threads > 1) {
    const one = singleThreadOf(mod);
    it(`training on ${mod.threads} threads gives the bits of ${one.name} on 1 (${runsOn(mod, 120)} architectures × random options, every product split)`, () => splitting(async () => {
      await fc.assert(fc.asyncProperty(arch, trainOpts, counted(async (a, o) => {
        const { X, Y } = data(a, 16);
        expect(sameRun(await trainedOn(mod, a, o, X, Y), await trainedOn(one, a, o, X, Y)), `${mod.threads} threads vs 1`).toBe(true);
      })), fcRuns(runsOn(mod, 120)));
    }));

    // widths 64–130 on 256–300 columns, full batch: the layers' products are past the real threshold
    const bigArch = fc.record({
      nX: fc.integer({ min: 16, max: 64 }), hidden: fc.array(fc.record({ n: fc.integer({ min: 64, max: 130 }), act: fc.constantFrom(...HIDDEN) }), { minLength: 1, maxLength: 2 }),
      nY: fc.integer({ min: 1, max: 6 }), pair: fc.constantFrom(...PAIRS), m: fc.integer({ min: 256, max: 300 }), seed,
    }).map((a) => {
      const nY = a.pair.out === 'softmax' ? Math.max(2, a.nY) : a.nY;
      return { ...a, layers: [a.nX, ...a.hidden.map((h) => h.n), nY], acts: [...a.hidden.map((h) => h.act), a.pair.out] };
    });
    const bigOpts = fc.record({ optimizer: fc.constantFrom('sgd', 'momentum', 'rmsprop', 'adam'), l2: fc.constantFrom(0, 0.01), dropout: fc.constantFrom(0, 0.2), seed: fc.integer({ min: 0, max: 1000 }) });
    it(`training larger networks on ${mod.threads} threads, products split at MIN_PART_WORK, gives the bits of ${one.name} on 1 (${runsOn(mod, 60)} architectures, 5 full-batch steps)`, async () => {
      splitFrom();
      try {
        await fc.assert(fc.asyncProperty(bigArch, bigOpts, counted(async (a, o) => {
          const { X, Y } = problem(a);
          const train: TrainOptions = { iterations: 5, learningRate: 0.01, optimizer: o.optimizer, l2: o.l2, seed: o.seed, ...(o.dropout > 0 ? { dropout: o.dropout } : {}) };
          const before = Pool.dispatches;
          const threaded = await trainedOn(mod, a, train, X, Y);
          // each hidden layer's forward product (≥ 64·256·16 = 2·MIN_PART_WORK) splits in each of the 5 steps
          expect(Pool.dispatches - before, 'dispatches').toBeGreaterThanOrEqual(5 * a.hidden.length);
          expect(sameRun(threaded, await trainedOn(one, a, train, X, Y)), `${mod.threads} threads vs 1`).toBe(true);
        })), fcRuns(runsOn(mod, 60)));
      } finally {
        splitFrom(1);
      }
    });
  }

  it.each(MODEL_FORMATS)(`a trained network through the $name format, read on each backend and on its own module: the same parameters, bit for bit (${runsOn(mod, 120)} architectures)`, (format) => splitting(async () => {
    await fc.assert(fc.asyncProperty(arch, trainOpts, counted(async (a, o) => {
      const { X, Y } = data(a, 16);
      const net = await Network.create(netOptions(a, mod, 3));
      net.train(X, Y, options(a, o, 16));
      const file = format.write(net);
      // read on each backend as the reader runs it by default, and on the module (and threads) it was trained on
      const readers: { backend: EngineModule['backend']; execution?: { simd?: EngineModule['simd']; threads: number } }[] = [
        ...new Set(ENGINE_MODULES.map((m) => m.backend))].map((backend) => ({ backend }));
      if (mod.backend === 'wasm') readers.push({ backend: 'wasm', execution: { simd: mod.simd, threads: mod.threads } });
      for (const { backend, execution } of readers) {
        const back = await format.read(file, backend, execution);
        if (execution) expect([back.simd, back.threads], back.notes.join('; ')).toEqual([execution.simd, execution.threads]);
        expect(back.layers).toEqual(net.layers);
        expect(back.activations).toEqual(net.activations);
        expect(back.loss).toBe(net.loss);
        back.getParams().forEach((p, l) => {
          const q = net.getParams()[l];
          // bit for bit; the one pattern JSON cannot carry is the sign of a zero (−0 is written 0)
          const same = (x: Float32Array, y: Float32Array) => x.every((v, i) => Object.is(v, y[i]) || (v === 0 && y[i] === 0));
          expect(same(p.W.data, q.W.data) && same(p.b, q.b)).toBe(true);
        });
        expect(format.write(back)).toEqual(file);
        back.dispose();
      }
      net.dispose();
    })), fcRuns(runsOn(mod, 120)));
  }));
});
