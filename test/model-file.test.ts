/**
 * Save and load: net.toJSON() / Network.fromJSON(). A round trip through the JSON text gives back
 * every parameter bit for bit and the same predictions, on both backends and across them; a bad
 * or hostile file is rejected with an error naming what is wrong, before any network is built.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Network, datasets, type ModelJSON } from '../src/index.js';
import { MODEL_LIMITS } from '../src/io/model-file.js';
import { readmeBlock } from './support/readme-blocks.js';
import { BACKENDS, bitEqual, maxAbsDiff } from './support/helpers.js';

type BackendName = (typeof BACKENDS)[number];

const { X, Y } = datasets.flower({ m: 120, seed: 5 });

/** A trained 2-6-3-1 network: parameters of every sign and magnitude, not just the init's. */
async function trained(backend: BackendName): Promise<Network> {
  const net = await Network.create({ layers: [2, 6, 3, 1], activations: ['tanh', 'relu', 'sigmoid'], backend, seed: 7 });
  net.init({ scheme: 'xavier' });
  net.train(X, Y, { iterations: 40, learningRate: 0.5 });
  return net;
}

function expectSameParams(a: Network, b: Network): void {
  const pa = a.getParams(), pb = b.getParams();
  expect(pb.length).toBe(pa.length);
  pa.forEach((p, l) => {
    expect(bitEqual(p.W.data, pb[l].W.data), `W[${l + 1}]`).toBe(true);
    expect(bitEqual(p.b, pb[l].b), `b[${l + 1}]`).toBe(true);
  });
}

