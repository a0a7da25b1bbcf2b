/**
 * A pool of worker threads over one shared WebAssembly.Memory. Every worker instantiates the same
 * kernel module on that memory, so a kernel call means the same thing on every thread. A dispatch
 * is a list of independent parts (one or two kernel calls each; parts write disjoint memory),
 * written into shared memory; every thread, the caller included, claims parts one at a time until
 * none is left, and the caller returns once every part is done. A thread that is slow to wake
 * leaves its share to the others; which thread runs a part never changes its result (each uses
 * its own scratch).
 *
 * Synchronisation is a few Int32 words (the control block) in the same memory: the caller writes
 * the parts, resets the claim counter NEXT and bumps GEN; a worker spins on GEN for a millisecond
 * (a dispatch that follows soon costs no system call), then sleeps in Atomics.wait. Parts are
 * claimed with Atomics.add on NEXT; each done part bumps DONE, on which the caller spins and then
 * waits.
 * Workers never allocate or grow memory; TypeScript owns all of it (the stub runtime).
 *
 * Faults: a worker catches whatever a part throws and reports it in the control block; a worker
 * that exits (Node: process.exit, an uncaught error) marks itself dead from its exit handler. The
 * dispatch then throws an Error saying which thread and what, after every other part is done, and
 * the pool is closed (the caller carries on without it).
 */
import type { importNode as ImportNode } from './modules.js';

/** Word offsets in the control block, and the sizes the workers need: passed to each worker. */
const LAYOUT = {
  GEN: 0, //        generation of the current dispatch (workers wait on it)
  NEXT: 16, //      the next part to claim
  COUNT: 32, //     parts in the current dispatch
  DONE: 48, //      parts done (the caller waits on it)
  ERR: 64, //       1 + index of the first thread whose part threw, or 0
  STOP: 65, //      1: workers return (dispose)
  TEXT_LEN: 66, //  length of the error text
  FAULT: 67, //     the test hook: 1 the next part a worker claims throws, 2 its worker exits
  DEAD: 128, //     DEAD + i: 1 once worker i has exited
  OWNER: 256, //    OWNER + p: 1 + index of the thread running part p, −1 once done
  WORDS: 512,
  TEXT_AT: 2048, // byte offset of the error text (UTF-16)
  TEXT_CHARS: 384,
  /** doubles per call: the kernel's id (−1: none), the argument that gets the thread's scratch (1…13, or 0), 13 arguments */
  CALL: 15,
  /** doubles per part: two calls, the second run after the first (or none) */
  STRIDE: 30,
  /**
   * ms a thread spins on a word before it sleeps in Atomics.wait: a dispatch that follows within
   * it costs no system call (and no wake-up, which on a VM takes tens of µs, enough to leave one
   * thread most of a product)
   */
  SPIN_MS: 1,
} as const;

/** Most threads a pool runs (the DEAD word range; execution-options.ts's MAX_THREADS). */
const MAX_POOL_THREADS = LAYOUT.OWNER - LAYOUT.DEAD;
/** Most parts in one dispatch (the OWNER word range). */
export const MAX_PARTS = LAYOUT.WORDS - LAYOUT.OWNER;
/** Bytes of the control block. */
export const CONTROL_BYTES = LAYOUT.TEXT_AT + LAYOUT.TEXT_CHARS * 2;
/** Bytes of the parts list. */
export const COMMAND_BYTES = MAX_PARTS * LAYOUT.STRIDE * 8;
/** The caller's sleeps on DONE are slices of this length (ms), after each of which it checks for dead workers. */
const WAIT_SLICE_MS = 100;

/** Kernel ids: every exported function of the module, by name, in sorted order (the same on every thread). */
export function kernelNames(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module).filter((d) => d.kind === 'function').map((d) => d.name).sort();
}

interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  index: number;
  ctl: number;
  cmd: number;
  /** this worker's scratch for the packed products */
  scratch: number;
  layout: typeof LAYOUT;
}

/**
 * Claims and runs parts until none is left: the loop of every thread, the caller's included. As
 * the workers run it from its source text, it may use nothing from outside itself.
 */
