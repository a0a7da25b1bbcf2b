import { it } from 'vitest';
import { backendOf } from './support/modules.js';
import { Scratch, randomArray } from './support/helpers.js';
it('scratch', { timeout: 120000 }, async () => {
  const be = await backendOf({ label: 'x', simd: 'plain', threads: 2 });
  const s = new Scratch(be);
  const out: string[] = [];
  for (const [M, N, K, form] of [[512, 512, 512, 'nn'], [128, 256, 784, 'nn'], [128, 784, 256, 'nt']] as const) {
    const a = s.put(randomArray(M * K, 1)), b = s.put(randomArray(K * N, 2)), c = s.put(M * N);
    const split = (be.kernels as any)[`gemm_${form}`], whole = (be.raw as any)[`gemm_${form}`];
    const time = (f: any, n: number) => { const t0 = performance.now(); for (let i = 0; i < n; i++) f(c, a, b, M, N, K, 1, 0); return (performance.now() - t0) / n; };
    const n = Math.max(3, Math.round(0.1e9 / (M * N * K)));
    time(split, n); time(whole, n);
    const r: number[] = [];
    for (let i = 0; i < 9; i++) { const w = time(whole, n), sp = time(split, n); r.push(w / sp); }
    r.sort((x, y) => x - y);
    out.push(`${form} ${M}x${N}x${K}: t2/t1 ${r.map((x) => x.toFixed(2)).join(' ')}`);
  }
  console.log(out.join('\n'));
  be.dispose();
});
