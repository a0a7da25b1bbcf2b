// The playground's trainer, a module Web Worker. It owns the network: it turns the page's raw
// points into input features, trains with one long Network.trainAsync() run at a time (so the
// optimizer's moments, the shuffling and the decay schedule go on across steps), and posts a
// frame about 20 times a second while playing: the figures, the output over the plane, every
// neuron's small map and the weights.
//
// main → worker: setup { setup, training, data } (a new network: Reset), data { data } (new
//   points; the network stays when its shape does), training { training } (optimizer, learning
//   rate, decay, batch size, L2, dropout: live), play, pause, step (one epoch), backend { value },
//   threads { value }, focus { focus } ({ layer, unit } shown in the big view, or null),
//   download { format }, load { name, text }
// worker → main: frame, diverged { step, learningRate, cost }, model { format, files },
//   loaded { hidden, activations }, error { message }
import { Network, matrix } from '../dist/browser/wasm-mlp.js';
import { usedFeatures, parseDecay } from './settings.js';

/**
 * The model exporters, where the library has them: methods of the network (net.toONNX(),
 * net.toTFJS()), or the functions of its export entry (wasm-mlp/export, built as
 * dist/browser/export.js beside the bundle; it imports the same bundle, so it sees the same
 * Network). The entry is an optional file: without it the import fails and the buttons stay hidden.
 */
const exportEntry = import('../dist/browser/export.js').then((m) => m, () => null);
let exporters = null;
function exporterFor(format) {
  const method = format === 'onnx' ? 'toONNX' : 'toTFJS';
  if (typeof net?.[method] === 'function') return () => net[method]();
  if (typeof exporters?.[method] === 'function') return () => exporters[method](net);
  return null;
}

/** cells per side of the output grid (2-D), points of the output curve (1-D) */
const GRID = { 2: 72, 1: 240 };
/** the same for each neuron's small map */
const MAP_GRID = { 2: 24, 1: 60 };
/** a frame at most every FRAME_MS while playing */
const FRAME_MS = 50;
/** one trainAsync() run covers at most this many steps (its per-step cost array stays small) */
const MAX_RUN_STEPS = 1 << 17;

let net = null;
let setup = null; // { features, hidden, activations, init, seed, backend, threads }
let training = null; // { optimizer, learningRate, decay, batch, l2, dropout }
let data = null; // raw points from the page: { classes, dims, train, test, view, targetScale }
let inputs = null; // { used, train, test, grid, mapGrid } as feature matrices
let threadsSupported = false;
let steps = 0; // parameter updates since the last reset
let epochs = 0; // completed epochs (the decay schedule counts these)
let runSteps = 0; // steps and epochs of the current run so far (from its onProgress)
let runEpochs = 0;
let runIndex = 0;
let playing = false;
let run = null; // the current run's promise (settles after its clean-up)
let abort = null;
let diverged = false;
let focus = null;
let frameTimer = 0;
let rate = { steps: 0, time: 0, value: 0 };

const outputs = () => (data.classes > 2 ? data.classes : 1);
const outputActivation = () => (data.classes === 0 ? 'linear' : data.classes === 2 ? 'sigmoid' : 'softmax');
const liveSteps = () => steps + runSteps;
const liveEpochs = () => epochs + runEpochs;

// ---- inputs: features of the points and of the grids -----------------------------------------

/** (features × m) from raw points (dims × m). */
function featureMatrix(used, X, m, dims) {
  const F = matrix(used.length, m);
  for (let j = 0; j < m; j++) {
    const a = X[j], b = dims === 2 ? X[m + j] : 0;
    for (let i = 0; i < used.length; i++) F.data[i * m + j] = used[i].f(a, b);
  }
  return F;
}

/** Raw points of an n-per-side grid over the view (row 0 at the top); n points along x for 1-D. */
function gridPoints(view, n, dims) {
  if (dims === 1) return { X: Float32Array.from({ length: n }, (_, c) => view.x0 + ((c + 0.5) / n) * (view.x1 - view.x0)), m: n };
  const X = new Float32Array(2 * n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      X[r * n + c] = view.x0 + ((c + 0.5) / n) * (view.x1 - view.x0);
      X[n * n + r * n + c] = view.y1 - ((r + 0.5) / n) * (view.y1 - view.y0);
    }
  }
  return { X, m: n * n };
}