function claimParts(ctl: Int32Array, cmd: Float64Array, fns: ((...args: number[]) => void)[], index: number, scratch: number,
                    L: typeof LAYOUT, text: Uint16Array, end: () => void): void {
  for (;;) {
    const p = Atomics.add(ctl, L.NEXT, 1);
    if (p >= Atomics.load(ctl, L.COUNT)) return;
    Atomics.store(ctl, L.OWNER + p, index + 1);
    try {
      if (index > 0 && Atomics.load(ctl, L.FAULT) !== 0) {
        const f = Atomics.exchange(ctl, L.FAULT, 0);
        if (f === 2) end();
        if (f !== 0) throw new Error('a fault injected by a test');
      }
      for (let c = p * L.STRIDE; c < (p + 1) * L.STRIDE && cmd[c] >= 0; c += L.CALL) {
        const s = cmd[c + 1];
        fns[cmd[c]](s === 1 ? scratch : cmd[c + 2], s === 2 ? scratch : cmd[c + 3], s === 3 ? scratch : cmd[c + 4],
          s === 4 ? scratch : cmd[c + 5], s === 5 ? scratch : cmd[c + 6], s === 6 ? scratch : cmd[c + 7],
          s === 7 ? scratch : cmd[c + 8], s === 8 ? scratch : cmd[c + 9], s === 9 ? scratch : cmd[c + 10],
          s === 10 ? scratch : cmd[c + 11], s === 11 ? scratch : cmd[c + 12], s === 12 ? scratch : cmd[c + 13],
          s === 13 ? scratch : cmd[c + 14]);
      }
    } catch (e) {
      if (Atomics.compareExchange(ctl, L.ERR, 0, index + 1) === 0) {
        const msg = String(e).slice(0, L.TEXT_CHARS);
        for (let i = 0; i < msg.length; i++) text[i] = msg.charCodeAt(i);
        Atomics.store(ctl, L.TEXT_LEN, msg.length);
      }
    } finally {
      Atomics.store(ctl, L.OWNER + p, -1);
      Atomics.add(ctl, L.DONE, 1);
      Atomics.notify(ctl, L.DONE);
    }
  }
}

/**
 * The whole program of a worker. It runs from its source text (Function.prototype.toString), so
 * it may use nothing from outside itself: claim is claimParts's source, post, onExit and end the
 * host's message, exit-hook and exit functions.
 */
function workerProgram(init: WorkerInit, claim: typeof claimParts, post: (m: unknown) => void, onExit: (f: () => void) => void, end: () => void): void {
  const L = init.layout, index = init.index;
  let fns: ((...args: number[]) => void)[];
  try {
    const ex = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as Record<string, (...args: number[]) => void>;
    const names = WebAssembly.Module.exports(init.module).filter((d) => d.kind === 'function').map((d) => d.name).sort();
    fns = names.map((n) => ex[n]);
  } catch (e) {
    post({ error: String(e) });
    return;
  }
  const buf = init.memory.buffer;
  const ctl = new Int32Array(buf, init.ctl, L.WORDS);
  const cmd = new Float64Array(buf, init.cmd, (L.WORDS - L.OWNER) * L.STRIDE);
  const text = new Uint16Array(buf, init.ctl + L.TEXT_AT, L.TEXT_CHARS);
  onExit(() => {
    Atomics.store(ctl, L.DEAD + index, 1);
    Atomics.notify(ctl, L.DONE);
  });
  // the generation before the first dispatch, read before 'ready' lets the caller dispatch
  let seen = Atomics.load(ctl, L.GEN);
  post('ready');
  for (;;) {
    let g = Atomics.load(ctl, L.GEN);
    for (let spins = 0, t0 = performance.now(); g === seen; g = Atomics.load(ctl, L.GEN)) {
      if ((++spins & 1023) === 0 && performance.now() - t0 > L.SPIN_MS) {
        Atomics.wait(ctl, L.GEN, seen);
        t0 = performance.now();
      }
    }
    seen = g;
    if (Atomics.load(ctl, L.STOP) !== 0) return;
    claim(ctl, cmd, fns, index, init.scratch, L, text, end);
  }
}

