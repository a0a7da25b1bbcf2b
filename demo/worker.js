// The playground's trainer, a module Web Worker: it owns the data and the network, trains in
// chunks while playing, and posts a frame (boundary grid + metrics) about 20 times a second.
//
// main → worker: { type: 'setup', config }   new data + network (Reset)
//                { type: 'play' } / { type: 'pause' } / { type: 'step' }   (step = one iteration)
//                { type: 'learningRate', value }   takes effect on the next iteration
//                { type: 'backend', value }   moves the parameters to a network on that backend
// worker → main: { type: 'data', ... } after setup, { type: 'frame', ... }, { type: 'error', message }
import { Network, datasets, matrix, accuracy, trainTestSplit } from '../dist/browser/wasm-mlp.js';

/** side of the decision-boundary grid, in cells */
const GRID = 96;
/** a frame every FRAME_MS while playing (~20 per second) */
const FRAME_MS = 50;
/** each train() call aims at this long, so pause/step/switch messages get through quickly */
const CHUNK_MS = 8;

let net = null;
let config = null;
let train = null; // { X, Y }
let test = null;
let grid = null; // (2 × GRID²) matrix of the cell centres
let view = null; // { x0, x1, y0, y1 }
let playing = false;
let steps = 0;
let chunk = 16;
let loopTimer = 0;
let rate = { steps: 0, time: 0, value: 0 };
let generation = 0; // bumps on every setup, so a stale async switch is dropped

/** a square view around all the points, 10 % margin, and the grid of its cell centres */
function makeView(X) {
  const m = X.cols;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let j = 0; j < m; j++) {
    const x = X.data[j], y = X.data[m + j];
    x0 = Math.min(x0, x); x1 = Math.max(x1, x);
    y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const half = (Math.max(x1 - x0, y1 - y0) / 2) * 1.1 || 1;
  const v = { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
  const G = matrix(2, GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const j = r * GRID + c; // row 0 is the top of the picture (largest y)
      G.data[j] = v.x0 + ((c + 0.5) / GRID) * (v.x1 - v.x0);
      G.data[GRID * GRID + j] = v.y1 - ((r + 0.5) / GRID) * (v.y1 - v.y0);
    }
  }
  return [v, G];
}

async function createNet(cfg, backend) {
  const hidden = Array.from({ length: cfg.layers }, () => cfg.units);
  const n = await Network.create({
    layers: [2, ...hidden, 1],
    activations: [...hidden.map(() => cfg.activation), 'sigmoid'],
    backend,
    seed: cfg.seed,
  });
  return n;
}

async function setup(cfg) {
  const gen = ++generation;
  stop();
  const gen0 = datasets[cfg.dataset];
  if (!gen0) throw new Error(`unknown data set ${JSON.stringify(cfg.dataset)}`);
  const m = cfg.points % 2 === 0 ? cfg.points : cfg.points + 1; // the flower needs an even m
  const { X, Y } = gen0({ m, seed: cfg.seed, noise: cfg.noise });
  const fresh = await createNet(cfg, cfg.backend);
  if (gen !== generation) return fresh.dispose();
  fresh.init({ scheme: cfg.init, seed: cfg.seed });
  net?.dispose();
  net = fresh;
  config = { ...cfg };
  ({ train, test } = trainTestSplit(X, Y, { test: (100 - cfg.trainPercent) / 100, seed: cfg.seed }));
  [view, grid] = makeView(X);
  steps = 0;
  chunk = 16;
  rate = { steps: 0, time: performance.now(), value: 0 };
  postMessage({
    type: 'data',
    backend: net.backend,
    view,
    train: { X: train.X.data, Y: train.Y.data },
    test: { X: test.X.data, Y: test.Y.data },
  });
  postFrame();
}

/** cost and accuracy of the current parameters on a set (one forward pass) */
function evaluate(set) {
  const A = net.forward(set.X);
  const cost = net.cost(set.Y);
  const pred = matrix(1, A.cols);
  for (let j = 0; j < A.cols; j++) pred.data[j] = A.data[j] > 0.5 ? 1 : 0;
  return { cost, accuracy: accuracy(pred, set.Y) };
}

function postFrame() {
  const now = performance.now();
  if (now - rate.time >= 250) {
    rate.value = ((steps - rate.steps) * 1000) / (now - rate.time);
    rate = { steps, time: now, value: rate.value };
  }
  const tr = evaluate(train);
  const te = test.X.cols > 0 ? evaluate(test) : { cost: NaN, accuracy: NaN };
  const boundary = net.predictProba(grid).data; // a fresh copy: transferable
  postMessage(
    {
      type: 'frame',
      steps,
      playing,
      backend: net.backend,
      stepsPerSecond: playing ? rate.value : 0,
      trainCost: tr.cost,
      testCost: te.cost,
      trainAccuracy: tr.accuracy,
      testAccuracy: te.accuracy,
      grid: GRID,
      boundary,
    },
    [boundary.buffer],
  );
}

/** one train() call of `n` iterations; false (and pauses) when the cost stops being finite */
function runIterations(n) {
  const { costs } = net.train(train.X, train.Y, { iterations: n, learningRate: config.learningRate });
  steps += costs.length;
  if (!Number.isFinite(costs[costs.length - 1])) {
    playing = false;
    postMessage({ type: 'diverged', steps });
    return false;
  }
  return true;
}

function loop() {
  loopTimer = 0;
  if (!playing || !net) return;
  try {
    const t0 = performance.now();
    while (performance.now() - t0 < FRAME_MS) {
      const c0 = performance.now();
      if (!runIterations(chunk)) break;
      const took = Math.max(performance.now() - c0, 0.05);
      chunk = Math.max(1, Math.min(20000, Math.round(chunk * Math.min(4, CHUNK_MS / took))));
    }
    postFrame();
  } catch (err) {
    stop();
    postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  if (playing) loopTimer = setTimeout(loop, 0); // lets queued messages run between frames
}

function stop() {
  playing = false;
  if (loopTimer) clearTimeout(loopTimer);
  loopTimer = 0;
}

/** moves the parameters to a network on `backend`; training goes on from the same point */
async function switchBackend(backend) {
  if (!net || backend === net.backend) return;
  const gen = generation;
  const wasPlaying = playing;
  stop();
  const params = net.getParams();
  const other = await createNet(config, backend);
  if (gen !== generation) return other.dispose();
  other.setParams(params);
  net.dispose();
  net = other;
  config.backend = backend;
  rate = { steps, time: performance.now(), value: 0 };
  playing = wasPlaying;
  postFrame();
  if (playing) loop();
}

const handlers = {
  setup: (msg) => setup(msg.config),
  play() {
    if (!net || playing) return;
    playing = true;
    rate = { steps, time: performance.now(), value: rate.value };
    loop();
  },
  pause() {
    stop();
    if (net) postFrame();
  },
  step() {
    stop();
    if (!net) return;
    runIterations(1);
    postFrame();
  },
  learningRate(msg) {
    if (config) config.learningRate = msg.value;
  },
  backend: (msg) => switchBackend(msg.value),
};

// messages run one at a time, in order, even when a handler awaits
let queue = Promise.resolve();
self.onmessage = (e) => {
  const msg = e.data;
  queue = queue
    .then(() => handlers[msg.type]?.(msg))
    .catch((err) => {
      stop();
      postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    });
};