describe('toJSON / fromJSON round trip', () => {
  it.each(BACKENDS)('on %s: the text gives back every parameter bit for bit and the same predictions', async (backend) => {
    const net = await trained(backend);
    const text = JSON.stringify(net);
    const back = await Network.fromJSON(text, { backend });
    expect(back.backend).toBe(backend);
    expect(back.layers).toEqual([2, 6, 3, 1]);
    expect(back.activations).toEqual(['tanh', 'relu', 'sigmoid']);
    expectSameParams(net, back);
    // same parameters, same kernels: the outputs are the same bits
    expect(bitEqual(back.predictProba(X).data, net.predictProba(X).data)).toBe(true);
    expect(Array.from(back.predict(X).data)).toEqual(Array.from(net.predict(X).data));
    // and it saves to the same text again
    expect(JSON.stringify(back)).toBe(text);
    net.dispose();
    back.dispose();
  });

  it.each([['wasm', 'js'], ['js', 'wasm']] as const)('saved on %s, loaded on %s: same bits, same classes', async (from, to) => {
    const net = await trained(from);
    const back = await Network.fromJSON(JSON.stringify(net.toJSON()), { backend: to });
    expect(back.backend).toBe(to);
    expectSameParams(net, back);
    // different kernels (SIMD tanh/exp vs Math's) on the same parameters: outputs agree to a few
    // float32 roundings (test/parity.test.ts measured 1.2e-7); 1e-5 leaves two orders of magnitude
    const pa = net.predictProba(X).data, pb = back.predictProba(X).data;
    expect(maxAbsDiff(pa, pb)).toBeLessThanOrEqual(1e-5);
    // no output of this trained net sits within 1e-5 of the 0.5 threshold, so the classes are equal
    expect(Math.min(...Array.from(pa, (p) => Math.abs(p - 0.5)))).toBeGreaterThan(1e-5);
    expect(Array.from(back.predict(X).data)).toEqual(Array.from(net.predict(X).data));
  });

  it.each([
    { out: 'softmax', loss: undefined, want: 'cce', nY: 3 },
    { out: 'linear', loss: undefined, want: 'mse', nY: 2 },
    { out: 'sigmoid', loss: 'mse', want: 'mse', nY: 1 },
  ] as const)('a $out output with loss $want: kept, and the loaded network has the same cost', async ({ out, loss, want, nY }) => {
    const net = await Network.create({ layers: [2, 5, nY], activations: ['relu', out], ...(loss ? { loss } : {}), backend: 'js', seed: 3 });
    net.init({ scheme: 'he' });
    const Yk = out === 'softmax' ? Array.from(Y.data, (y, j) => (y + (j % 2)) % 3) : { rows: nY, cols: X.cols, data: new Float32Array(nY * X.cols).map((_, k) => Math.sin(k)) };
    net.train(X, Yk, { epochs: 3, batchSize: 40, optimizer: 'adam' });
    const obj = net.toJSON();
    expect(obj.loss).toBe(want);
    const back = await Network.fromJSON(JSON.stringify(obj), { backend: 'js' });
    expect(back.loss).toBe(want);
    expect(back.activations).toEqual(['relu', out]);
    expectSameParams(net, back);
    net.forward(X);
    back.forward(X);
    expect(back.cost(Yk)).toBe(net.cost(Yk));
  });

  it.each(BACKENDS)('on %s, every finite float32 bit pattern survives the JSON text (random patterns, extremes, subnormals)', async (backend) => {
    const net = await Network.create({ layers: [50, 40, 1], backend });
    const words = new Uint32Array(50 * 40 + 40 + 40 + 1);
    let s = 0x9e3779b9;
    for (let i = 0; i < words.length; i++) {
      // xorshift32: any 32-bit pattern; exponent 255 (Inf/NaN) and -0 are not parameters, so skip them
      do {
        s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      } while (((s >>> 23) & 0xff) === 0xff || s === 0x80000000);
      words[i] = s;
    }
    // and the edges: largest finite, smallest subnormal, smallest normal, 1 ± ulp, +0
    words.set([0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x00800000, 0x3f800001, 0x3f7fffff, 0]);
    const f = new Float32Array(words.buffer);
    net.setParams([
      { W: { rows: 40, cols: 50, data: f.subarray(0, 2000) }, b: f.subarray(2000, 2040) },
      { W: { rows: 1, cols: 40, data: f.subarray(2040, 2080) }, b: f.subarray(2080, 2081) },
    ]);
    const back = await Network.fromJSON(JSON.stringify(net), { backend });
    expectSameParams(net, back);
  });

  it('-0: the object form keeps it; the JSON text writes it as 0 (equal in value)', async () => {
    const net = await Network.create({ layers: [1, 1], backend: 'js' });
    net.setParams([{ W: { rows: 1, cols: 1, data: [-0] }, b: [-0] }]);
    const obj = net.toJSON();
    expect(Object.is(obj.params[0].W[0], -0)).toBe(true);
    expect(bitEqual((await Network.fromJSON(obj, { backend: 'js' })).getParams()[0].b, Float32Array.of(-0))).toBe(true);
    const fromText = (await Network.fromJSON(JSON.stringify(obj), { backend: 'js' })).getParams()[0];
    expect(Object.is(fromText.W.data[0], 0)).toBe(true);
  });

  it('toJSON is the documented version-1 object, sharing nothing with the network', async () => {
    const net = await trained('js');
    const obj = net.toJSON();
    expect(Object.keys(obj)).toEqual(['format', 'version', 'layers', 'activations', 'loss', 'params']);
    expect(obj.format).toBe('wasm-mlp');
    expect(obj.version).toBe(1);
    expect(obj.loss).toBe('bce');
    expect(obj.params.map((p) => [p.W.length, p.b.length])).toEqual([[12, 6], [18, 3], [3, 1]]);
    // W row-major: W[1][i][j] is element i·n_in + j
    const W2 = net.getParams()[1].W;
    expect(obj.params[1].W[1 * 6 + 4]).toBe(W2.data[1 * W2.cols + 4]);
    obj.params[0].W[0] = 123; // the object is a copy
    expect(net.getParams()[0].W.data[0]).not.toBe(123);
    net.dispose();
    expect(() => net.toJSON()).toThrow(/Network\.toJSON: this network has been disposed/);
  });
});