// (a dynamic import: the worker runs this as CommonJS or, when the process was started with
// --input-type=module, which workers inherit, as an ES module)
const nodeBoot = (): string => `import('node:worker_threads').then(({ workerData, parentPort }) =>
(${workerProgram.toString()})(workerData, ${claimParts.toString()}, (m) => parentPort.postMessage(m), (f) => process.on('exit', f), () => process.exit(1)));`;

const browserBoot = (): string => `self.onmessage = (e) => { self.onmessage = null;
(${workerProgram.toString()})(e.data, ${claimParts.toString()}, (m) => self.postMessage(m), () => {}, () => self.close()); };`;

/** The host side of one worker: Node's worker_threads.Worker (terminate() resolves on exit) or a browser Worker. */
interface HostWorker {
  terminate(): unknown;
}

export interface PoolOptions {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** threads including the caller (≥ 2) */
  threads: number;
  /** byte offsets in memory: the control block (CONTROL_BYTES) and the parts list (COMMAND_BYTES) */
  control: number;
  commands: number;
  /** scratch[t]: thread t's scratch for the packed products (0 for the caller: the module's own) */
  scratch: readonly number[];
  /** the caller's own instance of the module */
  exports: WebAssembly.Exports;
  /** modules.ts's importNode (this file is bundled apart from it) */
  importNode: typeof ImportNode;
}

export class Pool {
  /** dispatches run by every pool of this process (the tests check that products did split) */
  static dispatches = 0;
  /**
   * A test hook: the dispatch after `after` more dispatches (of any pool) makes the first part a
   * worker claims fail — 'throw' makes it throw, 'exit' makes the worker exit its thread.
   */
  static testFault: { kind: 'throw' | 'exit'; after: number } | undefined;

  readonly threads: number;
  readonly #ids: Map<string, number>;
  readonly #fns: ((...args: number[]) => void)[];
  readonly #ctl: Int32Array;
  readonly #text: Uint16Array;
  readonly #cmd: Float64Array;
  #count = 0;
  #workers: HostWorker[];
  #closed: string | undefined;
  /** resolves once close() has terminated every worker */
  terminated: Promise<void> | undefined;

  private constructor(o: PoolOptions, workers: HostWorker[]) {
    this.threads = o.threads;
    const names = kernelNames(o.module);
    this.#ids = new Map(names.map((n, i) => [n, i]));
    this.#fns = names.map((n) => o.exports[n] as (...args: number[]) => void);
    const buf = o.memory.buffer;
    this.#ctl = new Int32Array(buf, o.control, LAYOUT.WORDS);
    this.#text = new Uint16Array(buf, o.control + LAYOUT.TEXT_AT, LAYOUT.TEXT_CHARS);
    this.#cmd = new Float64Array(buf, o.commands, MAX_PARTS * LAYOUT.STRIDE);
    this.#workers = workers;
  }

  /** Starts threads − 1 workers on the module and memory; resolves once every one has instantiated it. */
  static async start(o: PoolOptions): Promise<Pool> {
    if (!Number.isInteger(o.threads) || o.threads < 2 || o.threads > MAX_POOL_THREADS) {
      throw new Error(`wasm-mlp internal: a pool needs 2 to ${MAX_POOL_THREADS} threads, got ${o.threads}`);
    }
    new Int32Array(o.memory.buffer, o.control, LAYOUT.WORDS).fill(0);
    const workers: HostWorker[] = [];
    let revokeBoot: (() => void) | undefined;
    try {
      const { spawn, revoke } = isNodeHost() ? await nodeSpawner(o.importNode) : browserSpawner();
      revokeBoot = revoke;
      const ready: Promise<void>[] = [];
      for (let i = 1; i < o.threads; i++) {
        const init: WorkerInit = { module: o.module, memory: o.memory, index: i, ctl: o.control, cmd: o.commands, scratch: o.scratch[i], layout: LAYOUT };
        const { worker, started } = spawn(init);
        workers.push(worker);
        ready.push(started.catch((e: Error) => { throw new Error(`worker thread ${i} did not start (${e.message})`); }));
      }
      await Promise.all(ready);
      revokeBoot?.();
    } catch (e) {
      for (const w of workers) void w.terminate();
      throw e;
    }
    return new Pool(o, workers);
  }

