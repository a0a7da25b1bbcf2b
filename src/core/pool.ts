/**
 * A pool of worker threads over one shared WebAssembly.Memory. Every worker instantiates the same
 * kernel module on that memory, so a kernel call means the same thing on every thread. A dispatch
 * is a list of kernel calls per thread, written into shared memory; thread 0 is the caller, which
 * runs its own list and then waits until every worker has run its list.
 *
 * Synchronisation is a few Int32 words (the control block) in the same memory: the caller bumps
 * GEN and notifies; a worker spins briefly on GEN (a dispatch that follows soon costs no system
 * call), then sleeps in Atomics.wait. A worker that finishes stores the generation it ran in its
 * DONE word and bumps SEQ, on which the caller spins and then waits. Workers never allocate or
 * grow memory; TypeScript owns all of it (the kernels run on the stub runtime, not thread-safe).
 *
 * Faults: a worker catches whatever its calls throw and reports it in the control block; a worker
 * that exits (Node: process.exit, an uncaught error) marks itself dead from its exit handler. The
 * dispatch then throws an Error saying which thread and what, after every live worker has
 * finished writing, and the pool is closed (the caller carries on without it).
 */
import type { importNode as ImportNode } from './modules.js';

/** Word offsets in the control block, and the sizes the workers need: passed to each worker. */
const LAYOUT = {
  GEN: 0, //       generation of the current dispatch (workers wait on it)
  SEQ: 16, //      bumped by a worker when it finishes or dies (the caller waits on it)
  ERR: 32, //      1 + index of the first worker that threw, or 0
  STOP: 33, //     1: workers return (dispose)
  TEXT_LEN: 34, // length of the error text
  DONE: 64, //     DONE + i: the last generation worker i finished
  DEAD: 192, //    DEAD + i: 1 when worker i has exited
  WORDS: 320,
  TEXT_AT: 1280, // byte offset of the error text (UTF-16)
  TEXT_CHARS: 384,
  /** doubles per command: the kernel's id and 13 arguments */
  STRIDE: 14,
  /** spins on GEN before a worker sleeps (about 20–40 µs) */
  SPIN: 20000,
} as const;

/** Most threads a pool runs (the DONE and DEAD word ranges; backend.ts's MAX_THREADS). */
const MAX_POOL_THREADS = LAYOUT.DEAD - LAYOUT.DONE;
/** Bytes of the control block. */
export const CONTROL_BYTES = LAYOUT.TEXT_AT + LAYOUT.TEXT_CHARS * 2;
/** Commands one thread's list holds per dispatch. */
export const MAX_COMMANDS = 8;
/** Bytes of one thread's command list: its length, then MAX_COMMANDS commands. */
export const COMMAND_BYTES = (1 + MAX_COMMANDS * LAYOUT.STRIDE) * 8;
/** Caller spins on SEQ before it sleeps; its sleeps are slices of this length (ms). */
const CALLER_SPIN = 20000;
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
  layout: typeof LAYOUT;
}

/** Command ids of the test hook (Pool.testFault): the worker that runs one throws (−1) or exits (−2). */
const FAULT_THROW = -1;
const FAULT_EXIT = -2;

/**
 * The whole program of a worker. It runs from its source text (Function.prototype.toString), so
 * it may use nothing from outside itself: post, onExit and end are the host's message, exit-hook
 * and exit functions.
 */