function makeInputs() {
  const used = usedFeatures(setup.features, data.dims);
  const set = (s) => ({ X: featureMatrix(used, s.X, s.m, data.dims), Y: { rows: 1, cols: s.m, data: s.Y }, m: s.m });
  const g = gridPoints(data.view, GRID[data.dims], data.dims);
  const mg = gridPoints(data.view, MAP_GRID[data.dims], data.dims);
  inputs = {
    used,
    train: set(data.train),
    test: set(data.test),
    grid: featureMatrix(used, g.X, g.m, data.dims),
    mapGrid: featureMatrix(used, mg.X, mg.m, data.dims),
  };
}

// ---- the network ---------------------------------------------------------------------------

async function createNet(backend) {
  const options = {
    layers: [inputs.used.length, ...setup.hidden, outputs()],
    activations: [...setup.activations, outputActivation()],
    backend,
    seed: setup.seed,
  };
  if (threadsSupported && setup.threads !== 'auto') options.threads = setup.threads;
  let fresh = await Network.create(options);
  // a library with threads says how many a network runs on (net.threads); then the setting applies
  if (!threadsSupported && 'threads' in fresh) {
    threadsSupported = true;
    if (setup.threads !== 'auto') {
      fresh.dispose();
      fresh = await Network.create({ ...options, threads: setup.threads });
    }
  }
  return fresh;
}

/** stops the current run and waits until it has settled; returns whether it was playing */
async function idle() {
  const was = playing;
  playing = false;
  clearTimeout(frameTimer);
  frameTimer = 0;
  abort?.abort();
  while (run) await run;
  return was;
}

function resume(was) {
  if (was && !diverged) play();
}

async function reset(msg) {
  await idle();
  setup = msg.setup;
  training = msg.training;
  data = msg.data;
  makeInputs();
  const fresh = await createNet(setup.backend);
  fresh.init({ scheme: setup.init, seed: setup.seed });
  net?.dispose();
  net = fresh;
  steps = 0;
  epochs = 0;
  runIndex = 0;
  diverged = false;
  rate = { steps: 0, time: performance.now(), value: 0 };
  postFrame();
}

/** new points: the network stays if the inputs and outputs keep their size, else a reset */
async function replaceData(msg) {
  const was = await idle();
  const same = net && msg.data.classes === data.classes && msg.data.dims === data.dims;
  data = msg.data;
  makeInputs();
  if (!same) return reset({ setup, training, data });
  postFrame();
  resume(was);
}

// ---- training ------------------------------------------------------------------------------

/** full batch, or the batch size (at most the training examples) */
function batchSize() {
  const m = inputs.train.m;
  return training.batch === 'full' || training.batch >= m ? m : training.batch;
}

/** the learning rate of epoch e under the decay schedule */
function learningRateAt(e) {
  const d = parseDecay(training.decay);
  const f = !d ? 1 : d.type === 'step' ? d.factor ** Math.floor(e / d.every) : d.rate ** e;
  return Math.max(training.learningRate * f, 1e-30);
}

/**
 * The next run's learning rate, decay and length, so that the schedule continues exactly from
 * the epoch reached: an exponential decay restarts from lr·rateᵉ; a step decay runs to its next
 * step without decay, then whole periods with it.
 */
function runPlan() {
  const d = parseDecay(training.decay);
  const perEpoch = Math.ceil(inputs.train.m / batchSize());
  const most = Math.max(1, Math.floor(MAX_RUN_STEPS / perEpoch));
  const learningRate = learningRateAt(epochs);
  if (!d) return { learningRate, epochs: most };
  if (d.type === 'exponential') return { learningRate, decay: d, epochs: most };
  const into = epochs % d.every;
  return into ? { learningRate, epochs: Math.min(most, d.every - into) } : { learningRate, decay: d, epochs: most };
}

function trainOptions(plan) {
  const o = {
    epochs: plan.epochs,
    learningRate: plan.learningRate,
    optimizer: training.optimizer,
    // every run draws other shuffles and dropout masks, the same ones after every reset
    seed: setup.seed + 7919 * runIndex++,
  };
  const b = batchSize();
  if (b < inputs.train.m) o.batchSize = b;
  if (plan.decay) o.decay = plan.decay;
  if (training.l2 > 0) o.l2 = training.l2;
  if (training.dropout > 0 && setup.hidden.length > 0) o.dropout = training.dropout;
  return o;
}