  /** Why the pool no longer runs (disposed, or a worker failed), or undefined while it does. */
  get closed(): string | undefined {
    return this.#closed;
  }

  /** The id of an exported kernel, for part(). */
  id(name: string): number {
    const id = this.#ids.get(name);
    if (id === undefined) throw new Error(`wasm-mlp internal: the kernel module has no export ${name}`);
    return id;
  }

  /** Starts an empty list of parts. */
  begin(): void {
    this.#count = 0;
  }

  /**
   * Appends the part kernel(a1, …, a13); arguments past the kernel's own are ignored. Argument
   * number `scratchArg` (1…13) is replaced by the scratch of the thread that runs the part; 0: none.
   */
  part(id: number, scratchArg: number, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0,
       a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0): void {
    const n = this.#count;
    if (n === MAX_PARTS) throw new Error(`wasm-mlp internal: more than ${MAX_PARTS} parts in one dispatch`);
    this.#call(n * LAYOUT.STRIDE, id, scratchArg, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
    this.#cmd[n * LAYOUT.STRIDE + LAYOUT.CALL] = -1;
    this.#count = n + 1;
  }

  /** Makes the last part's thread call kernel(a1, …, a13) after it (on the memory the first call wrote). */
  followedBy(id: number, scratchArg: number, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0,
       a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0): void {
    this.#call((this.#count - 1) * LAYOUT.STRIDE + LAYOUT.CALL, id, scratchArg, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
  }