function workerProgram(init: WorkerInit, post: (m: unknown) => void, onExit: (f: () => void) => void, end: () => void): void {
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
  const cmd = new Float64Array(buf, init.cmd, 1 + 8 * L.STRIDE);
  const text = new Uint16Array(buf, init.ctl + L.TEXT_AT, L.TEXT_CHARS);
  onExit(() => {
    Atomics.store(ctl, L.DEAD + index, 1);
    Atomics.add(ctl, L.SEQ, 1);
    Atomics.notify(ctl, L.SEQ);
  });
  // the generation before the first dispatch, read before 'ready' lets the caller dispatch
  let seen = Atomics.load(ctl, L.GEN);
  post('ready');
  for (;;) {
    let g = Atomics.load(ctl, L.GEN);
    for (let spins = 0; g === seen; g = Atomics.load(ctl, L.GEN)) {
      if (++spins > L.SPIN) Atomics.wait(ctl, L.GEN, seen);
    }
    seen = g;
    if (Atomics.load(ctl, L.STOP) !== 0) return;
    try {
      const n = cmd[0];
      for (let c = 0, p = 1; c < n; c++, p += L.STRIDE) {
        const id = cmd[p];
        if (id < 0) {
          if (id === -2) end();
          throw new Error('a fault injected by a test');
        }
        fns[id](cmd[p + 1], cmd[p + 2], cmd[p + 3], cmd[p + 4], cmd[p + 5], cmd[p + 6], cmd[p + 7],
          cmd[p + 8], cmd[p + 9], cmd[p + 10], cmd[p + 11], cmd[p + 12], cmd[p + 13]);
      }
    } catch (e) {
      if (Atomics.compareExchange(ctl, L.ERR, 0, index + 1) === 0) {
        const msg = String(e).slice(0, L.TEXT_CHARS);
        for (let i = 0; i < msg.length; i++) text[i] = msg.charCodeAt(i);
        Atomics.store(ctl, L.TEXT_LEN, msg.length);
      }
    }
    Atomics.store(ctl, L.DONE + index, seen);
    Atomics.add(ctl, L.SEQ, 1);
    Atomics.notify(ctl, L.SEQ);
  }
}

// (a dynamic import: the worker runs this as CommonJS or, when the process was started with
// --input-type=module, which workers inherit, as an ES module)
const nodeBoot = (): string => `import('node:worker_threads').then(({ workerData, parentPort }) =>
(${workerProgram.toString()})(workerData, (m) => parentPort.postMessage(m), (f) => process.on('exit', f), () => process.exit(1)));`;

const browserBoot = (): string => `self.onmessage = (e) => { self.onmessage = null;
(${workerProgram.toString()})(e.data, (m) => self.postMessage(m), () => {}, () => self.close()); };`;

/** The host side of one worker: Node's worker_threads.Worker (terminate() resolves on exit) or a browser Worker. */
interface HostWorker {
  terminate(): unknown;
}

export interface PoolOptions {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** threads including the caller (≥ 2) */
  threads: number;
  /** byte offsets in memory: the control block (CONTROL_BYTES) and `threads` command lists (COMMAND_BYTES each) */
  control: number;
  commands: number;
  /** the caller's own instance of the module (runs thread 0's list) */
  exports: WebAssembly.Exports;
  /** modules.ts's importNode (this file is bundled apart from it) */
  importNode: typeof ImportNode;
}

export class Pool {
  /** dispatches run by every pool of this process (the tests check that products did split) */
  static dispatches = 0;
  /**
   * A test hook: the next dispatch after `after` more dispatches (of any pool) first puts a fault
   * into worker 1's list — 'throw' makes it throw, 'exit' makes it exit its thread.
   */
  static testFault: { kind: 'throw' | 'exit'; after: number } | undefined;

  readonly threads: number;
  readonly #ids: Map<string, number>;
  readonly #fns: ((...args: number[]) => void)[];
  readonly #ctl: Int32Array;
  readonly #text: Uint16Array;
  /** per thread: its command list, and how many commands it holds */
  readonly #cmd: Float64Array[];
  readonly #count: Int32Array;
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
    this.#cmd = Array.from({ length: o.threads }, (_, t) => new Float64Array(buf, o.commands + t * COMMAND_BYTES, COMMAND_BYTES / 8));
    this.#count = new Int32Array(o.threads);
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
        const init: WorkerInit = { module: o.module, memory: o.memory, index: i, ctl: o.control, cmd: o.commands + i * COMMAND_BYTES, layout: LAYOUT };
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

