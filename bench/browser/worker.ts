/**
 * The browser bench's module worker: wasm-mlp's cells (a network per variant and workload, a raw
 * backend per variant for GEMM) and the peak loops, each timed here by performance.now() around
 * its own steps, answering the page's requests (bench/browser/messages.ts).
 */
import { Network } from '../../src/index.js';
import { createPeaks, type Peaks } from '../peaks.js';
import { relaxedSimdSupported } from '../relaxed.js';
import { timed, timedFrom } from '../timing.js';
import { createVariantBackend, createVariantNetwork, isUnavailable } from '../variants.js';
import { activationsOf, allWorkloads, gemmOperands, initialParams, workloadData, type Workload } from '../workloads.js';
import type { Replies, Request } from './messages.js';

interface Cell { time(k: number): number; step1?(): number; result?(): Float32Array; dispose?(): void }
const cells = new Map<number, Cell>();
const data = new Map<string, Awaited<ReturnType<typeof load>>>();
let peaks: Peaks | undefined;

async function load(w: Workload) {
  return { ...workloadData(w), params: await initialParams(w) };
}
const workload = (name: string): Workload => {
  const w = allWorkloads.find((x) => x.name === name);
  if (!w) throw new Error(`worker: no workload '${name}'`);
  return w;
};

async function handle(req: Request): Promise<Replies[Request['op']]> {
  switch (req.op) {
    case 'info':
      return { relaxedSimd: relaxedSimdSupported(), crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, userAgent: navigator.userAgent };
    case 'workload': {
      const w = workload(req.name);
      if (!data.has(w.name)) data.set(w.name, await load(w));
      return data.get(w.name)!;
    }
    case 'network': {
      const w = workload(req.workload);
      const d = data.get(w.name) ?? await load(w);
      const net = await createVariantNetwork(req.variant, { layers: w.layers, activations: activationsOf(w), seed: w.seed });
      if (isUnavailable(net)) return net;
      net.setParams(d.params);
      const lr = w.learningRate;
      cells.set(req.id, {
        step1: () => (net as Network).train(d.X, d.Y, { iterations: 1, learningRate: lr }).costs[0],
        time: timedFrom(() => (net as Network).setParams(d.params), (k) => { (net as Network).train(d.X, d.Y, { iterations: k, learningRate: lr }); }),
        dispose: () => (net as Network).dispose(),
      });
      return { ok: true };
    }
    case 'gemm': {
      const be = await createVariantBackend(req.variant);
      if (isUnavailable(be)) return be;
      const n = req.n, { A, B } = gemmOperands(n);
      const bytes = n * n * 4;
      const a = Math.ceil(be.base / 64) * 64, b = a + Math.ceil(bytes / 64) * 64, c = b + Math.ceil(bytes / 64) * 64;
      let heap = be.reserve(c + bytes);
      heap.set(A, a >> 2);
      heap.set(B, b >> 2);
      cells.set(req.id, {
        time: timed((k) => { for (let i = 0; i < k; i++) be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0); }),
        result: () => { be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0); heap = be.reserve(c + bytes); return heap.slice(c >> 2, (c >> 2) + n * n); },
        dispose: be.dispose,
      });
      return { ok: true };
    }
    case 'peaks': {
      peaks ??= createPeaks(relaxedSimdSupported());
      peaks.loops.forEach((l, i) => cells.set(-1 - i, { time: (k) => l.runner.time(k) as number }));
      return { loops: peaks.loops.map((l, i) => ({ loop: l.loop, id: -1 - i, flopsPerStep: l.flopsPerStep })) };
    }
    case 'step1':
      return { cost: cells.get(req.id)!.step1!() };
    case 'time':
      return { seconds: cells.get(req.id)!.time(req.k) };
    case 'result':
      return { data: cells.get(req.id)!.result!() };
    case 'dispose':
      cells.get(req.id)?.dispose?.();
      cells.delete(req.id);
      return { ok: true };
  }
}

self.onmessage = async (e: MessageEvent<{ seq: number; req: Request }>) => {
  const { seq, req } = e.data;
  try {
    postMessage({ seq, reply: await handle(req) });
  } catch (err) {
    postMessage({ seq, error: `${req.op}: ${(err as Error).message}` });
  }
};