  #call(p: number, id: number, scratchArg: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number,
        a7: number, a8: number, a9: number, a10: number, a11: number, a12: number, a13: number): void {
    const c = this.#cmd;
    c[p] = id; c[p + 1] = scratchArg; c[p + 2] = a1; c[p + 3] = a2; c[p + 4] = a3; c[p + 5] = a4; c[p + 6] = a5;
    c[p + 7] = a6; c[p + 8] = a7; c[p + 9] = a8; c[p + 10] = a9; c[p + 11] = a10; c[p + 12] = a11; c[p + 13] = a12; c[p + 14] = a13;
  }

  /**
   * Runs every part (this thread takes its share) and returns when all are done. Throws when a
   * part threw or a worker died, once the other parts are done; the pool is then closed.
   * workerFirst (for the tests): this thread claims parts only after a worker has claimed one.
   */
  run(workerFirst = false): void {
    if (this.#closed !== undefined) throw new Error(`wasm-mlp internal: the thread pool is closed (${this.#closed})`);
    const ctl = this.#ctl, L = LAYOUT, n = this.#count;
    this.#checkAlive();
    Pool.dispatches++;
    const f = Pool.testFault;
    const fault = f !== undefined && f.after-- === 0;
    if (fault) Pool.testFault = undefined;
    // the parts are written; publish them: COUNT, DONE and the owners before NEXT (a worker that
    // claims a part of this dispatch sees all of them), then wake the workers
    Atomics.store(ctl, L.COUNT, n);
    Atomics.store(ctl, L.DONE, 0);
    Atomics.store(ctl, L.ERR, 0);
    for (let p = 0; p < n; p++) Atomics.store(ctl, L.OWNER + p, 0);
    if (fault) Atomics.store(ctl, L.FAULT, f.kind === 'throw' ? 1 : 2);
    Atomics.store(ctl, L.NEXT, 0);
    Atomics.add(ctl, L.GEN, 1);
    Atomics.notify(ctl, L.GEN);
    // (with a fault to inject, a worker must claim a part: the caller waits for one to)
    if (fault || workerFirst) for (let t = Date.now(); Atomics.load(ctl, L.NEXT) === 0 && Date.now() - t < 10_000;) Atomics.wait(ctl, L.NEXT, 0, 1);
    claimParts(ctl, this.#cmd, this.#fns, 0, 0, L, this.#text, () => {});
    for (let spins = 0, t0 = performance.now(); ;) {
      const done = Atomics.load(ctl, L.DONE);
      if (done >= n) break;
      if ((++spins & 1023) !== 0) continue;
      if (done + this.#lostParts(n) >= n) this.#fail(`worker thread ${this.#deadWorker()} (of ${this.threads}) exited during a kernel call`);
      if (performance.now() - t0 > L.SPIN_MS) Atomics.wait(ctl, L.DONE, done, WAIT_SLICE_MS);
    }
    const failed = Atomics.load(ctl, L.ERR);
    if (failed !== 0) {
      const text = String.fromCharCode(...this.#text.subarray(0, Atomics.load(ctl, L.TEXT_LEN)));
      this.#fail(`${failed === 1 ? 'the calling thread' : `worker thread ${failed - 1}`} (of ${this.threads}) threw ${text}`);
    }
  }

  /** parts claimed by a worker that has exited and not done */
  #lostParts(n: number): number {
    let lost = 0;
    for (let p = 0; p < n; p++) {
      const o = Atomics.load(this.#ctl, LAYOUT.OWNER + p);
      if (o > 1 && Atomics.load(this.#ctl, LAYOUT.DEAD + o - 1) !== 0) lost++;
    }
    return lost;
  }

  #deadWorker(): number {
    for (let i = 1; i < this.threads; i++) if (Atomics.load(this.#ctl, LAYOUT.DEAD + i) !== 0) return i;
    return 0;
  }

  /** A worker that exited between dispatches closes the pool before the next one starts. */
  #checkAlive(): void {
    const dead = this.#deadWorker();
    if (dead !== 0) this.#fail(`worker thread ${dead} (of ${this.threads}) has exited`);
  }

  #fail(what: string): never {
    this.close(what);
    throw new Error(`wasm-mlp: ${what}`);
  }

  /** Stops and terminates the workers; later run() calls throw. */
  close(why = 'disposed'): void {
    if (this.#closed !== undefined) return;
    this.#closed = why;
    Atomics.store(this.#ctl, LAYOUT.STOP, 1);
    Atomics.add(this.#ctl, LAYOUT.GEN, 1);
    Atomics.notify(this.#ctl, LAYOUT.GEN);
    this.terminated = Promise.all(this.#workers.map((w) => w.terminate())).then(() => undefined);
    this.#workers = [];
  }
}

/** Node (worker_threads) rather than a browser (Worker): the same test as modules.ts's isNode. */
export function isNodeHost(): boolean {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

type Spawner = { spawn(init: WorkerInit): { worker: HostWorker; started: Promise<void> }; revoke?: () => void };

async function nodeSpawner(importNode: typeof ImportNode): Promise<Spawner> {
  const { Worker } = await importNode<typeof import('node:worker_threads')>('worker_threads');
  const boot = nodeBoot();
  return {
    spawn(init) {
      const worker = new Worker(boot, { eval: true, workerData: init });
      // a pool never keeps a Node process alive: the caller waits for workers through shared
      // memory, not through the event loop, so a script ends when its own work does
      worker.unref();
      // failures after the start are reported through the control block, not as events
      worker.on('error', () => {});
      const started = new Promise<void>((resolve, reject) => {
        worker.once('message', (m: unknown) => (m === 'ready' ? resolve() : reject(new Error((m as { error: string }).error))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`it exited with code ${code}`)));
      });
      return { worker, started };
    },
  };
}

function browserSpawner(): Spawner {
  const url = URL.createObjectURL(new Blob([browserBoot()], { type: 'text/javascript' }));
  return {
    spawn(init) {
      const worker = new Worker(url);
      const started = new Promise<void>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent) => (e.data === 'ready' ? resolve() : reject(new Error((e.data as { error: string }).error)));
        worker.onerror = (e: ErrorEvent) => reject(new Error(e.message || 'a worker error'));
      });
      worker.postMessage(init);
      return { worker, started };
    },
    revoke: () => URL.revokeObjectURL(url),
  };
}