function trainable() {
  if (inputs.train.m > 0) return true;
  postMessage({ type: 'note', message: 'there are no training points: add some by clicking on the output, or pick a data set' });
  return false;
}

/**
 * a thrown divergence ("the cost became NaN at step k", or "a parameter became infinite by step k")
 * stops training with the step and the rate; the network holds the parameters the library kept or
 * put back ("as they were after step s", or "before training")
 */
function failed(err, base) {
  const text = err instanceof Error ? err.message : String(err);
  const m = /the cost became (\S+) at step (\d+)|a parameter became (\S+) by step (\d+)/.exec(text);
  playing = false;
  if (!m) {
    postMessage({ type: 'error', message: text });
    return;
  }
  diverged = true;
  const step = base + Number(m[2] ?? m[4]);
  const kept = /as they were after step (\d+)/.exec(text);
  steps = base + (kept ? Number(kept[1]) : 0);
  // an infinite parameter makes the next loss infinite (or NaN) too
  const cost = m[1] ?? (m[3] === 'NaN' ? 'NaN' : 'Infinity');
  postMessage({ type: 'diverged', step, cost, learningRate: training.learningRate, decayedRate: learningRateAt(liveEpochs()) });
}

function play() {
  if (!net || playing || diverged || !trainable()) return;
  playing = true;
  rate = { steps: liveSteps(), time: performance.now(), value: rate.value };
  startRun();
  scheduleFrame();
}

function startRun() {
  if (!playing || run || diverged) return;
  const base = steps;
  const ac = new AbortController();
  const options = trainOptions(runPlan());
  // onProgress at about every 5 ms of steps: the step count stays live at little cost
  const perEpoch = Math.ceil(inputs.train.m / batchSize());
  options.progressEvery = Math.max(1, Math.min(1000, Math.floor((rate.value * 0.005) / perEpoch)));
  options.onProgress = (p) => {
    runSteps = p.iteration;
    runEpochs = p.epoch;
  };
  options.signal = ac.signal;
  abort = ac;
  runSteps = 0;
  runEpochs = 0;
  run = net.trainAsync(inputs.train.X, inputs.train.Y, options)
    .then((result) => {
      steps = base + result.iterations;
      epochs += result.epochs;
    }, (err) => {
      steps = base + runSteps;
      epochs += runEpochs;
      failed(err, base);
      postFrame();
    })
    .finally(() => {
      runSteps = 0;
      runEpochs = 0;
      run = null;
      abort = null;
      startRun(); // the next run, if still playing
    });
}

function scheduleFrame() {
  clearTimeout(frameTimer);
  frameTimer = setTimeout(() => {
    frameTimer = 0;
    if (!playing) return;
    postFrame();
    scheduleFrame();
  }, FRAME_MS);
}

async function step() {
  await idle();
  if (!net || diverged || !trainable()) return postFrame();
  const base = steps;
  try {
    const result = net.train(inputs.train.X, inputs.train.Y, trainOptions({ learningRate: learningRateAt(epochs), epochs: 1 }));
    steps += result.iterations;
    epochs += result.epochs;
  } catch (err) {
    failed(err, base);
  }
  postFrame();
}

// ---- what a frame shows ----------------------------------------------------------------------

const ACT = {
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  relu: (z) => (z > 0 ? z : 0),
  leakyRelu: (z) => (z >= 0 ? z : 0.01 * z),
  linear: (z) => z,
};

/**
 * Every layer's activations on the points of F (features × n), from the parameters: [A0 (the
 * features), A1, …, AL], each (n_l × n). For the small neuron maps and the big view of one neuron.
 */
