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
 * the parts, opens them (OWNER + p from −1 to 0) and bumps GEN; a worker spins on GEN for a
 * millisecond (a dispatch that follows soon costs no system call), then sleeps in Atomics.wait.
 * A thread claims part p by compareExchange of OWNER + p from 0 to its own number, so a claim
 * and its owner are one write, and a worker still finishing the last dispatch can only claim
 * parts the caller has opened for this one; each done part bumps DONE, on which the caller spins
 * and then waits.
 * Workers never allocate or grow memory; TypeScript owns all of it (the stub runtime).
 *
 * Faults: a worker catches whatever a part throws and reports it in the control block. Workers
 * are started and watched by one supervisor thread, which does nothing else: its event loop is
 * free while the caller is blocked in Atomics.wait, so it receives a worker's exit (Node: however
 * it ended — process.exit, an uncaught error, out of memory, terminate()) or uncaught error
 * (browsers, which have no exit event), writes which worker and why into the control block and
 * wakes the caller, whose waits are bounded slices in any case. The dispatch then throws an Error
 * naming the worker and the cause, once every part is done or held by a dead worker (so no live
 * thread still writes), and the pool is closed (the caller carries on without it).
 */
import type { importNode as ImportNode } from './modules.js';

/** Word offsets in the control block, and the sizes the workers need: passed to each worker. */
const LAYOUT = {
  GEN: 0, //        generation of the current dispatch (workers wait on it)
  COUNT: 32, //     parts in the current dispatch
  DONE: 48, //      parts done (the caller waits on it)
  ERR: 64, //       1 + index of the first thread whose part threw, or 0
  STOP: 65, //      1: workers return (dispose)
  TEXT_LEN: 66, //  length of the error text
  FAULT: 67, //     the test hook: the next part a worker claims fails (FAULTS)
  DEATH: 68, //     1 + index of the first worker that ended, or 0 (written by the supervisor)
  DEATH_LEN: 69, // length of the text saying how it ended
  DEAD: 128, //     DEAD + i: 1 once worker i has ended
  OWNER: 256, //    OWNER + p: −1 closed or done, 0 open, 1 + index of the thread running it
  WORDS: 512,
  TEXT_AT: 2048, // byte offset of the error text (UTF-16)
  DEATH_AT: 2816, // byte offset of the death text (UTF-16)
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

/**
 * The test hook's faults, by the FAULT word's value: a part that throws (1), and a worker that
 * dies holding its part: process.exit(3) (2, Node), an uncaught error (3), terminate() by the
 * supervisor (4), running out of heap (5, Node; with Pool.testHeapMb).
 */
const FAULTS = { throw: 1, exit: 2, crash: 3, terminate: 4, oom: 5 } as const;
export type TestFault = keyof typeof FAULTS;

/** Most threads a pool runs (the DEAD word range; execution-options.ts's MAX_THREADS). */
const MAX_POOL_THREADS = LAYOUT.OWNER - LAYOUT.DEAD;
/** Most parts in one dispatch (the OWNER word range). */
export const MAX_PARTS = LAYOUT.WORDS - LAYOUT.OWNER;
/** Bytes of the control block. */
export const CONTROL_BYTES = LAYOUT.DEATH_AT + LAYOUT.TEXT_CHARS * 2;
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
 * the workers run it from its source text, it may use nothing from outside itself. `fault` is
 * the host's way to fail as the test hook asks (a FAULTS value above 1; it does not return).
 */
function claimParts(ctl: Int32Array, cmd: Float64Array, fns: ((...args: number[]) => void)[], index: number, scratch: number,
                    L: typeof LAYOUT, text: Uint16Array, fault: (kind: number) => void): void {
  for (let p = 0; p < Atomics.load(ctl, L.COUNT); p++) {
    if (Atomics.compareExchange(ctl, L.OWNER + p, 0, index + 1) !== 0) continue;
    // (a worker that dies here holds part p: outside the try, so that nothing marks it done)
    const f = index > 0 && Atomics.load(ctl, L.FAULT) !== 0 ? Atomics.exchange(ctl, L.FAULT, 0) : 0;
    if (f > 1) fault(f);
    try {
      if (f === 1) throw new Error('a fault injected by a test');
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
 * it may use nothing from outside itself: claim is claimParts's source, post the host's message
 * function (to the supervisor), fault the host's way to fail as the test hook asks.
 */
function workerProgram(init: WorkerInit, claim: typeof claimParts, post: (m: unknown) => void, fault: (kind: number) => void): void {
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
    claim(ctl, cmd, fns, index, init.scratch, L, text, fault);
  }
}

/** What the supervisor is given: the control block, and each worker's init (worker i's at inits[i − 1]). */
interface SupervisorSetup {
  memory: WebAssembly.Memory;
  ctl: number;
  layout: typeof LAYOUT;
  inits: WorkerInit[];
  /** the test hook's heap limit for each worker (MiB; Node), or 0 */
  heapMb: number;
}

/** What the supervisor's host gives it (Node's worker_threads, or a browser Worker's). */
interface SupervisorHost {
  /** Starts a worker on `init`; `onExit` only where workers have an exit event (Node). */
  spawn(init: WorkerInit, onMessage: (m: unknown) => void, onError: (text: string) => void, onExit: (code: number) => void): { terminate(): void };
  /** a worker's error event means it has stopped for good (browsers: there is no exit event, and a worker whose program threw out runs nothing more) */
  errorEnds: boolean;
  /** to the thread that made the pool */
  post(m: unknown): void;
  onMessage(f: (m: unknown) => void): void;
  close(): void;
}

/**
 * The supervisor's program: starts the workers, says 'ready' once all are (or why one did not
 * start), and from then on only watches. A worker that ends — its exit event, or in a browser an
 * error out of its program, or a terminate() asked by the test hook — is marked in the control
 * block: DEATH and its text for the first, DEAD + i, and a notify on DONE, where the caller
 * waits. As it runs from its source text, it may use nothing from outside itself.
 */
function supervisorProgram(s: SupervisorSetup, host: SupervisorHost): void {
  const L = s.layout;
  const ctl = new Int32Array(s.memory.buffer, s.ctl, L.WORDS);
  const text = new Uint16Array(s.memory.buffer, s.ctl + L.DEATH_AT, L.TEXT_CHARS);
  const workers: { terminate(): void }[] = [];
  let starting = s.inits.length; // workers not yet ready; −1 once one failed to start
  const ended = (i: number, why: string) => {
    if (starting !== 0) {
      if (starting > 0) host.post({ error: `worker thread ${i} did not start (${why})` });
      starting = -1;
      return;
    }
    if (Atomics.load(ctl, L.DEAD + i) !== 0) return;
    if (Atomics.compareExchange(ctl, L.DEATH, 0, i + 1) === 0) {
      const msg = why.slice(0, L.TEXT_CHARS);
      for (let k = 0; k < msg.length; k++) text[k] = msg.charCodeAt(k);
      Atomics.store(ctl, L.DEATH_LEN, msg.length);
    }
    Atomics.store(ctl, L.DEAD + i, 1);
    Atomics.notify(ctl, L.DONE);
  };
  const terminate = (i: number) => {
    workers[i]?.terminate();
    if (host.errorEnds) ended(i, 'it was terminated'); // (Node: its exit event says so)
  };
  for (const init of s.inits) {
    const i = init.index;
    let error = '';
    workers[i] = host.spawn(init, (m) => {
      if (m === 'ready') {
        if (starting > 0 && --starting === 0) host.post('ready');
      } else if (m === 'terminate me') {
        terminate(i);
      } else if (typeof m === 'object' && m !== null && 'error' in m) {
        ended(i, String((m as { error: unknown }).error));
      }
    }, (e) => {
      error = e;
      if (host.errorEnds) ended(i, e);
    }, (code) => ended(i, `it exited with code ${code}${error ? ` (${error})` : ''}`));
  }
  host.onMessage((m) => {
    if (m === 'close') {
      for (const w of workers) w?.terminate();
      host.close();
    } else if (typeof m === 'object' && m !== null && 'terminate' in m) {
      terminate((m as { terminate: number }).terminate);
    }
  });
}

// The hosts' boot code, as source text. A worker's fault for the test hook: exit, throw out of
// its program, ask the supervisor to terminate it (and wait for that), or allocate until its heap
// is full. (Node boots through a dynamic import: the code runs as CommonJS or, when the process
// was started with --input-type=module, which workers inherit, as an ES module.)
const nodeWorkerBoot = (): string => `import('node:worker_threads').then(({ workerData, parentPort }) =>
(${workerProgram.toString()})(workerData, ${claimParts.toString()}, (m) => parentPort.postMessage(m), (kind) => {
  if (kind === ${FAULTS.exit}) process.exit(3);
  if (kind === ${FAULTS.terminate}) { parentPort.postMessage('terminate me'); for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
  if (kind === ${FAULTS.oom}) { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); }
  throw new Error('a crash injected by a test');
}));`;

const nodeSupervisorBoot = (): string => `import('node:worker_threads').then(({ Worker, workerData, parentPort, postMessageToThread }) => {
const boot = ${JSON.stringify(nodeWorkerBoot())};
const limits = workerData.heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: workerData.heapMb, maxYoungGenerationSizeMb: 4 } } : {};
// It exits only once its workers have, and once the main thread has read what Node sent it about
// them. Node's main thread keeps a MessagePort for every thread in the process (for
// postMessageToThread); a nested worker's is dropped when its parent's message saying it ended
// arrives, and that message is lost if the parent's own port closes first: ~1.2 KB of the main
// thread's heap kept for good, in about one pool in twenty when the supervisor exited as soon as
// its workers had. A message of its own to the main thread through the same port, in order after
// those, comes back once the main thread has read them all (refused, as nobody listens: that is
// fine; a process that listens for 'workerMessage' sees { wasmMlp: 'pool closed' }), or after a
// second if the main thread is busy.
const ending = [];
(${supervisorProgram.toString()})(workerData, {
  spawn(init, onMessage, onError, onExit) {
    const w = new Worker(boot, { eval: true, workerData: init, ...limits });
    w.on('message', onMessage);
    w.on('error', (e) => onError(String(e)));
    w.on('exit', onExit);
    return { terminate: () => { ending.push(w.terminate()); } };
  },
  errorEnds: false,
  post: (m) => parentPort.postMessage(m),
  onMessage: (f) => parentPort.on('message', f),
  close: () => {
    void Promise.all(ending).then(() => postMessageToThread?.(0, { wasmMlp: 'pool closed' }, 1000)).catch(() => {}).finally(() => process.exit(0));
  },
});
});`;

const browserWorkerBoot = (): string => `self.onmessage = (e) => { self.onmessage = null;
(${workerProgram.toString()})(e.data, ${claimParts.toString()}, (m) => self.postMessage(m), (kind) => {
  if (kind === ${FAULTS.terminate}) { self.postMessage('terminate me'); for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
  throw new Error('a crash injected by a test');
}); };`;

const browserSupervisorBoot = (): string => `self.onmessage = (e) => { self.onmessage = null;
const setup = e.data;
const url = URL.createObjectURL(new Blob([${JSON.stringify(browserWorkerBoot())}], { type: 'text/javascript' }));
let ready = 0;
(${supervisorProgram.toString()})(setup, {
  spawn(init, onMessage, onError) {
    const w = new Worker(url);
    w.onmessage = (e) => { if (e.data === 'ready' && ++ready === setup.inits.length) URL.revokeObjectURL(url); onMessage(e.data); };
    w.onerror = (e) => { e.preventDefault(); onError(e.message || 'an error in the worker'); };
    w.postMessage(init);
    return { terminate: () => w.terminate() };
  },
  errorEnds: true,
  post: (m) => self.postMessage(m),
  onMessage: (f) => { self.onmessage = (e) => f(e.data); },
  close: () => self.close(),
}); };`;

/** The host side of the supervisor: Node's worker_threads.Worker (terminate() resolves on exit) or a browser Worker. */
interface Supervisor {
  postMessage(m: unknown): void;
  terminate(): unknown;
  /** after 'close' (Node): resolves once it has ended by itself, its workers first, or been terminated after END_MS */
  end?(): Promise<void>;
}

/** ms a closed pool's supervisor has to end its workers and itself before it is terminated. */
const END_MS = 1000;

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
   * worker claims fail as FAULTS says ('exit' and 'oom' in Node only).
   */
  static testFault: { kind: TestFault; after: number } | undefined;
  /** A test hook: the heap limit (MiB) of the workers of pools started from now on (Node), for the fault 'oom'; 0: none. */
  static testHeapMb = 0;
  /** the started promises of startNow's pools still starting (for testStarted) */
  static #starting = new Set<Promise<void>>();
  /**
   * For the tests: resolves once every pool startNow or startSoon has started so far has its
   * workers up, or has closed (a network that waits on one thread starts its workers in the
   * background: a test of what they do awaits them).
   */
  static async testStarted(): Promise<void> {
    await Promise.all([...Pool.#starting]);
  }

  readonly threads: number;
  readonly #ids: Map<string, number>;
  readonly #fns: ((...args: number[]) => void)[];
  readonly #ctl: Int32Array;
  readonly #text: Uint16Array;
  readonly #deathText: Uint16Array;
  readonly #cmd: Float64Array;
  #count = 0;
  #supervisor: Supervisor | undefined;
  #closed: string | undefined;
  /** resolves once close() has terminated every worker */
  terminated: Promise<void> | undefined;
  /** startNow's pool: resolves once each worker has instantiated the module, or the pool has closed because one could not */
  started: Promise<void> = Promise.resolve();

  private constructor(o: PoolOptions, supervisor: Supervisor) {
    this.threads = o.threads;
    const names = kernelNames(o.module);
    this.#ids = new Map(names.map((n, i) => [n, i]));
    this.#fns = names.map((n) => o.exports[n] as (...args: number[]) => void);
    const buf = o.memory.buffer;
    this.#ctl = new Int32Array(buf, o.control, LAYOUT.WORDS);
    this.#text = new Uint16Array(buf, o.control + LAYOUT.TEXT_AT, LAYOUT.TEXT_CHARS);
    this.#deathText = new Uint16Array(buf, o.control + LAYOUT.DEATH_AT, LAYOUT.TEXT_CHARS);
    this.#cmd = new Float64Array(buf, o.commands, MAX_PARTS * LAYOUT.STRIDE);
    this.#supervisor = supervisor;
  }

  /** Starts the supervisor and through it threads − 1 workers on the module and memory; resolves once every one has instantiated it. */
  static async start(o: PoolOptions): Promise<Pool> {
    const setup = poolSetup(o);
    const { supervisor, started } = isNodeHost() ? await nodeSupervisor(setup, o.importNode) : browserSupervisor(setup);
    try {
      await started;
    } catch (e) {
      void supervisor.terminate();
      throw e;
    }
    return new Pool(o, supervisor);
  }

  /**
   * Starts the supervisor and the workers as start() does, but returns at once, without waiting
   * for them: until a worker has instantiated the module, the caller claims every part itself
   * (which thread runs a part never changes its result). A worker that cannot start closes the
   * pool (the kernels then run on the caller, and `closed` says why); `started` settles then, or
   * once every worker is up. Needs a start() before it in this process (on Node, start() loads
   * the Worker class).
   */
  static startNow(o: PoolOptions): Pool {
    let pool: Pool;
    try {
      const { supervisor, started } = isNodeHost() ? nodeSupervisorNow(poolSetup(o)) : browserSupervisor(poolSetup(o));
      pool = new Pool(o, supervisor);
      const p = pool.started = started.catch((e: Error) => pool.close(e.message)).finally(() => Pool.#starting.delete(p));
      Pool.#starting.add(p);
    } catch (e) {
      pool = Pool.closedOn(o, `the worker threads did not start (${(e as Error).message})`);
    }
    return pool;
  }

  /**
   * startNow, after loading what it needs (on Node, the Worker class): returns once the workers
   * are on their way, without waiting for them to instantiate the module — for a network that runs
   * on one thread of its own until a call of it may split (src/network.ts), whose Network.create
   * need not wait for threads it may never use. A worker that cannot start closes the pool, as
   * startNow says; `closed` and the backend's notes then say why.
   */
  static async startSoon(o: PoolOptions): Promise<Pool> {
    if (isNodeHost()) {
      try {
        await loadNodeWorker(o.importNode);
      } catch (e) {
        return Pool.closedOn(o, `the worker threads did not start (${(e as Error).message})`);
      }
    }
    return Pool.startNow(o);
  }

  /** A pool closed from the start, saying why: its kernels run on the caller (a fresh backend of a pool that a failed worker closed). */
  static closedOn(o: PoolOptions, why: string): Pool {
    const pool = new Pool(o, { postMessage() {}, terminate() {} });
    pool.close(why);
    return pool;
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
   * part threw or a worker died, once no live thread runs a part; the pool is then closed.
   * workerFirst (for the tests): this thread claims parts only after a worker has claimed one.
   */
  run(workerFirst = false): void {
    if (this.#closed !== undefined) throw new Error(`wasm-mlp internal: the thread pool is closed (${this.#closed})`);
    const ctl = this.#ctl, L = LAYOUT, n = this.#count;
    if (Atomics.load(ctl, L.DEATH) !== 0) this.#fail(this.#death('between calls'));
    Pool.dispatches++;
    const f = Pool.testFault;
    const fault = f !== undefined && f.after-- === 0;
    if (fault) Pool.testFault = undefined;
    // the parts are written; publish them: COUNT, DONE, ERR and FAULT before the parts open (a
    // thread that claims a part of this dispatch sees all of them), then wake the workers
    Atomics.store(ctl, L.COUNT, n);
    Atomics.store(ctl, L.DONE, 0);
    Atomics.store(ctl, L.ERR, 0);
    if (fault) Atomics.store(ctl, L.FAULT, FAULTS[f.kind]);
    for (let p = 0; p < n; p++) Atomics.store(ctl, L.OWNER + p, 0);
    Atomics.add(ctl, L.GEN, 1);
    Atomics.notify(ctl, L.GEN);
    // (with a fault to inject, a worker must claim a part: the caller spins, then waits, for one to)
    if (fault || workerFirst) {
      for (let spins = 0, t0 = performance.now(); !this.#claimedAny(n) && performance.now() - t0 < 10_000;) {
        if ((++spins & 1023) === 0 && performance.now() - t0 > L.SPIN_MS) Atomics.wait(ctl, L.OWNER, 0, 1);
      }
    }
    claimParts(ctl, this.#cmd, this.#fns, 0, 0, L, this.#text, () => {});
    // every part is claimed now: wait for those of the workers, or for the supervisor's word that one died
    for (let spins = 0, t0 = performance.now(); ;) {
      const done = Atomics.load(ctl, L.DONE);
      if (done >= n) break;
      if ((++spins & 1023) !== 0) continue;
      if (done + this.#lostParts(n) >= n) this.#fail(this.#death('during a kernel call'));
      if (performance.now() - t0 > L.SPIN_MS) Atomics.wait(ctl, L.DONE, done, WAIT_SLICE_MS);
    }
    const failed = Atomics.load(ctl, L.ERR);
    if (failed !== 0) {
      const text = String.fromCharCode(...this.#text.subarray(0, Atomics.load(ctl, L.TEXT_LEN)));
      this.#fail(`${failed === 1 ? 'the calling thread' : `worker thread ${failed - 1}`} (of ${this.threads}) threw ${text}`);
    }
  }

  /** a part of the current dispatch has been claimed */
  #claimedAny(n: number): boolean {
    for (let p = 0; p < n; p++) if (Atomics.load(this.#ctl, LAYOUT.OWNER + p) !== 0) return true;
    return false;
  }

  /** parts held by a worker that has ended */
  #lostParts(n: number): number {
    let lost = 0;
    for (let p = 0; p < n; p++) {
      const o = Atomics.load(this.#ctl, LAYOUT.OWNER + p);
      if (o > 1 && Atomics.load(this.#ctl, LAYOUT.DEAD + o - 1) !== 0) lost++;
    }
    return lost;
  }

  /** 'worker thread i (of n) died <when>: <how>', as the supervisor wrote it (its first death). */
  #death(when: string): string {
    const who = Atomics.load(this.#ctl, LAYOUT.DEATH) - 1;
    const why = String.fromCharCode(...this.#deathText.subarray(0, Atomics.load(this.#ctl, LAYOUT.DEATH_LEN)));
    return `worker thread ${who} (of ${this.threads}) died ${when}: ${why}`;
  }

  #fail(what: string): never {
    this.close(what);
    throw new Error(`wasm-mlp: ${what}`);
  }

  /**
   * A test hook: the supervisor terminates worker i, as if from outside; resolves once it has
   * marked the worker dead.
   */
  async testTerminate(i: number): Promise<void> {
    this.#supervisor?.postMessage({ terminate: i });
    for (let t = Date.now(); Atomics.load(this.#ctl, LAYOUT.DEAD + i) === 0;) {
      if (Date.now() - t > 10_000) throw new Error(`worker thread ${i} was not marked dead within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops and terminates the workers and their supervisor; later run() calls throw. */
  close(why = 'disposed'): void {
    if (this.#closed !== undefined) return;
    this.#closed = why;
    Atomics.store(this.#ctl, LAYOUT.STOP, 1);
    Atomics.add(this.#ctl, LAYOUT.GEN, 1);
    Atomics.notify(this.#ctl, LAYOUT.GEN);
    const sup = this.#supervisor!;
    this.#supervisor = undefined;
    sup.postMessage('close');
    this.terminated = sup.end?.() ?? Promise.resolve(sup.terminate()).then(() => undefined);
  }
}

/** Node (worker_threads) rather than a browser (Worker): the same test as modules.ts's isNode. */
export function isNodeHost(): boolean {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

/** The control block of a new pool (cleared, every part closed) and what its supervisor is given. */
function poolSetup(o: PoolOptions): SupervisorSetup {
  if (!Number.isInteger(o.threads) || o.threads < 2 || o.threads > MAX_POOL_THREADS) {
    throw new Error(`wasm-mlp internal: a pool needs 2 to ${MAX_POOL_THREADS} threads, got ${o.threads}`);
  }
  const ctl = new Int32Array(o.memory.buffer, o.control, LAYOUT.WORDS);
  ctl.fill(0);
  ctl.fill(-1, LAYOUT.OWNER); // every part closed
  const inits: WorkerInit[] = [];
  for (let i = 1; i < o.threads; i++) {
    inits.push({ module: o.module, memory: o.memory, index: i, ctl: o.control, cmd: o.commands, scratch: o.scratch[i], layout: LAYOUT });
  }
  return { memory: o.memory, ctl: o.control, layout: LAYOUT, inits, heapMb: Pool.testHeapMb };
}

type Started = { supervisor: Supervisor; started: Promise<void> };

/** Node's Worker class, once a pool has started (Pool.startNow starts one with it synchronously). */
let NodeWorker: typeof import('node:worker_threads').Worker | undefined;

async function nodeSupervisor(setup: SupervisorSetup, importNode: typeof ImportNode): Promise<Started> {
  await loadNodeWorker(importNode);
  return nodeSupervisorNow(setup);
}

async function loadNodeWorker(importNode: typeof ImportNode): Promise<void> {
  NodeWorker ??= (await importNode<typeof import('node:worker_threads')>('worker_threads')).Worker;
}

function nodeSupervisorNow(setup: SupervisorSetup): Started {
  const Worker = NodeWorker;
  if (Worker === undefined) throw new Error('wasm-mlp internal: Pool.startNow before any Pool.start');
  const sup = new Worker(nodeSupervisorBoot(), { eval: true, workerData: setup });
  // what the supervisor has to say after the start goes through the control block, not as events
  sup.on('error', () => {});
  const started = new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown) => settle(m === 'ready' ? undefined : new Error((m as { error: string }).error));
    const onError = (e: Error) => settle(new Error(`the thread supervisor failed (${e.message})`));
    const onExit = (code: number) => settle(new Error(`the thread supervisor exited with code ${code}`));
    const settle = (e: Error | undefined) => {
      sup.off('message', onMessage).off('error', onError).off('exit', onExit);
      // a pool never keeps a Node process alive: the caller waits for workers through shared
      // memory, not through the event loop, so a script ends when its own work does (and the
      // supervisor with it; unref'd only now, as a 'message' listener would ref it again)
      sup.unref();
      if (e) reject(e);
      else resolve();
    };
    sup.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
  let exited = false;
  sup.once('exit', () => { exited = true; });
  // (the timer keeps the event loop, and so the process, up until the supervisor has ended: a few ms)
  const end = (): Promise<void> => (exited ? Promise.resolve() : new Promise<void>((resolve) => {
    const timer = setTimeout(() => void sup.terminate(), END_MS);
    sup.once('exit', () => { clearTimeout(timer); resolve(); });
  }));
  return { supervisor: { postMessage: (m) => sup.postMessage(m), terminate: () => sup.terminate(), end }, started };
}

function browserSupervisor(setup: SupervisorSetup): Started {
  const url = URL.createObjectURL(new Blob([browserSupervisorBoot()], { type: 'text/javascript' }));
  const sup = new Worker(url);
  const started = new Promise<void>((resolve, reject) => {
    sup.onmessage = (e: MessageEvent) => {
      sup.onmessage = null;
      URL.revokeObjectURL(url);
      if (e.data === 'ready') resolve();
      else reject(new Error((e.data as { error: string }).error));
    };
    sup.onerror = (e: ErrorEvent) => reject(new Error(`the thread supervisor failed (${e.message || 'an error'})`));
  });
  sup.postMessage(setup);
  return { supervisor: sup, started };
}
