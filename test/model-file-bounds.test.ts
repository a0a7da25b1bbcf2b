/**
 * Reading a model text costs what the model could hold, whatever the text: nesting, floods of
 * values or objects and huge keys are refused by the shape scan before JSON.parse builds anything;
 * a byte-order mark is accepted; a cut-off file says it looks truncated; and the largest network
 * Network.create accepts has a text within the limit.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { MODEL_LIMITS, MODEL_TEXT_SHAPE } from '../src/io/model-file.js';
import { NETWORK_LIMITS } from '../src/core/architecture.js';

const GOOD = {
  format: 'wasm-mlp', version: 1, layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], loss: 'bce',
  params: [{ W: [0.5, -0.25, 0.125, 1, -1, 0.75], b: [0.1, 0.2, 0.3] }, { W: [1.5, -2, 0.5], b: [-0.5] }],
};
const GOOD_TEXT = JSON.stringify(GOOD, null, 1); // with line breaks, so that positions have lines

async function loadError(text: string): Promise<Error> {
  return Network.fromJSON(text, { backend: 'js' }).then(() => new Error('it loaded'), (e: unknown) => e as Error);
}

/** Heap and array-buffer bytes now (after a collection when the process allows one). */
function heapNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const u = process.memoryUsage();
  return u.heapUsed + u.arrayBuffers;
}

describe('hostile texts cost no more than the model limits allow', () => {
  // JSON.parse alone would build each of these whole (measured here: 16.8 million numbers take
  // it 4 s and 750 MB of heap). The scan stops at the first count past its limit.
  it.each([
    ['20 MB of nested arrays', () => '['.repeat(10_000_000) + ']'.repeat(10_000_000), /with at most 8 levels of nested arrays and objects; this text has more \(the first past the limit at line 1, column 9\): not parsed/],
    ['200 MB of zeros', () => '[' + '0,'.repeat(100_000_000 - 1) + '0]', new RegExp(`with at most ${MODEL_TEXT_SHAPE.values} values; this text has more`)],
    ['255 MB of [{},…]', () => '[' + '{},'.repeat(85_000_000 - 1) + '{}]', new RegExp(`with at most ${MODEL_TEXT_SHAPE.objects} objects; this text has more`)],
    ['a million strings', () => JSON.stringify({ ...GOOD, params: [{ W: new Array(1_000_000).fill('x'), b: [] }] }), new RegExp(`with at most ${MODEL_TEXT_SHAPE.strings} strings`)],
  ])('%s: refused before parsing, in well under a second, allocating little', async (_, make, error) => {
    const text = make();
    text.charCodeAt(text.length - 1); // a repeat() is a rope: flatten it now, as a file's text already is
    const before = heapNow();
    const t0 = performance.now();
    const e = await loadError(text);
    const ms = performance.now() - t0;
    const grew = heapNow() - before;
    expect(e.message).toMatch(/^Network\.fromJSON: json must be a model file's JSON text /);
    expect(e.message).toMatch(error);
    // the scan reads at most the text once: 255 MB at a few hundred MB/s (the machine is shared,
    // so 3 s leaves room)
    expect(ms).toBeLessThan(3000);
    // nothing sized by the text is built: a few MiB of garbage at most
    expect(grew).toBeLessThan(32 * 2 ** 20);
    expect(e.message.length).toBeLessThan(400);
  });

  it('a 50 MB key is named by its first characters, not copied into the message', async () => {
    const key = 'k'.repeat(50_000_000);
    const e = await loadError(`{"${key}": 1, "format": "wasm-mlp"}`);
    expect(e.message).toMatch(/^Network\.fromJSON: unexpected key "k{40}…"; a model has only the keys format, version/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('a text starting with a byte-order mark loads (as CSV files with one do)', async () => {
    const net = await Network.fromJSON('\ufeff' + GOOD_TEXT, { backend: 'js' });
    expect(Array.from(net.getParams()[1].W.data)).toEqual([1.5, -2, 0.5]);
  });

  it('the text cut at every character before its end says the file looks truncated', async () => {
    for (let n = 0; n < GOOD_TEXT.length; n++) {
      const e = await loadError(GOOD_TEXT.slice(0, n));
      expect(e.message, `cut after ${n} characters`).toMatch(/^Network\.fromJSON: json must be a model file's JSON text; it does not parse.*the file looks truncated/);
    }
  });
});

describe('every network Network.create accepts has a model text fromJSON reads', () => {
  it('a float32 written by JSON.stringify takes at most 25 characters', () => {
    // every exponent, with the mantissas that need the most digits (all ones, alternating, random)
    const f = new Float32Array(1), u = new Uint32Array(f.buffer);
    let longest = 0, s = 0x12345678;
    for (let sign = 0; sign < 2; sign++) {
      for (let e = 0; e < 255; e++) {
        for (let k = 0; k < 64; k++) {
          s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
          const mant = k === 0 ? 0x7fffff : k === 1 ? 0x555555 : k === 2 ? 0x2aaaaa : s & 0x7fffff;
          u[0] = ((sign << 31) | (e << 23) | mant) >>> 0;
          longest = Math.max(longest, JSON.stringify(f[0]).length);
        }
      }
    }
    // at most 17 significant digits (the shortest decimal that reads back as the float64), and
    // below 1e-6 JS writes an exponent: the longest is a sign, "0.00000" and 17 digits, e.g.
    // -0.0000031230601962306537; this sample reaches it
    expect(longest).toBe(25);
  });

  it('so the longest text at the parameter limit fits the text limit (with a real network to check the formula)', async () => {
    // a model text is at most 26 characters per parameter (25 + a comma) plus its structure:
    // at most 96 characters per layer (its size, activation, keys and brackets) and 128 more
    const bound = (params: number, layers: number) => 26 * params + 96 * layers + 128;
    const net = await Network.create({ layers: [64, 256, 3], activations: ['relu', 'softmax'], backend: 'js' });
    const worst = -0.0000031230601962306537; // 25 characters
    net.setParams(net.getParams().map(({ W, b }) => ({ W: { ...W, data: W.data.fill(worst) }, b: b.fill(worst) })));
    const text = JSON.stringify(net);
    expect(text.length).toBeLessThanOrEqual(bound(net.paramCount, 3));
    expect(text.length).toBeGreaterThan(25 * net.paramCount); // the worst case is what was written
    expect(bound(NETWORK_LIMITS.params, NETWORK_LIMITS.layers)).toBeLessThanOrEqual(MODEL_LIMITS.textLength);
    // and the shape scan lets the largest model through: its counts are within MODEL_TEXT_SHAPE
    const L = NETWORK_LIMITS.layers - 1;
    expect(1 + L).toBeLessThanOrEqual(MODEL_TEXT_SHAPE.objects); // the model and one per layer
    expect(3 + 2 * L).toBeLessThanOrEqual(MODEL_TEXT_SHAPE.arrays); // layers, activations, params, W and b per layer
    expect(6 + 2 * L + 2 + L).toBeLessThanOrEqual(MODEL_TEXT_SHAPE.strings); // keys, format, loss, activations
    expect(NETWORK_LIMITS.params + (L + 1) + L + 5 + 2 * L + (1 + 3 + 3 * L)).toBeLessThanOrEqual(MODEL_TEXT_SHAPE.values);
    // and a text this long can exist in V8
    expect(MODEL_LIMITS.textLength).toBeLessThanOrEqual((await import('node:buffer')).constants.MAX_STRING_LENGTH);
  });
});
