// Training behaviour: the course's result, saturation, determinism, memory planning, fallback.
import { describe, expect, it, vi } from 'vitest';
import { Network, accuracy, datasets, fromExamples, fromLabels, toExamples } from '../src/index.js';
import { BACKENDS, bitEqual } from './support/helpers.js';
import { forgetSimdProbe } from '../src/core/backend.js';

describe.each(BACKENDS)('training on %s', (backend) => {
  it('the flower with the default settings (2-4-1 tanh, α = 1.2, 10 000 iterations) reaches ≥ 88%', async () => {
    const { X, Y } = datasets.flower();
    const net = await Network.create({ layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], backend, seed: 2 });
    const { costs, iterations } = net.train(X, Y, { iterations: 10_000, learningRate: 1.2 });
    expect(iterations).toBe(10_000);
    expect(costs.length).toBe(10_000);
    // the course starts at ln 2 ≈ 0.6931 (outputs 0.5 from W = randn·0.01)
    expect(costs[0]).toBeCloseTo(Math.log(2), 3);
    // the cost decreases over the first 1000 iterations: at every 100th step, and overall by half
    for (let i = 100; i <= 1000; i += 100) expect(costs[i - 1]).toBeLessThan(costs[i - 100]);
    expect(costs[999]).toBeLessThan(costs[0] / 2);
    expect(accuracy(net.predict(X), Y)).toBeGreaterThanOrEqual(0.88);
  });

  it('saturated outputs (logits of ±100 and beyond) give a finite cost and finite gradients', async () => {
    const net = await Network.create({ layers: [1, 1, 1], activations: ['relu', 'sigmoid'], backend });
    const X = { rows: 1, cols: 6, data: new Float32Array([1, -1, 10, -10, 1e3, -1e3]) };
    for (const w of [100, 1e4, 1e30]) {
      // hidden relu passes |x|·1 for x > 0; the output logit is ±w·x: saturated either way
      net.setParams([{ W: { rows: 1, cols: 1, data: [1] }, b: [0] }, { W: { rows: 1, cols: 1, data: [w] }, b: [-w / 2] }]);
      const A = net.forward(X);
      expect(A.data.every((a) => a >= 0 && a <= 1)).toBe(true);
      // labels against the saturation (the worst case for log(0)) and with it
      for (const Y of [[0, 1, 0, 1, 0, 1], [1, 0, 1, 0, 1, 0]]) {
        const y = { rows: 1, cols: 6, data: new Float32Array(Y) };
        net.forward(X);
        const J = net.cost(y);
        expect(Number.isFinite(J), `w = ${w}, Y = ${Y}: cost ${J}`).toBe(true);
        // what a cost computed from the float32 outputs would give: log(0) or 0·log(0) somewhere
        const naive = -A.data.reduce((s, a, i) => s + Y[i] * Math.log(a) + (1 - Y[i]) * Math.log(1 - a), 0) / 6;
        expect(Number.isFinite(naive)).toBe(false);
        net.backward(y);
        for (const g of net.getGrads()) {
          expect([...g.dW.data, ...g.db].every(Number.isFinite), `w = ${w}: gradients`).toBe(true);
        }
      }
    }
  });

  it('20 000 steps at a large learning rate keep every cost finite', async () => {
    const { X, Y } = datasets.flower();
    const net = await Network.create({ layers: [2, 4, 1], backend, seed: 2 });
    const { costs } = net.train(X, Y, { iterations: 20_000, learningRate: 5 });
    expect(costs.every(Number.isFinite)).toBe(true);
  });

  it('the same seed gives bit-identical parameters; init() again gives them again; schemes differ', async () => {
    const a = await Network.create({ layers: [3, 6, 2], backend, seed: 9 });
    const b = await Network.create({ layers: [3, 6, 2], backend, seed: 9 });
    const c = await Network.create({ layers: [3, 6, 2], backend, seed: 10 });
    const W = (n: Network) => n.getParams().map((p) => p.W.data);
    W(a).forEach((w, l) => expect(bitEqual(w, W(b)[l])).toBe(true));
    expect(bitEqual(W(a)[0], W(c)[0])).toBe(false);
    a.init();
    W(a).forEach((w, l) => expect(bitEqual(w, W(b)[l])).toBe(true));
    expect(a.getParams().every((p) => p.b.every((x) => x === 0))).toBe(true);
    // randn·0.01: the sample standard deviation of 18 + 12 weights is near 0.01
    const all = W(a).flatMap((w) => [...w]);
    const sd = Math.sqrt(all.reduce((s, x) => s + x * x, 0) / all.length);
    expect(sd).toBeGreaterThan(0.005);
    expect(sd).toBeLessThan(0.02);
    const he = a.init({ scheme: 'he' }).getParams()[0].W.data;
    const sdHe = Math.sqrt(he.reduce((s, x) => s + x * x, 0) / he.length);
    expect(sdHe).toBeGreaterThan(0.4); // √(2/3) ≈ 0.82
  });

  it('setParams takes b as plain data or as an (n × 1) Matrix, with the same result', async () => {
    const net = await Network.create({ layers: [2, 2, 1], backend });
    const W = (rows: number, cols: number) => ({ rows, cols, data: Array.from({ length: rows * cols }, (_, i) => i / 10) });
    net.setParams([{ W: W(2, 2), b: [0.5, -0.5] }, { W: W(1, 2), b: new Float64Array([0.25]) }]);
    const plain = net.getParams();
    net.setParams([{ W: W(2, 2), b: { rows: 2, cols: 1, data: [0.5, -0.5] } }, { W: W(1, 2), b: { rows: 1, cols: 1, data: [0.25] } }]);
    net.getParams().forEach((p, l) => expect(bitEqual(p.b, plain[l].b)).toBe(true));
    expect(() => net.setParams([{ W: W(2, 2), b: { rows: 3, cols: 1, data: [1, 2, 3] } }, plain[1]])).toThrow(/params\[0\]\.b\.rows must be 2; got 3/);
  });

  it('memory grows only for a batch larger than any before, and parameters survive it', async () => {
    const net = await Network.create({ layers: [2, 5, 1], backend, seed: 1 });
    const { X, Y } = datasets.moons({ m: 100 });
    net.train(X, Y, { iterations: 5, learningRate: 0.5 });
    const before = net.getParams();
    const big = datasets.moons({ m: 20_000, seed: 3 }).X;
    net.predictProba(big);
    net.getParams().forEach((p, l) => expect(bitEqual(p.W.data, before[l].W.data)).toBe(true));
    // training at the old size still works after the re-plan
    const r = net.train(X, Y, { iterations: 5, learningRate: 0.5 });
    expect(r.costs.every(Number.isFinite)).toBe(true);
  });

  it('onProgress reports and can stop training', async () => {
    const { X, Y } = datasets.xor();
    const net = await Network.create({ layers: [2, 3, 1], backend });
    const seen: number[] = [];
    const r = net.train(X, Y, {
      iterations: 1000, learningRate: 1, progressEvery: 100,
      onProgress: (p) => { seen.push(p.iteration); return p.iteration < 300; },
    });
    expect(seen).toEqual([100, 200, 300]);
    expect(r.iterations).toBe(300);
    expect(r.costs.length).toBe(300);
  });
});