function layerOutputs(params, acts, F) {
  const n = F.cols;
  const out = [F.data];
  let A = F.data;
  params.forEach(({ W, b }, l) => {
    const rows = W.rows, cols = W.cols;
    const Z = new Float32Array(rows * n);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < n; j++) {
        let z = b[i];
        for (let k = 0; k < cols; k++) z += W.data[i * cols + k] * A[k * n + j];
        Z[i * n + j] = z;
      }
    }
    const act = acts[l];
    if (act === 'softmax') {
      for (let j = 0; j < n; j++) {
        let mx = -Infinity, s = 0;
        for (let i = 0; i < rows; i++) mx = Math.max(mx, Z[i * n + j]);
        for (let i = 0; i < rows; i++) s += (Z[i * n + j] = Math.exp(Z[i * n + j] - mx));
        for (let i = 0; i < rows; i++) Z[i * n + j] /= s;
      }
    } else {
      const g = ACT[act];
      for (let i = 0; i < Z.length; i++) Z[i] = g(Z[i]);
    }
    out.push(Z);
    A = Z;
  });
  return out;
}

/** loss (without the L2 term), accuracy and, for classes, the confusion counts of a set */
function evaluate(set, withConfusion) {
  if (set.m === 0) return null;
  const A = net.forward(set.X);
  const loss = net.cost(set.Y);
  if (data.classes === 0) return { loss };
  const K = data.classes, m = set.m;
  const confusion = withConfusion ? new Array(K * K).fill(0) : null;
  let right = 0;
  for (let j = 0; j < m; j++) {
    let p = 0;
    if (K === 2) p = A.data[j] > 0.5 ? 1 : 0;
    else for (let i = 1; i < K; i++) if (A.data[i * m + j] > A.data[p * m + j]) p = i;
    const y = set.Y.data[j];
    if (p === y) right++;
    if (confusion) confusion[y * K + p]++;
  }
  return { loss, accuracy: right / m, confusion };
}

/** FNV-1a over the float32 bits: equal predictions over the grid ⇔ equal hashes (up to collisions) */
function hashFloats(a) {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) {
    h = Math.imul(h ^ (u[i] & 0xffff), 16777619);
    h = Math.imul(h ^ (u[i] >>> 16), 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function postFrame() {
  if (!net || diverged) return;
  const now = performance.now();
  if (now - rate.time >= 250) {
    rate = { steps: liveSteps(), time: now, value: ((liveSteps() - rate.steps) * 1000) / (now - rate.time) };
  }
  const train = evaluate(inputs.train, false);
  const test = evaluate(inputs.test, true);
  const output = net.predictProba(inputs.grid).data;
  const params = net.getParams();
  if (!output.every(Number.isFinite) || (train && !Number.isFinite(train.loss))) {
    // parameters no longer finite (a diverged step): keep the last good picture on the page
    failed(new Error(`the cost became ${train?.loss} at step 1`), liveSteps());
    return;
  }
  const acts = [...setup.activations, outputActivation()];
  const maps = layerOutputs(params, acts, inputs.mapGrid);
  let focusMap = null;
  if (focus && focus.layer <= params.length) {
    const all = focus.layer === 0 ? [inputs.grid.data] : layerOutputs(params.slice(0, focus.layer), acts, inputs.grid);
    const A = all[focus.layer];
    const n = inputs.grid.cols;
    if (focus.unit * n < A.length) focusMap = { ...focus, map: A.slice(focus.unit * n, (focus.unit + 1) * n) };
  }
  const transfer = [output.buffer, ...maps.slice(1).map((m) => m.buffer)];
  if (focusMap) transfer.push(focusMap.map.buffer);
  postMessage({
    type: 'frame',
    steps: liveSteps(),
    epochs: liveEpochs(),
    playing,
    diverged,
    backend: net.backend,
    threads: threadsSupported ? net.threads : null,
    notes: Array.isArray(net.notes) ? [...net.notes] : [],
    exports: { onnx: exporterFor('onnx') !== null, tfjs: exporterFor('tfjs') !== null },
    stepsPerSecond: playing ? rate.value : 0,
    learningRate: learningRateAt(liveEpochs()),
    batchSize: batchSize(),
    train,
    test,
    output,
    outputHash: hashFloats(output),
    features: inputs.used.map((f) => f.id),
    maps: [Float32Array.from(maps[0]), ...maps.slice(1)],
    mapGrid: MAP_GRID[data.dims],
    grid: GRID[data.dims],
    params: params.map(({ W, b }) => ({ W: W.data, rows: W.rows, cols: W.cols, b })),
    focus: focusMap,
  }, transfer);
}

// ---- the model file --------------------------------------------------------------------------

function download(format) {
  if (!net) return;
  let files;
  if (format === 'json') files = [{ name: 'model.json', type: 'application/json', body: JSON.stringify(net.toJSON()) }];
  else if (format === 'onnx') files = [{ name: 'model.onnx', type: 'application/octet-stream', body: exporterFor('onnx')() }];
  else if (format === 'tfjs') {
    // TF.js's files: model.json (the topology and the weights manifest) and weights.bin
    const t = exporterFor('tfjs')();
    const manifest = { modelTopology: t.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: t.weightSpecs }] };
    for (const key of ['format', 'generatedBy', 'convertedBy']) if (t[key] !== undefined) manifest[key] = t[key];
    files = [
      { name: 'model.json', type: 'application/json', body: JSON.stringify(manifest) },
      { name: 'weights.bin', type: 'application/octet-stream', body: t.weightData },
    ];
  } else throw new Error(`unknown model format ${JSON.stringify(format)}`);
  postMessage({ type: 'model', format, files });
}

