// The two single-thread kernel modules that every bundle inlines (scripts/inline-wasm.mjs), and
// 'auto' SIMD's choice between them. This file also runs in test/relaxed-simd.test.ts's child,
// whose engine has relaxed SIMD, so both branches of the choice are taken in every full run.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { Network, datasets } from '../src/index.js';
import { forgetSimdProbe, relaxedSimdSupported } from '../src/core/modules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (f: string) => readFileSync(path.join(repoRoot, f));

describe('the inlined modules', () => {
  it('build/mlp-inlined.wasm inflates to the two lengths, then build/mlp.wasm and build/mlp-relaxed.wasm in halves, byte for byte', () => {
    const bytes = inflateSync(read('build/mlp-inlined.wasm'));
    const plain = read('build/mlp.wasm'), relaxed = read('build/mlp-relaxed.wasm');
    expect([bytes.readUInt32LE(0), bytes.readUInt32LE(4)]).toEqual([plain.length, relaxed.length]);
    const hp = plain.length >> 1, hr = relaxed.length >> 1;
    expect(bytes.length).toBe(8 + plain.length + relaxed.length);
    expect(Buffer.concat([bytes.subarray(8, 8 + hp), bytes.subarray(8 + hp + hr, 8 + plain.length + hr)]).equals(plain)).toBe(true);
    expect(Buffer.concat([bytes.subarray(8 + hp, 8 + hp + hr), bytes.subarray(8 + plain.length + hr)]).equals(relaxed)).toBe(true);
    // they are different modules: the relaxed one validates only where relaxed SIMD does
    expect(plain.equals(relaxed)).toBe(false);
    expect(WebAssembly.validate(relaxed)).toBe(relaxedSimdSupported());
    expect(WebAssembly.validate(plain)).toBe(true);
  });

  it("'auto' on one thread: relaxed SIMD where the engine has it, else plain — with no note, and the bits of the module asked for by name", async () => {
    const want = relaxedSimdSupported() ? 'relaxed' : 'plain';
    const { X, Y } = datasets.flower();
    const params: Float32Array[][] = [];
    for (const simd of ['auto', want] as const) {
      const net = await Network.create({ layers: [2, 5, 1], activations: ['tanh', 'sigmoid'], seed: 3, simd, threads: 1 });
      expect([net.backend, net.simd, net.threads, net.notes], simd).toEqual(['wasm', want, 1, []]);
      net.train(X, Y, { iterations: 50, learningRate: 1.2 });
      params.push(net.getParams().flatMap((p) => [p.W.data.slice(), p.b.slice()]));
      net.dispose();
    }
    expect(params[0]).toEqual(params[1]);
  });

  it("simd 'plain' runs the plain module also where relaxed SIMD is available", async () => {
    const net = await Network.create({ layers: [2, 3, 1], simd: 'plain', threads: 1 });
    expect([net.simd, net.notes]).toEqual(['plain', []]);
    net.dispose();
  });

  it("an engine whose probe accepts relaxed SIMD but which cannot compile the relaxed module: 'auto' runs plain, with a note", async () => {
    const really = relaxedSimdSupported();
    forgetSimdProbe();
    // every module validates: the one-instruction probe says yes, whatever the engine compiles
    const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(true);
    try {
      const net = await Network.create({ layers: [2, 3, 1], threads: 1 });
      if (really) {
        // this engine does compile it (the relaxed child): relaxed, nothing to say
        expect([net.simd, net.notes]).toEqual(['relaxed', []]);
      } else {
        expect(net.simd).toBe('plain');
        expect(net.notes).toHaveLength(1);
        expect(net.notes[0]).toMatch(/^simd 'plain' instead of 'relaxed': the relaxed module did not compile \(.+\)$/);
      }
      const { X, Y } = datasets.flower();
      expect(Number.isFinite(net.train(X, Y, { iterations: 5, learningRate: 1.2 }).costs[4])).toBe(true);
      net.dispose();
    } finally {
      validate.mockRestore();
      forgetSimdProbe();
    }
    expect(relaxedSimdSupported()).toBe(really);
  });
});
