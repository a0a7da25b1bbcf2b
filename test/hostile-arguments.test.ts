/**
 * Arguments that are not what they seem: option objects with unknown or inherited keys, arrays
 * with holes, Proxies over typed arrays, BigInts, and values behind getters that change or throw.
 * Each is refused with an Error naming the argument (never a TypeError from inside a check), and
 * what is checked is exactly what is stored: every value is read once.
 */
import { describe, expect, it } from 'vitest';
import { Network, type LayerParamsInput } from '../src/index.js';
import { NETWORK_LIMITS } from '../src/core/architecture.js';
import { BACKENDS, bitEqual } from './support/helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** The error a call throws (or an Error saying it did not throw). */
async function errorOf(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  return new Error('it did not throw');
}

/** A plain Error (not a TypeError or RangeError from inside the library) matching every pattern. */
function expectPlain(e: Error, ...patterns: RegExp[]): void {
  expect(e.constructor).toBe(Error);
  for (const p of patterns) expect(e.message).toMatch(p);
}

const paramBits = (net: Network) => net.getParams().map((p) => [Array.from(p.W.data), Array.from(p.b)]);

describe.each(BACKENDS)('option objects (backend %s)', (backend) => {
  it.each([
    ['activation for activations', { activation: ['tanh', 'sigmoid'] }, /options\.activation must be left out \(not an option of Network\.create \(did you mean 'activations'\?\)/],
    ['Layers for layers', { Layers: [2, 3, 1] }, /options\.Layers must be left out.*did you mean 'layers'/],
    ['a key with no near match', { colour: 'red' }, /options\.colour must be left out \(not an option of Network\.create; the options are layers, activations, backend, seed, rng, loss, threads, simd\); got "red"/],
  ])('Network.create refuses an unknown key: %s', async (_, extra, pattern) => {
    const e = await errorOf(() => Network.create({ layers: [2, 3, 1], backend, ...extra } as Loose));
    expectPlain(e, /^Network\.create: /, pattern);
  });

  it.each([
    ['schema for scheme', { schema: 'he' }, /options\.schema must be left out \(not an option of Network\.init \(did you mean 'scheme'\?\)/],
    ['seeds for seed', { seeds: 3 }, /options\.seeds must be left out.*did you mean 'seed'/],
  ])('init refuses an unknown key, and the parameters stay: %s', async (_, opts, pattern) => {
    const net = await Network.create({ layers: [2, 3, 1], backend, seed: 4 });
    const before = paramBits(net);
    expectPlain(await errorOf(() => net.init(opts as Loose)), /^Network\.init: /, pattern);
    expect(paramBits(net)).toEqual(before);
  });

  it('cost and backward refuse an unknown key (lambda for l2)', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend });
    net.forward({ rows: 2, cols: 1, data: [0, 1] });
    expectPlain(await errorOf(() => net.cost([1] as Loose, { lambda: 0.1 } as Loose)), /^Network\.cost: options\.lambda must be left out/);
    expectPlain(await errorOf(() => net.backward([1] as Loose, { L2: 0.1 } as Loose)), /did you mean 'l2'/);
  });

  it('keys inherited from Object.prototype are not read as options (create, init, train)', async () => {
    const plain = await Network.create({ layers: [2, 3, 1], backend, seed: 4 });
    const proto = Object.prototype as Record<string, unknown>;
    for (const k of ['seed', 'activations', 'scheme', 'dropout', 'iterations']) {
      Object.defineProperty(proto, k, { value: k === 'activations' ? ['relu', 'linear'] : k === 'scheme' ? 'he' : k === 'dropout' ? 0.5 : 99, configurable: true, writable: true });
    }
    try {
      const net = await Network.create({ layers: [2, 3, 1], backend, seed: 4 });
      expect(net.activations).toEqual(['tanh', 'sigmoid']); // not the inherited ['relu', 'linear']
      expect(paramBits(net)).toEqual(paramBits(plain)); // seed 4, not the inherited 99
      net.init({});
      expect(paramBits(net)).toEqual(paramBits(plain)); // scheme 'random', not the inherited 'he'
      const X = { rows: 2, cols: 4, data: [0, 1, 2, 3, 1, 0, 1, 0] }, Y = { rows: 1, cols: 4, data: [0, 1, 1, 0] };
      const r = net.train(X, Y, { epochs: 2 });
      expect(r.iterations).toBe(2); // epochs 2, not the inherited iterations 99
    } finally {
      for (const k of ['seed', 'activations', 'scheme', 'dropout', 'iterations']) delete proto[k];
    }
  });

  it('holes in layers or activations are refused by name', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const holeLayers = [2, , 1];
    expectPlain(await errorOf(() => Network.create({ layers: holeLayers as Loose, backend })), /^Network\.create: layers\[1\] must be present; got "a hole in the array"/);
    // eslint-disable-next-line no-sparse-arrays
    const holeActs = ['tanh', , 'sigmoid'];
    expectPlain(await errorOf(() => Network.create({ layers: [2, 3, 3, 1], activations: holeActs as Loose, backend })), /activations\[1\] must be present; got "a hole in the array"/);
  });

  it(`the limits a model file holds: at most ${NETWORK_LIMITS.layers} layer sizes and ${NETWORK_LIMITS.params} parameters`, async () => {
    const deep = new Array(NETWORK_LIMITS.layers + 1).fill(1);
    expectPlain(await errorOf(() => Network.create({ layers: deep, activations: deep.slice(1).map(() => 'tanh').fill('sigmoid', -1) as Loose, backend })),
      /^Network\.create: layers must be an array of at least 2 layer sizes \[n_x, …, n_y\] \(at most 1024\); got an Array of length 1025/);
    // 4096·(4096 + 1) = 2^24 + 4096 parameters: one layer past the limit
    expectPlain(await errorOf(() => Network.create({ layers: [4096, 4096], activations: ['linear'], backend })),
      /layers must be a network of at most 16777216 parameters \(the most a model file holds\); got an Array of length 2\. \[4096, 4096\] has 16781312/);
    // the deepest allowed network is saved and loaded like any other
    const sizes = new Array(NETWORK_LIMITS.layers).fill(2);
    const net = await Network.create({ layers: sizes, activations: sizes.slice(1).map(() => 'tanh').fill('sigmoid', -1) as Loose, backend });
    const back = await Network.fromJSON(JSON.stringify(net), { backend });
    expect(back.layers.length).toBe(NETWORK_LIMITS.layers);
    expect(paramBits(back)).toEqual(paramBits(net));
  });
});