/** A model file (Network.toJSON) in place of the network: its inputs and output must fit the data. */
async function load(msg) {
  const was = await idle();
  let fresh;
  try {
    fresh = await Network.fromJSON(msg.text, { backend: setup.backend });
  } catch (err) {
    postMessage({ type: 'error', message: `${msg.name}: ${err instanceof Error ? err.message : String(err)}` });
    return resume(was);
  }
  const L = fresh.layers.length - 1;
  const wantOut = outputActivation(), gotOut = fresh.activations[L - 1];
  const problem = fresh.layers[0] !== inputs.used.length
    ? `the model takes ${fresh.layers[0]} inputs; the page has ${inputs.used.length} input features on (${inputs.used.map((f) => f.label).join(', ')})`
    : gotOut !== wantOut || fresh.layers[L] !== outputs()
      ? `the model's output is ${gotOut} with ${fresh.layers[L]} unit(s); this data needs ${wantOut} with ${outputs()}`
      : fresh.layers.length - 2 > 6 || fresh.layers.slice(1, -1).some((n) => n > 16)
        ? `the model's hidden layers (${fresh.layers.slice(1, -1).join(', ')}) are larger than the page draws (up to 6 layers of 16)`
        : '';
  if (problem) {
    fresh.dispose();
    postMessage({ type: 'error', message: `${msg.name}: ${problem}` });
    return resume(was);
  }
  net?.dispose();
  net = fresh;
  setup = { ...setup, hidden: fresh.layers.slice(1, -1), activations: fresh.activations.slice(0, -1) };
  steps = 0;
  epochs = 0;
  runIndex = 0;
  diverged = false;
  postMessage({ type: 'loaded', name: msg.name, hidden: setup.hidden, activations: setup.activations });
  postFrame();
}

/** the same parameters on a network on the other backend (or thread count); training goes on */
async function rebuild(change) {
  const was = await idle();
  setup = { ...setup, ...change };
  if (net) {
    const params = net.getParams();
    const other = await createNet(setup.backend);
    other.setParams(params);
    net.dispose();
    net = other;
    rate = { steps: liveSteps(), time: performance.now(), value: 0 };
  }
  postFrame();
  resume(was);
}

const handlers = {
  async setup(msg) {
    exporters ??= await exportEntry;
    return reset(msg);
  },
  data: replaceData,
  training(msg) {
    training = msg.training;
    abort?.abort(); // the run ends at its next step and the next one starts with these settings
    if (!playing) postFrame();
  },
  play,
  async pause() {
    await idle();
    postFrame();
  },
  step,
  backend: (msg) => rebuild({ backend: msg.value }),
  threads: (msg) => rebuild({ threads: msg.value }),
  focus(msg) {
    focus = msg.focus;
    if (!playing) postFrame();
  },
  download: (msg) => download(msg.format),
  load,
};

// messages run one at a time, in order, even when a handler awaits
let queue = Promise.resolve();
self.onmessage = (e) => {
  const msg = e.data;
  queue = queue
    .then(() => handlers[msg.type]?.(msg))
    .catch((err) => {
      playing = false;
      postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    });
};
