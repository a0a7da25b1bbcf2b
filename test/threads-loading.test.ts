// Every way of loading a network takes Network.create's `threads` and `simd`: Network.fromJSON,
// loadModel and fromTFJS. A saved network loaded on 2 threads predicts and trains bit for bit as
// the one loaded on 1; a bad value is the error Network.create gives, naming the loader and
// options.<key>; keys that are not options are still refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, type Matrix } from '../src/index.js';
import { loadModel, saveModel, Standardizer } from '../src/data-index.js';
import { fromTFJS, toTFJS } from '../src/export.js';
import { Pool } from '../src/core/pool.js';
import { bitEqual, randomArray } from './support/helpers.js';

const params = (net: Network) => Float32Array.from(net.getParams().flatMap(({ W, b }) => [...W.data, ...b]));

// large enough that every layer's products split over 2 threads (each ≥ 2·2¹⁷ multiply-adds)
const opts = { layers: [96, 80, 64, 3], activations: ['tanh', 'relu', 'softmax'], seed: 7 } as const;
const m = 120;
const X: Matrix = { rows: 96, cols: m, data: randomArray(96 * m, 11) };
const labels = Array.from({ length: m }, (_, j) => (j * 7) % 3);

let source: Network;
let text: string;

beforeAll(async () => {
  source = await Network.create({ ...opts, threads: 1 });
  source.train(X, labels, { iterations: 3, learningRate: 0.1 });
  text = JSON.stringify(source);
});
afterAll(() => source.dispose());

type Loader = (threads: number, extra?: Record<string, unknown>) => Promise<Network>;
const standardizer = Standardizer.fromJSON({ mean: new Array(96).fill(0), std: new Array(96).fill(1) });
const LOADERS: [string, Loader][] = [
  ['Network.fromJSON', (threads, extra) => Network.fromJSON(text, { threads, simd: 'plain', ...extra })],
  ['loadModel', async (threads, extra) => (await loadModel(saveModel({ net: source, features: Array.from({ length: 96 }, (_, i) => `x${i}`), target: 'y', classes: ['a', 'b', 'c'], standardizer }), { threads, simd: 'plain', ...extra })).net],
  ['fromTFJS', (threads, extra) => fromTFJS(toTFJS(source), { threads, simd: 'plain', ...extra })],
];

describe.each(LOADERS)('%s with threads and simd', (where, load) => {
  it('on 2 threads: predicts and trains bit for bit as on 1, and says what runs', async () => {
    const one = await load(1), two = await load(2);
    expect([one.threads, one.simd, one.notes]).toEqual([1, 'plain', []]);
    expect([two.threads, two.simd, two.notes]).toEqual([2, 'plain', []]);
    expect(bitEqual(params(two), params(source)), 'the saved parameters').toBe(true);
    const before = Pool.dispatches;
    expect(bitEqual(two.predictProba(X).data, one.predictProba(X).data)).toBe(true);
    const a = one.train(X, labels, { iterations: 5, learningRate: 0.1, optimizer: 'adam' });
    const b = two.train(X, labels, { iterations: 5, learningRate: 0.1, optimizer: 'adam' });
    expect(Pool.dispatches, 'the products did split over the threads').toBeGreaterThan(before);
    expect(Array.from(b.costs)).toEqual(Array.from(a.costs));
    expect(bitEqual(params(two), params(one))).toBe(true);
    one.dispose();
    two.dispose();
  });

  it.each([
    [{ threads: 0 }], [{ threads: 2.5 }], [{ threads: 'many' }], [{ threads: 129 }], [{ simd: 'fast' }], [{ simd: 1 }],
  ])('%o: the error Network.create gives, naming options.<key>', async (bad) => {
    const key = Object.keys(bad)[0];
    const create = await Network.create({ ...opts, ...bad } as never).then(() => 'created', (e: Error) => e.message);
    expect(create).toMatch(new RegExp(`^Network\\.create: ${key} must be `));
    const loaded = await load(2, bad).then(() => 'loaded', (e: Error) => e.message);
    expect(loaded).toBe(create.replace(`Network.create: ${key}`, `${where}: options.${key}`));
  });

  it('a key that is not an option is refused, naming it', async () => {
    const message = await load(2, { thread: 2 }).then(() => 'loaded', (e: Error) => e.message);
    expect(message).toMatch(new RegExp(`^${where.replace('.', '\\.')}: .*\\bthread\\b`));
    expect(message).toMatch(/backend, threads, simd/);
  });
});

describe('the default is Network.create\'s', () => {
  it("no options: 'auto' threads and simd, as Network.create({ layers }) gives for the same layers", async () => {
    const created = await Network.create({ layers: opts.layers, activations: opts.activations });
    const loaded = await Network.fromJSON(text);
    expect([loaded.threads, loaded.simd, loaded.notes]).toEqual([created.threads, created.simd, created.notes]);
    created.dispose();
    loaded.dispose();
  });

  it('the js backend runs one thread, with simd none, whatever threads asks', async () => {
    const net = await Network.fromJSON(text, { backend: 'js', threads: 2 });
    expect([net.backend, net.threads, net.simd]).toEqual(['js', 1, 'none']);
    net.dispose();
  });
});