describe.each(BACKENDS)('data that is not what it seems (backend %s)', (backend) => {
  const X = { rows: 2, cols: 2, data: Float32Array.from([0.5, -1, 1.5, 2]) };

  it('a Proxy over a Float32Array as X.data: a clear error, not a TypeError from inside', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend });
    const e = await errorOf(() => net.forward({ rows: 2, cols: 2, data: new Proxy(Float32Array.from([1, 2, 3, 4]), {}) } as Loose));
    expectPlain(e, /^Network\.forward: X\.data must be a Float32Array, a Float64Array or a number\[\] \(row-major\); got an object posing as a typed array \(a Proxy/);
  });

  it('a Proxy over a Float32Array as X itself, or as a bias', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend });
    expectPlain(await errorOf(() => net.forward(new Proxy(Float32Array.from([1, 2, 3, 4]), {}) as Loose)), /^Network\.forward: X must be a Matrix \{ rows, cols, data \}; got an object posing as a typed array/);
    const p = net.getParams();
    const bad = [{ W: p[0].W, b: new Proxy(p[0].b, {}) }, p[1]];
    expectPlain(await errorOf(() => net.setParams(bad as Loose)), /^Network\.setParams: params\[0\]\.b must be a Float32Array, a Float64Array or a number\[\] of length 3; got an object posing/);
  });

  it('an array of BigInts, and a BigInt64Array: named, with the first bad value', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend });
    expectPlain(await errorOf(() => net.forward({ rows: 2, cols: 2, data: [1n, 2n, 3n, 4n] } as Loose)),
      /^Network\.forward: every value of X must be a finite number \(in float32 range\); got 1n \(a bigint\)\. First bad value at X\[0, 0\]/);
    expectPlain(await errorOf(() => net.forward({ rows: 2, cols: 2, data: BigInt64Array.of(1n, 2n, 3n, 4n) } as Loose)),
      /X\.data must be a Float32Array, a Float64Array or a number\[\]; got a BigInt64Array of length 4|X\.data must be a Float32Array, a Float64Array or a number\[\] \(row-major\); got a BigInt64Array of length 4/);
    const soft = await Network.create({ layers: [2, 3, 3], activations: ['tanh', 'softmax'], backend });
    soft.forward(X);
    expectPlain(await errorOf(() => soft.cost(BigInt64Array.of(0n, 1n) as Loose)), /every class index in Y must be an integer from 0 to 2.*got 0n \(a bigint\)/);
  });

  it('setParams reads each value once: a getter that changes its value between reads cannot slip a NaN in', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend, seed: 2 });
    const p = net.getParams();
    let reads = 0;
    const W = Array.from(p[0].W.data);
    const tricky = new Array(6);
    // 0.25 when read the first time (the check), NaN on any later read (a store reading it again)
    for (let i = 0; i < 6; i++) Object.defineProperty(tricky, i, { get: () => (reads++ < 6 ? 0.25 : NaN), enumerable: true });
    net.setParams([{ W: { rows: 3, cols: 2, data: tricky }, b: p[0].b }, p[1]]);
    expect(reads).toBe(6);
    expect(Array.from(net.getParams()[0].W.data)).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    expect(W).not.toEqual(Array.from(net.getParams()[0].W.data));
  });

  it.each([1, 2])('setParams: a getter that throws on read %i leaves every parameter as it was', async (throwOn) => {
    const net = await Network.create({ layers: [2, 3, 1], backend, seed: 2 });
    const before = net.getParams();
    const data = [1, 2, 3];
    let reads = 0;
    Object.defineProperty(data, 2, { get() { if (++reads === throwOn) throw new Error('the getter threw'); return 0.5; } });
    const e = await errorOf(() => net.setParams([{ W: { rows: 3, cols: 2, data: [1, 2, 3, 4, 5, 6] }, b: before[0].b }, { W: { rows: 1, cols: 3, data }, b: [0] }] as LayerParamsInput[]));
    // on the first read it throws during the checks; on the second it would have thrown while
    // storing, after layer 1 was written: with one read per value there is no second read
    if (throwOn === 1) expect(e.message).toBe('the getter threw');
    else {
      expect(e.message).toBe('it did not throw');
      expect(reads).toBe(1);
      return;
    }
    const after = net.getParams();
    after.forEach((q, l) => {
      expect(bitEqual(q.W.data, before[l].W.data)).toBe(true);
      expect(bitEqual(q.b, before[l].b)).toBe(true);
    });
  });

  it('a Proxy over an Array is read like an Array, each element once', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend, seed: 2 });
    let gets = 0;
    const data = new Proxy([0.5, -1, 1.5, 2], { get: (t, k, r) => { if (typeof k === 'string' && /^\d+$/.test(k)) gets++; return Reflect.get(t, k, r); } });
    const A = net.forward({ rows: 2, cols: 2, data });
    expect(gets).toBe(4);
    expect(bitEqual(A.data, net.forward(X).data)).toBe(true);
  });

  it('a matrix whose rows getter changes between reads is checked and used with one value', async () => {
    const net = await Network.create({ layers: [2, 3, 1], backend });
    let n = 0;
    const M = { get rows() { return n++ === 0 ? 2 : 1; }, cols: 2, data: X.data };
    expect(net.forward(M as Loose).cols).toBe(2);
    expect(n).toBe(1);
  });
});