describe('helpers and fallback', () => {
  it('fromExamples / fromLabels put one example per column, toExamples inverts', () => {
    const X = fromExamples([[1, 2, 3], [4, 5, 6]]);
    expect(X).toEqual({ rows: 3, cols: 2, data: new Float32Array([1, 4, 2, 5, 3, 6]) });
    expect(toExamples(X)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(fromLabels([0, 1, 1])).toEqual({ rows: 1, cols: 3, data: new Float32Array([0, 1, 1]) });
    expect(fromLabels([[1, 0], [0, 1]]).data).toEqual(new Float32Array([1, 0, 0, 1]));
    expect(() => fromExamples([[1, 2], [3]])).toThrow(/examples\[1\] has 1/);
  });

  it("backend 'wasm' falls back to 'js' with one warning where WASM SIMD is missing", async () => {
    forgetSimdProbe(); // the answer is kept per process: ask again under the stub
    const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const a = await Network.create({ layers: [2, 2, 1], backend: 'wasm' });
      const b = await Network.create({ layers: [2, 2, 1] });
      expect(a.backend).toBe('js');
      expect(b.backend).toBe('js');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/SIMD/);
    } finally {
      validate.mockRestore();
      warn.mockRestore();
      forgetSimdProbe();
    }
    expect((await Network.create({ layers: [2, 2, 1] })).backend).toBe('wasm');
  });

  it("backend 'wasm' falls back to 'js' where DecompressionStream (which unpacks the inlined kernels) is missing", async () => {
    // (the warning is once per process, and the test above had it: here the backend is what counts)
    vi.stubGlobal('DecompressionStream', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect((await Network.create({ layers: [2, 2, 1], backend: 'wasm' })).backend).toBe('js');
    } finally {
      vi.unstubAllGlobals();
      warn.mockRestore();
    }
    expect(typeof DecompressionStream).toBe('function');
    expect((await Network.create({ layers: [2, 2, 1] })).backend).toBe('wasm');
  });
});