// ---- the hostile-file table -------------------------------------------------------------------

/** A valid 2-3-1 model as a fresh object, to be broken by each case. */
function good(): ModelJSON {
  return {
    format: 'wasm-mlp', version: 1, layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], loss: 'bce',
    params: [
      { W: [0.5, -0.25, 0.125, 1, -1, 0.75], b: [0.1, 0.2, 0.3] },
      { W: [1.5, -2, 0.5], b: [-0.5] },
    ],
  };
}
const text = (edit: (m: Record<string, any>) => void): string => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const m = good() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  edit(m);
  return JSON.stringify(m);
};
const GOOD_TEXT = JSON.stringify(good());

interface Case { name: string; input: () => unknown; error: RegExp; options?: unknown }

const CASES: Case[] = [
  { name: 'not JSON at all', input: () => 'hello', error: /json must be a model file's JSON text; it does not parse: Unexpected token 'h'/ },
  { name: 'empty text', input: () => '', error: /does not parse.*truncated/ },
  { name: 'truncated text (cut in the middle of params)', input: () => GOOD_TEXT.slice(0, GOOD_TEXT.indexOf('-0.25') + 3), error: /does not parse.*the file looks truncated/ },
  { name: 'trailing garbage', input: () => GOOD_TEXT + '}', error: /does not parse \(line 1, column \d+\)/ },
  { name: 'JSON null', input: () => 'null', error: /the model must be a model object \{ format, version, layers, activations, loss, params \}; got null/ },
  { name: 'a JSON array', input: () => '[1, 2, 3]', error: /the model must be a model object.*got an Array of length 3/ },
  { name: 'wrong format', input: () => text((m) => { m.format = 'keras'; }), error: /format must be 'wasm-mlp' \(this is not a wasm-mlp model file\); got "keras"/ },
  { name: 'format missing', input: () => text((m) => { delete m.format; }), error: /format must be 'wasm-mlp'.*got undefined/ },
  { name: 'a newer version', input: () => text((m) => { m.version = 2; }), error: /version must be 1 .*; got 2\. The file was written by a newer wasm-mlp/ },
  { name: 'version as a string', input: () => text((m) => { m.version = '1'; }), error: /version must be 1 .*; got "1"/ },
  { name: '__proto__ key at the top', input: () => GOOD_TEXT.replace('{', '{"__proto__":{"polluted":1},'), error: /unexpected key "__proto__"; a model has only the keys format, version/ },
  { name: 'constructor key at the top', input: () => GOOD_TEXT.replace('{', '{"constructor":{"prototype":{"x":1}},'), error: /unexpected key "constructor"/ },
  { name: 'prototype key in a layer', input: () => text((m) => { m.params[1].prototype = { W: [] }; }), error: /unexpected key "prototype" in params\[1\]; a layer has only the keys W, b/ },
  { name: 'a layer size of 10⁹', input: () => text((m) => { m.layers = [2, 1e9, 1]; }), error: /layers\[1\] must be an integer from 1 to 1048576; got 1000000000/ },
  // 3·2^20 + 2^20·(2^20 + 1) + (2^20 + 1) = 2^40 + 5·2^20 + 1 weights and biases
  { name: 'sizes each allowed but 2⁴⁰ parameters in all', input: () => text((m) => { m.layers = [2, 2 ** 20, 2 ** 20, 1]; m.activations = ['tanh', 'tanh', 'sigmoid']; }), error: /layers must be a network of at most 16777216 parameters.*has 1099516870657/ },
  { name: 'a fractional layer size', input: () => text((m) => { m.layers = [2, 3.5, 1]; }), error: /layers\[1\] must be an integer from 1 to 1048576; got 3\.5/ },
  { name: 'a layer size as a string', input: () => text((m) => { m.layers = [2, '3', 1]; }), error: /layers\[1\] must be an integer.*got "3"/ },
  { name: 'too many layers', input: () => text((m) => { m.layers = new Array(2000).fill(1); }), error: /layers must be an array of 2 to 1024 layer sizes.*got an Array of length 2000/ },
  { name: 'activations of the wrong length', input: () => text((m) => { m.activations = ['tanh']; }), error: /activations must be an array of 2 activation names.*got an Array of length 1/ },
  { name: 'an unknown activation', input: () => text((m) => { m.activations = ['gelu', 'sigmoid']; }), error: /activations\[0\] must be one of 'sigmoid', 'tanh'.*got "gelu"/ },
  { name: 'an unknown loss', input: () => text((m) => { m.loss = 'hinge'; }), error: /loss must be one of 'bce', 'cce', 'mse'; got "hinge"/ },
  { name: 'params of the wrong count', input: () => text((m) => { m.params.pop(); }), error: /params must be an array of 2 \{ W, b \}.*got an Array of length 1/ },
  { name: 'W of the wrong length', input: () => text((m) => { m.params[1].W.push(0); }), error: /params\[1\]\.W must be an array of 1·3 = 3 numbers \(layers\[2\] × layers\[1\], row-major\); got an Array of length 4/ },
  { name: 'b of the wrong length', input: () => text((m) => { m.params[0].b = [1]; }), error: /params\[0\]\.b must be an array of 3 numbers \(layers\[1\]\); got an Array of length 1/ },
  { name: 'NaN written as a string', input: () => text((m) => { m.params[0].W[4] = 'NaN'; }), error: /params\[0\]\.W\[4\] must be a finite number \(in float32 range\); got "NaN"\. JSON has no NaN or Infinity/ },
  { name: 'Infinity written as null (what JSON.stringify does)', input: () => text((m) => { m.params[1].W[2] = Infinity; }), error: /params\[1\]\.W\[2\] must be a finite number.*got null/ },
  { name: '"Infinity" as a string in b', input: () => text((m) => { m.params[0].b[2] = '-Infinity'; }), error: /params\[0\]\.b\[2\] must be a finite number.*got "-Infinity"/ },
  { name: 'a number beyond float32 range', input: () => text((m) => { m.params[0].W[1] = 1e39; }), error: /params\[0\]\.W\[1\] must be a finite number \(in float32 range\); got 1e\+39/ },
  { name: 'nested garbage instead of a number', input: () => text((m) => { m.params[0].W[5] = [[[{ a: 1 }]]]; }), error: /params\[0\]\.W\[5\] must be a finite number.*got an Array of length 1/ },
  { name: 'a layer as nested arrays', input: () => text((m) => { m.params[0] = [[1, 2], [3]]; }), error: /params\[0\] must be an object \{ W, b \}; got an Array of length 2/ },
  { name: 'W as an array-like object claiming 10⁹ entries', input: () => text((m) => { m.params[0].W = { length: 1e9, 0: 1 }; }), error: /params\[0\]\.W must be an array of 3·2 = 6 numbers.*got an object with keys \{0, length\}/ },
  { name: 'a stray key', input: () => text((m) => { m.extra = 1; }), error: /unexpected key "extra"; a model has only the keys/ },
  { name: 'a huge text (over the limit, never parsed)', input: () => ' '.repeat(MODEL_LIMITS.textLength + 1), error: /json must be a model text of at most 503316480 characters; got a string of 503316481 characters \(not parsed\)/ },
  { name: 'deeply nested brackets', input: () => '['.repeat(100_000) + ']'.repeat(100_000), error: /json must be a model file's JSON text with at most 8 levels of nested arrays and objects; this text has more \(the first past the limit at line 1, column 9\): not parsed/ },
  { name: 'a bad backend option', input: () => GOOD_TEXT, options: { backend: 'gpu' }, error: /options\.backend must be 'wasm' or 'js'; got "gpu"/ },
  // object inputs (a ModelJSON built in code): same rules, and nothing read through a prototype or a getter
  { name: 'object: a sparse W claiming 10⁹ entries', input: () => { const m = good() as any; m.params[0].W = new Array(1e9); return m; }, error: /params\[0\]\.W must be an array of 3·2 = 6 numbers.*got an Array of length 1000000000/ }, // eslint-disable-line @typescript-eslint/no-explicit-any
  { name: 'object: a hole in W', input: () => { const m = good(); delete (m.params[0].W as unknown[])[3]; return m; }, error: /params\[0\]\.W\[3\] must be present; got "a hole in the array"/ },
  { name: 'object: a getter for params', input: () => { const m: Partial<ModelJSON> = good(); delete m.params; return Object.defineProperty(m, 'params', { enumerable: true, get() { throw new Error('the getter ran'); } }); }, error: /params must be a plain value; got "an accessor property"/ },
  { name: 'object: a class instance', input: () => Object.assign(new (class Model {})(), good()), error: /the model must be a model object .* \(a plain object\)/ },
  { name: 'object: a symbol key', input: () => ({ ...good(), [Symbol('x')]: 1 }), error: /unexpected key Symbol\(x\)/ },
];

describe.each(BACKENDS)('Network.fromJSON rejects a bad or hostile file (backend %s)', (backend) => {
  afterEach(() => { vi.restoreAllMocks(); });

  it.each(CASES)('$name', async ({ input, error, options }) => {
    const create = vi.spyOn(Network, 'create');
    const before = process.memoryUsage().arrayBuffers;
    const err = await Network.fromJSON(input() as string, (options ?? { backend }) as { backend: BackendName }).then(
      () => new Error('it loaded'), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^Network\.fromJSON: /);
    expect(err.message).toMatch(error);
    // everything is checked before a network is built: nothing was created, nothing big reserved
    expect(create).not.toHaveBeenCalled();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a hole is not read through a polluted Array.prototype', async () => {
    const m = good();
    delete (m.params[1].W as unknown[])[1];
    Object.defineProperty(Array.prototype, '1', { value: 0.5, configurable: true, writable: true });
    try {
      await expect(Network.fromJSON(m, { backend })).rejects.toThrow(/params\[1\]\.W\[1\] must be present; got "a hole in the array"/);
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['1'];
    }
  });

  it.each([
    ['a loss its output cannot train with', { loss: 'cce' }, /Network\.create: loss must be 'bce' or 'mse' for a 'sigmoid' output; got "cce"/],
    ['softmax on a hidden layer', { activations: ['softmax', 'sigmoid'] }, /Network\.create: activations\[0\] must be/],
  ])('a file whose fields all pass but Network.create refuses (%s): its error, and no network', async (_, change, error) => {
    const create = vi.spyOn(Network, 'create');
    const err = await Network.fromJSON({ ...good(), ...change } as ModelJSON, { backend }).then(() => new Error('it loaded'), (e: unknown) => e as Error);
    expect(err.message).toMatch(/^Network\.fromJSON: the model's architecture is not accepted: /);
    expect(err.message).toMatch(error);
    expect(create).toHaveBeenCalledTimes(1);
    await expect(create.mock.results[0].value).rejects.toThrow(error);
  });

  it('the good file loads (the table breaks one thing at a time)', async () => {
    const net = await Network.fromJSON(GOOD_TEXT, { backend });
    expect(Array.from(net.getParams()[0].W.data)).toEqual(good().params[0].W);
    expect(Array.from(net.getParams()[1].b)).toEqual([-0.5]);
  });
});

it("the README's save-and-load example prints what the README shows (on the built package)", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tmp = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-save-'));
  try {
    // the same code, writing its file into a temporary directory instead of the repository
    const code = readmeBlock('save-load-example').replaceAll("'flower-net.json'", JSON.stringify(path.join(tmp, 'flower-net.json')));
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readmeBlock('save-load-example-output'));
    expect(JSON.parse(readFileSync(path.join(tmp, 'flower-net.json'), 'utf8')).format).toBe('wasm-mlp');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