  /** The id of an exported kernel, for put(). */
  id(name: string): number {
    const id = this.#ids.get(name);
    if (id === undefined) throw new Error(`wasm-mlp internal: the kernel module has no export ${name}`);
    return id;
  }

  /** Empties every thread's command list. */
  begin(): void {
    this.#count.fill(0);
  }

  /** Appends the call kernel(a1, …, a13) to thread t's list; arguments past the kernel's own are ignored. */
  put(t: number, id: number, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0,
      a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0): void {
    const n = this.#count[t];
    if (n === MAX_COMMANDS) throw new Error(`wasm-mlp internal: more than ${MAX_COMMANDS} commands for one thread`);
    const c = this.#cmd[t], p = 1 + n * LAYOUT.STRIDE;
    c[p] = id; c[p + 1] = a1; c[p + 2] = a2; c[p + 3] = a3; c[p + 4] = a4; c[p + 5] = a5; c[p + 6] = a6;
    c[p + 7] = a7; c[p + 8] = a8; c[p + 9] = a9; c[p + 10] = a10; c[p + 11] = a11; c[p + 12] = a12; c[p + 13] = a13;
    this.#count[t] = n + 1;
  }

  /**
   * Runs every thread's list (thread 0's here) and returns when all have finished. Throws when a
   * worker threw or died, once the others have finished; the pool is then closed.
   */
  run(): void {
    if (this.#closed !== undefined) throw new Error(`wasm-mlp internal: the thread pool is closed (${this.#closed})`);
    const ctl = this.#ctl, T = this.threads;
    Pool.dispatches++;
    const f = Pool.testFault;
    if (f !== undefined && f.after-- === 0) {
      Pool.testFault = undefined;
      this.#cmd[1][1] = f.kind === 'throw' ? FAULT_THROW : FAULT_EXIT;
      this.#count[1] = Math.max(1, this.#count[1]);
    }
    for (let t = 0; t < T; t++) this.#cmd[t][0] = this.#count[t];
    const gen = (Atomics.add(ctl, LAYOUT.GEN, 1) + 1) | 0;
    Atomics.notify(ctl, LAYOUT.GEN);
    let own: unknown;
    try {
      this.#runOwn();
    } catch (e) {
      own = e;
    }
    for (let spins = 0; ;) {
      const seq = Atomics.load(ctl, LAYOUT.SEQ);
      let pending = false;
      for (let i = 1; i < T && !pending; i++) {
        pending = Atomics.load(ctl, LAYOUT.DONE + i) !== gen && Atomics.load(ctl, LAYOUT.DEAD + i) === 0;
      }
      if (!pending) break;
      if (++spins > CALLER_SPIN) Atomics.wait(ctl, LAYOUT.SEQ, seq, WAIT_SLICE_MS);
    }
    if (own !== undefined) throw own;
    const failed = Atomics.load(ctl, LAYOUT.ERR);
    if (failed !== 0) {
      const text = String.fromCharCode(...this.#text.subarray(0, Atomics.load(ctl, LAYOUT.TEXT_LEN)));
      this.#fail(`worker thread ${failed - 1} (of ${T}) threw ${text}`);
    }
    for (let i = 1; i < T; i++) {
      if (Atomics.load(ctl, LAYOUT.DEAD + i) !== 0) this.#fail(`worker thread ${i} (of ${T}) exited during a kernel call`);
    }
  }

  #runOwn(): void {
    const c = this.#cmd[0], fns = this.#fns;
    for (let k = 0, p = 1; k < this.#count[0]; k++, p += LAYOUT.STRIDE) {
      fns[c[p]](c[p + 1], c[p + 2], c[p + 3], c[p + 4], c[p + 5], c[p + 6], c[p + 7],
        c[p + 8], c[p + 9], c[p + 10], c[p + 11], c[p + 12], c[p + 13]);
    }
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

type Spawner = { spawn(init: WorkerInit): { worker: HostWorker; started: Promise<void> }; revoke?: () => void };

/** Node (worker_threads) rather than a browser (Worker): the same test as modules.ts's isNode. */
function isNodeHost(): boolean {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

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
