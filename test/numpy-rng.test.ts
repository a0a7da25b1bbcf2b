/**
 * rng: 'numpy' — numpy's legacy stream and the course reproduced exactly.
 *
 * Every expected value below was computed with numpy 1.24.2 (Debian's python3-numpy, glibc 2.36)
 * by the python command written above it; the test needs no numpy at run time.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Network, datasets, DATASET_NAMES, type Matrix, type NetworkOptions } from '../src/index.js';
import { createNumpyRng } from '../src/util/numpy-rng.js';
import { logRounded } from '../src/util/log-exact.js';

const BACKENDS = ['wasm', 'js'] as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** sha256 of a Float32Array's bytes in little-endian order (numpy's '<f4'), whatever the host order */
function sha256f32(a: Float32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return createHash('sha256').update(bytes).digest('hex');
}

describe("numpy's legacy generator", () => {
  // python: for s in [0, 1, 2, 42, 2**32-1]:
  //   np.random.seed(s); print(s, [repr(float(x)) for x in np.random.random_sample(5)])
  //   np.random.seed(s); print(s, [repr(float(x)) for x in np.random.randn(5)])
  //   np.random.seed(s); print(s, [int(x) for x in np.random.randint(0, 2**32, size=3, dtype=np.uint64)])
  const REF: Record<number, { u: number[]; g: number[]; u32: number[] }> = {
    0: {
      u: [0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969, 0.4236547993389047],
      g: [1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458, 1.8675579901499675],
      u32: [2357136044, 2546248239, 3071714933],
    },
    1: {
      u: [0.417022004702574, 0.7203244934421581, 0.00011437481734488664, 0.30233257263183977, 0.14675589081711304],
      g: [1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705, 0.8654076293246785],
      u32: [1791095845, 4282876139, 3093770124],
    },
    2: {
      u: [0.43599490214200376, 0.025926231827891333, 0.5496624778787091, 0.4353223926182769, 0.42036780208748903],
      g: [-0.4167578474054706, -0.056266827226329474, -2.136196095668454, 1.6402708084049886, -1.7934355851948631],
      u32: [1872583848, 794921487, 111352301],
    },
    42: {
      u: [0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652],
      g: [0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254, -0.23415337472333597],
      u32: [1608637542, 3421126067, 4083286876],
    },
    [2 ** 32 - 1]: {
      u: [0.0976320289940138, 0.9123828453026218, 0.78903530185164, 0.7800035981134678, 0.01793967398674523],
      g: [0.6484086742306527, 0.6693235306338161, -1.0805437227474493, 0.2845010447986309, 0.11388773652167104],
      u32: [419326371, 479346978, 3918654476],
    },
  };

  for (const [seed, ref] of Object.entries(REF)) {
    it(`seed ${seed}: the first 32-bit words, random_sample and randn are numpy's, bit for bit`, () => {
      // exact equality: every step is integer arithmetic or one correctly rounded double operation
      let rng = createNumpyRng(Number(seed));
      expect([rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual(ref.u32);
      rng = createNumpyRng(Number(seed));
      ref.u.forEach((v, i) => expect(rng.uniform(), `random_sample[${i}]`).toBe(v));
      rng = createNumpyRng(Number(seed));
      ref.g.forEach((v, i) => expect(rng.normal(), `randn[${i}]`).toBe(v));
    });
  }

  it('is MT19937: the 10000th output for seed 5489 is 4123659995', () => {
    // the check value of std::mt19937 in the C++ standard ([rand.predef]); also
    // python: np.random.seed(5489); int(np.random.randint(0, 2**32, size=10000, dtype=np.uint64)[-1])
    const rng = createNumpyRng(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = rng.nextU32();
    expect(v).toBe(4123659995);
  });

  it("keeps the polar method's second value across other draws, like numpy's gauss cache", () => {
    // python: np.random.seed(3); a = np.random.randn(1); b = np.random.random_sample(1);
    //         c = np.random.randn(1); d = np.random.randn(1)   → c is the pair's second value
    // python: np.random.seed(3); np.random.randn(2) → [1.7886284734303186, 0.43650985051198943]
    const rng = createNumpyRng(3);
    expect(rng.normal()).toBe(1.7886284734303186);
    expect(rng.uniform()).toBe(0.2909047389129443);
    expect(rng.normal()).toBe(0.43650985051198943);
    expect(rng.normal()).toBe(0.9805538702908831);
  });

  it("needs a correctly rounded log: draws 122 and 123 for seed 0 (where Math.log is one ulp off) are numpy's", () => {
    // python: np.random.seed(0); [repr(float(v)) for v in np.random.randn(124)[120:124]]
    const rng = createNumpyRng(0);
    const g = Array.from({ length: 124 }, () => rng.normal());
    expect(g.slice(120)).toEqual([0.37642553115562943, -1.0994007905841945, 0.298238174206056, 1.3263858966870303]);
  });

  it('logRounded is the correctly rounded natural logarithm', () => {
    // python: from decimal import Decimal, getcontext; getcontext().prec = 60; float(Decimal(x).ln())
    // (the first three are inputs where glibc's log, and so numpy's randn, is one ulp off: see README)
    const CASES: [number, number][] = [
      [0.8983774131025271, -0.10716501712225035],
      [0.628366954746784, -0.4646309603188614],
      [0.9245193184468341, -0.07848133227069923],
      [0.5, -0.6931471805599453],
      [1e-300, -690.7755278982137],
      [0.999999999, -9.999999722180686e-10],
      [1.0000001, 9.999999505838704e-8],
      [123456.789, 11.723646487185881],
      [5e-324, -744.4400719213812],
      [1.7976931348623157e308, 709.782712893384],
      [0.7071067811865476, -0.3465735902799726],
      [1.4142135623730951, 0.3465735902799727],
    ];
    for (const [x, ln] of CASES) expect(logRounded(x), `log(${x})`).toBe(ln);
    expect(logRounded(1)).toBe(0);
    expect(logRounded(0)).toBe(-Infinity);
    expect(logRounded(Infinity)).toBe(Infinity);
    expect(logRounded(-1)).toBeNaN();
    expect(logRounded(NaN)).toBeNaN();
  });
});

describe("the course's data and initialisation with rng: 'numpy'", () => {
  // python (the course's load_planar_dataset):
  //   np.random.seed(1); m = 400; N = int(m/2); X = np.zeros((m, 2)); Y = np.zeros((m, 1), dtype='uint8'); a = 4
  //   for j in range(2):
  //       ix = range(N*j, N*(j+1))
  //       t = np.linspace(j*3.12, (j+1)*3.12, N) + np.random.randn(N)*0.2
  //       r = a*np.sin(4*t) + np.random.randn(N)*0.2
  //       X[ix] = np.c_[r*np.sin(t), r*np.cos(t)]; Y[ix] = j
  //   X = X.T; Y = Y.T
  //   for j in [0, 1, 199, 200, 398, 399]: print(j, repr(float(X[0, j])), repr(float(X[1, j])), int(Y[0, j]))
  //   print(hashlib.sha256(X.astype('<f4').tobytes()).hexdigest(), hashlib.sha256(Y.astype('<f4').tobytes()).hexdigest())
  const POINTS: [number, number, number, number][] = [
    [0, 1.2044422922543192, 3.576114148128845, 0],
    [1, 0.15870990398255375, -1.4821709003683443, 0],
    [199, -0.5858464101358457, -3.091259938950624, 0],
    [200, -1.0704958072229525, 3.682524609580073, 1],
    [398, 0.3243868928570292, -2.116324663250664, 1],
    [399, 0.7307808250007515, 3.0683292081876554, 1],
  ];
  const X_SHA = '7526e3135d08c926d8dd817fd0f58ddcbd047768a816401a45e6e93a97967307';
  const Y_SHA = 'b215f85a84d87bd602cc7d5fbac31d45a471bded748e3d6e381768e77f59ece1';

  it("datasets.flower({ seed: 1, rng: 'numpy' }) is the notebook's X and Y rounded to float32", () => {
    // Exact after float32 rounding, not in float64: numpy's vectorised sin and V8's Math.sin differ
    // in the last bit or two of some float64 values (measured: 564 of the 800 float64 values differ,
    // by at most 2.9·2⁻⁵² relative), far below float32's 2⁻²⁴, so every float32 value is identical.
    const { X, Y } = datasets.flower({ seed: 1, rng: 'numpy' });
    expect([X.rows, X.cols, Y.rows, Y.cols]).toEqual([2, 400, 1, 400]);
    for (const [j, x, y, label] of POINTS) {
      expect(X.data[j], `x of point ${j}`).toBe(Math.fround(x));
      expect(X.data[400 + j], `y of point ${j}`).toBe(Math.fround(y));
      expect(Y.data[j], `label of point ${j}`).toBe(label);
    }
    // all 800 values and 400 labels at once
    expect(sha256f32(X.data as Float32Array)).toBe(X_SHA);
    expect(sha256f32(Y.data as Float32Array)).toBe(Y_SHA);
  });

  it('the default stream gives a different flower (the option is what reproduces the course)', () => {
    expect(sha256f32(datasets.flower({ seed: 1 }).X.data as Float32Array)).not.toBe(X_SHA);
    expect(sha256f32(datasets.flower({ seed: 1, rng: 'default' }).X.data as Float32Array))
      .toBe(sha256f32(datasets.flower({ seed: 1 }).X.data as Float32Array));
  });

  // python: np.random.seed(2); W1 = np.random.randn(4, 2) * 0.01; W2 = np.random.randn(1, 4) * 0.01
  //         print([repr(float(v)) for v in W1.ravel()], [repr(float(v)) for v in W2.ravel()])
  const W1 = [-0.004167578474054706, -0.0005626682722632948, -0.02136196095668454, 0.016402708084049887,
    -0.017934355851948632, -0.00841747365656204, 0.005028814171580428, -0.012452880866072316];
  const W2 = [-0.010579522188623389, -0.009090076149268494, 0.005514540445464244, 0.022922080128149575];

  it.each(BACKENDS)("Network.create({ seed: 2, rng: 'numpy' }) starts from the notebook's W1, W2 (backend %s)", async (backend) => {
    const net = await Network.create({ layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2, rng: 'numpy', backend });
    expect(net.rng).toBe('numpy');
    const [l1, l2] = net.getParams();
    // W = randn·0.01 in float64, then stored as float32: exactly Math.fround of numpy's value
    expect(Array.from(l1.W.data)).toEqual(W1.map(Math.fround));
    expect(Array.from(l2.W.data)).toEqual(W2.map(Math.fround));
    expect([l1.W.rows, l1.W.cols, l2.W.rows, l2.W.cols]).toEqual([4, 2, 1, 4]);
    expect([...l1.b, ...l2.b]).toEqual([0, 0, 0, 0, 0]);
    // init() again restarts np.random.seed(2): the same parameters
    net.init({ scale: 0.5 }).init();
    expect(Array.from(net.getParams()[0].W.data)).toEqual(W1.map(Math.fround));
    // init({ seed }) reseeds the numpy stream: seed 2 by hand is the same
    net.init({ seed: 2 });
    expect(Array.from(net.getParams()[1].W.data)).toEqual(W2.map(Math.fround));
    net.dispose();
  });

  it('the default rng is unchanged and gives other parameters', async () => {
    const a = await Network.create({ layers: [2, 4, 1], seed: 2, backend: 'js' });
    const b = await Network.create({ layers: [2, 4, 1], seed: 2, backend: 'js', rng: 'default' });
    expect(a.rng).toBe('default');
    expect(Array.from(a.getParams()[0].W.data)).toEqual(Array.from(b.getParams()[0].W.data));
    expect(Array.from(a.getParams()[0].W.data)).not.toEqual(W1.map(Math.fround));
    a.dispose();
    b.dispose();
  });

  it("the course's first cost, 0.693048, on both backends", async () => {
    const { X, Y } = datasets.flower({ seed: 1, rng: 'numpy' });
    for (const backend of BACKENDS) {
      const net = await Network.create({ layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2, rng: 'numpy', backend });
      net.forward(X);
      // the notebook prints "Cost after iteration 0: 0.693048"; float32 changes it by ~1e-7
      expect(net.cost(Y).toFixed(6), backend).toBe('0.693048');
      net.dispose();
    }
  });

  it.each(DATASET_NAMES)("datasets.%s accepts rng: 'numpy' (deterministic, a stream of its own)", (name) => {
    const gen = datasets[name] as (o?: object) => { X: Matrix; Y: Matrix };
    const a = gen({ m: 60, seed: 7, rng: 'numpy' });
    const b = gen({ m: 60, seed: 7, rng: 'numpy' });
    const d = gen({ m: 60, seed: 7 });
    expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
    expect(Array.from(a.Y.data)).toEqual(Array.from(b.Y.data));
    expect(Array.from(a.X.data)).not.toEqual(Array.from(d.X.data));
    expect(Array.from(a.X.data).every(Number.isFinite)).toBe(true);
    // numpy's seed range: 0 … 2³² − 1
    expect(Array.from(gen({ m: 60, seed: 2 ** 32 - 1, rng: 'numpy' }).X.data).every(Number.isFinite)).toBe(true);
  });
});

describe("bad rng options: a clear error naming the function, the argument, what was expected and what was given", () => {
  const base: NetworkOptions = { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 3 };
  const RNG_MSG = "rng must be 'default' or 'numpy'";
  const SEED_MSG = "seed must be an integer from 0 to 4294967295 with rng 'numpy' (the range of np.random.seed)";
  const CASES: [string, Record<string, unknown>, string][] = [
    ['rng: "NumPy"', { rng: 'NumPy' }, `${RNG_MSG}; got "NumPy"`],
    ['rng: "mt19937"', { rng: 'mt19937' }, `${RNG_MSG}; got "mt19937"`],
    ['rng: null', { rng: null }, `${RNG_MSG}; got null`],
    ['rng: 1', { rng: 1 }, `${RNG_MSG}; got 1`],
    ['rng: true', { rng: true }, `${RNG_MSG}; got true (boolean)`],
    ['rng: {}', { rng: {} }, `${RNG_MSG}; got an empty object`],
    ["seed −1 with rng 'numpy'", { rng: 'numpy', seed: -1 }, `${SEED_MSG}; got -1`],
    ["seed 2³² with rng 'numpy'", { rng: 'numpy', seed: 2 ** 32 }, `${SEED_MSG}; got 4294967296`],
  ];

  for (const backend of BACKENDS) {
    it.each(CASES)(`Network.create with %s (backend ${backend})`, async (_, extra, msg) => {
      await expect(Network.create({ ...base, backend, ...extra } as Loose)).rejects.toThrow(`Network.create: ${msg}`);
    });
  }

  it.each(CASES)('datasets.flower and datasets.xor with %s', (_, extra, msg) => {
    expect(() => datasets.flower(extra as Loose)).toThrow(`datasets.flower: ${msg}`);
    expect(() => datasets.xor(extra as Loose)).toThrow(`datasets.xor: ${msg}`);
  });

  it.each(BACKENDS)("init({ seed }) out of numpy's range throws and leaves the parameters bit-identical (backend %s)", async (backend) => {
    const net = await Network.create({ ...base, rng: 'numpy', backend });
    const before = net.getParams().map((p) => [Array.from(p.W.data), Array.from(p.b)]);
    for (const seed of [-1, 2 ** 32, 2 ** 40]) {
      expect(() => net.init({ seed })).toThrow(`Network.init: ${SEED_MSG}; got ${seed}`);
    }
    expect(net.getParams().map((p) => [Array.from(p.W.data), Array.from(p.b)])).toEqual(before);
    net.dispose();
  });

  it("the default rng still takes any safe integer seed", async () => {
    const net = await Network.create({ ...base, seed: -5, backend: 'js' });
    expect(() => net.init({ seed: 2 ** 40 })).not.toThrow();
    expect(() => datasets.flower({ seed: -1 })).not.toThrow();
    net.dispose();
  });
});

describe('npm start -- --rng numpy: the course reproduced', () => {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const CLI = path.join('dist', 'cli.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, CLI))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  it.each(BACKENDS)('prints cost 0.693048 at iteration 0 and ends at an accuracy of at least 90 per cent (backend %s)', (backend) => {
    // the full default run: flower seed 1, network seed 2, tanh 4 hidden, α = 1.2, 10 000 iterations
    const r = run('--rng', 'numpy', '--no-plot', '--quiet', '--backend', backend);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend \w+, learning rate 1\.2, 10000 iterations, seed 2 \(numpy rng\)$/m);
    expect(r.stdout).toMatch(/^iteration\s+0\s+cost 0\.693048$/m);
    // the notebook's cost after iteration 1000 is 0.288083; float32 training agrees to ~1e-6 this early
    expect(r.stdout).toMatch(/^iteration\s+1000\s+cost 0\.28808\d$/m);
    const acc = Number(/^accuracy: (\d+\.\d+)%$/m.exec(r.stdout)?.[1]);
    expect(acc).toBeGreaterThanOrEqual(90); // the course: "Accuracy: 90%"
  });

  it('rejects a bad --rng and a seed outside numpy range', () => {
    let r = run('--rng', 'mt', '--no-plot');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--rng must be one of default, numpy; got 'mt'/);
    r = run('--rng', 'numpy', '--seed=-1', '--no-plot');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Network\.create: seed must be an integer from 0 to 4294967295/);
  });
});
