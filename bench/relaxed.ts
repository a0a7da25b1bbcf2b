/**
 * Feature probes: two hand-assembled one-function modules that differ only in their SIMD body.
 * `plainSimdModule` multiplies and adds with f32x4.mul + f32x4.add (WebAssembly SIMD, which
 * Node 20 accepts); `relaxedSimdModule` uses f32x4.relaxed_madd (opcode 0xfd 0x105), which
 * Node 20 refuses unless started with --experimental-wasm-relaxed-simd.
 */

const V128_CONST = [0xfd, 0x0c];
const F32X4_MUL = [0xfd, 0xe6, 0x01]; // 0xe6 as LEB128
const F32X4_ADD = [0xfd, 0xe4, 0x01]; // 0xe4 as LEB128
const F32X4_RELAXED_MADD = [0xfd, 0x85, 0x02]; // 0x105 as LEB128

/** v128.const of four f32 ones (little-endian 0x3f800000) */
function ones(): number[] {
  return [...V128_CONST, ...Array.from({ length: 4 }, () => [0x00, 0x00, 0x80, 0x3f]).flat()];
}

/** A module with one function () → v128 whose body is `code`; every size fits one LEB128 byte. */
function moduleWith(code: number[]): Uint8Array<ArrayBuffer> {
  const body = [0x00 /* no locals */, ...code, 0x0b /* end */];
  const codeSection = [0x01, body.length, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //        type section: () → v128
    0x03, 0x02, 0x01, 0x00, //                          function section: one function of type 0
    0x0a, codeSection.length, ...codeSection, //        code section
  ]);
}

/** 1·1 + 1 with f32x4.mul then f32x4.add (plain WebAssembly SIMD). */
export function plainSimdModule(): Uint8Array<ArrayBuffer> {
  return moduleWith([...ones(), ...ones(), ...F32X4_MUL, ...ones(), ...F32X4_ADD]);
}

/** 1·1 + 1 with f32x4.relaxed_madd (relaxed SIMD). */
export function relaxedSimdModule(): Uint8Array<ArrayBuffer> {
  return moduleWith([...ones(), ...ones(), ...ones(), ...F32X4_RELAXED_MADD]);
}

/**
 * Whether this engine accepts relaxed SIMD: the library's own probe (src/core/modules.ts), so the
 * bench times relaxed cells exactly where Network.create would run the relaxed module.
 */
export { relaxedSimdSupported } from '../src/core/modules.js';
