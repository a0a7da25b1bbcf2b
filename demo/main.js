// The playground page: form ⇄ URL ⇄ worker, and the drawing. Training itself runs in worker.js.

import {
  BACKENDS, DATASET_NAMES as DATASETS, DEFAULT_NOISE, HIDDEN_ACTIVATIONS as ACTIVATIONS, INIT_SCHEMES as INITS,
} from '../dist/browser/wasm-mlp.js';
// DEFAULT_NOISE: the generators' own noise; picking a data set starts from it
const LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.6, 1, 1.2, 3, 10];
const POINTS = [200, 400, 800];

const DEFAULTS = {
  dataset: 'flower', noise: 0.2, points: 400, trainPercent: 80, seed: 1,
  layers: 1, units: 4, activation: 'tanh', init: 'xavier', learningRate: 1.2, backend: 'wasm',
};
/** URL parameter of each setting, and how a value is read back (undefined = not valid) */
const FIELDS = {
  dataset: ['data', (v) => (DATASETS.includes(v) ? v : undefined)],
  noise: ['noise', (v) => { const n = num(v, 0, 1.5); return n === undefined ? n : Math.round(n * 20) / 20; }],
  points: ['points', (v) => (POINTS.includes(Number(v)) ? Number(v) : undefined)],
  trainPercent: ['train', (v) => int(v, 10, 90)],
  seed: ['seed', (v) => int(v, 1, 99999)],
  layers: ['layers', (v) => int(v, 0, 6)],
  units: ['units', (v) => int(v, 1, 64)],
  activation: ['act', (v) => (ACTIVATIONS.includes(v) ? v : undefined)],
  init: ['init', (v) => (INITS.includes(v) ? v : undefined)],
  learningRate: ['lr', (v) => (LEARNING_RATES.includes(Number(v)) ? Number(v) : undefined)],
  backend: ['backend', (v) => (BACKENDS.includes(v) ? v : undefined)],
};
function num(v, lo, hi) {
  const n = Number(v);
  return v !== '' && v !== null && Number.isFinite(n) && n >= lo && n <= hi ? n : undefined;
}
function int(v, lo, hi) {
  const n = num(v, lo, hi);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

const $ = (id) => document.getElementById(id);
const ui = {
  play: $('play'), step: $('step'), reset: $('reset'),
  steps: $('steps'), stepsPerSecond: $('steps-per-second'), backendInUse: $('backend-in-use'),
  trainAccuracy: $('train-accuracy'), testAccuracy: $('test-accuracy'),
  trainCost: $('train-cost'), testCost: $('test-cost'),
  boundary: $('boundary'), costs: $('costs'), status: $('status'), shape: $('shape'),
  noiseValue: $('noise-value'), trainPercentValue: $('train-percent-value'),
};
const inputs = {
  dataset: $('dataset'), noise: $('noise'), points: $('points'), trainPercent: $('train-percent'), seed: $('seed'),
  layers: $('layers'), units: $('units'), activation: $('activation'), init: $('init'), learningRate: $('learning-rate'),
};

// ---- settings: URL ⇄ config ⇄ form ---------------------------------------------------------

/** the settings in the address bar; anything missing or invalid takes its default */
function configFromUrl() {
  const q = new URLSearchParams(location.search || location.hash.slice(1));
  const cfg = { ...DEFAULTS };
  for (const [key, [param, parse]] of Object.entries(FIELDS)) {
    if (!q.has(param)) {
      if (key === 'noise' && q.has('data')) cfg.noise = DEFAULT_NOISE[cfg.dataset];
      continue;
    }
    const v = parse(q.get(param));
    if (v !== undefined) cfg[key] = v;
    else console.warn(`playground: ignoring ${param}=${q.get(param)} in the URL (not a valid value)`);
  }
  return cfg;
}

function writeUrl(cfg) {
  const q = new URLSearchParams();
  for (const [key, [param]] of Object.entries(FIELDS)) q.set(param, String(cfg[key]));
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

function showConfig(cfg) {
  for (const [key, el] of Object.entries(inputs)) el.value = String(cfg[key]);
  $(`backend-${cfg.backend}`).checked = true;
  showLabels(cfg);
}

function showLabels(cfg) {
  ui.noiseValue.textContent = cfg.noise.toFixed(2);
  ui.trainPercentValue.textContent = `${cfg.trainPercent} / ${100 - cfg.trainPercent}`;
  ui.shape.textContent = [2, ...Array.from({ length: cfg.layers }, () => cfg.units), 1].join('-');
}

/** the form's current settings, each clamped to its range */
function configFromForm() {
  const cfg = { ...config };
  for (const [key, el] of Object.entries(inputs)) {
    const v = FIELDS[key][1](el.value);
    cfg[key] = v ?? config[key];
  }
  cfg.backend = document.querySelector('input[name=backend]:checked')?.value ?? config.backend;
  return cfg;
}

// ---- the worker ----------------------------------------------------------------------------

let config = configFromUrl();
let playing = false;
let data = null; // { view, train, test } from the worker
let costHistory = []; // [{ steps, train, test }]
let lastSteps = -1;
let frame = null;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onerror = (e) => {
  e.preventDefault();
  fail(`the training worker failed: ${e.message || 'it could not load (see the network panel)'}`);
};
worker.onmessage = ({ data: msg }) => {
  if (msg.type === 'data') {
    data = msg;
    costHistory = [];
    lastSteps = -1;
    for (const b of [ui.play, ui.step, ui.reset]) b.disabled = false;
    // without WebAssembly SIMD the library runs 'wasm' on the js kernels (and warns once)
    if (msg.backend !== config.backend) note(`backend '${config.backend}' is not available here; running on '${msg.backend}'`);
  } else if (msg.type === 'frame') {
    frame = msg;
    showFrame(msg);
  } else if (msg.type === 'diverged') {
    setPlaying(false);
    note(`the cost is no longer finite after ${msg.steps} steps: lower the learning rate and press Reset`, true);
  } else if (msg.type === 'error') {
    setPlaying(false);
    fail(msg.message);
  }
};

function fail(message) {
  console.error(`playground: ${message}`);
  note(message, true);
}
function note(message, isError = false) {
  ui.status.textContent = message;
  ui.status.className = isError ? '' : 'info';
}

function setup() {
  writeUrl(config);
  showLabels(config);
  note('');
  worker.postMessage({ type: 'setup', config });
  if (playing) worker.postMessage({ type: 'play' });
}

function setPlaying(on) {
  playing = on;
  ui.play.textContent = on ? 'Pause' : 'Play';
  ui.play.dataset.state = on ? 'playing' : 'paused';
}

ui.play.addEventListener('click', () => {
  setPlaying(!playing);
  worker.postMessage({ type: playing ? 'play' : 'pause' });
});
ui.step.addEventListener('click', () => {
  setPlaying(false);
  worker.postMessage({ type: 'step' });
});
ui.reset.addEventListener('click', () => setup());

for (const [key, el] of Object.entries(inputs)) {
  const live = key === 'noise' || key === 'trainPercent'; // sliders: label follows while dragging
  if (live) el.addEventListener('input', () => showLabels(configFromForm()));
  el.addEventListener('change', () => {
    const next = configFromForm();
    if (key === 'dataset') next.noise = DEFAULT_NOISE[next.dataset];
    config = next;
    if (key === 'learningRate') {
      // takes effect on the next step; the network and its progress stay
      writeUrl(config);
      worker.postMessage({ type: 'learningRate', value: config.learningRate });
    } else {
      showConfig(config);
      setup();
    }
  });
}
for (const radio of document.querySelectorAll('input[name=backend]')) {
  radio.addEventListener('change', () => {
    config = configFromForm();
    writeUrl(config);
    worker.postMessage({ type: 'backend', value: config.backend });
  });
}

// ---- drawing -------------------------------------------------------------------------------

const C0 = [245, 147, 34];
const C1 = [8, 119, 189];

/** a canvas whose backing store matches the device pixels; draws in CSS pixels */
function context2d(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width;
  const h = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(w * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

const cells = document.createElement('canvas');

function drawBoundary(f) {
  const { ctx, w, h } = context2d(ui.boundary);
  const n = f.grid;
  cells.width = n;
  cells.height = n;
  const cctx = cells.getContext('2d');
  const img = cctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const p = f.boundary[i];
    const c = p >= 0.5 ? C1 : C0;
    const t = Math.min(1, Math.abs(p - 0.5) * 2) * 0.72; // never fully saturated: the points stay visible
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = Math.round(255 + (c[k] - 255) * t);
    img.data[4 * i + 3] = 255;
  }
  cctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(cells, 0, 0, w, h);
  if (!data) return;
  const { view } = data;
  const px = (x) => ((x - view.x0) / (view.x1 - view.x0)) * w;
  const py = (y) => ((view.y1 - y) / (view.y1 - view.y0)) * h;
  const points = (set, stroke, width) => {
    const m = set.Y.length;
    for (let j = 0; j < m; j++) {
      const c = set.Y[j] > 0.5 ? C1 : C0;
      ctx.beginPath();
      ctx.arc(px(set.X[j]), py(set.X[m + j]), 3.6, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${c})`;
      ctx.fill();
      ctx.lineWidth = width;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  };
  points(data.train, '#ffffff', 1);
  points(data.test, '#1f2328', 1.4);
}

function drawCosts() {
  const { ctx, w, h } = context2d(ui.costs);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 10, t: 22, b: 26 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const last = costHistory.length ? costHistory[costHistory.length - 1].steps : 0;
  let top = 0;
  for (const p of costHistory) top = Math.max(top, Number.isFinite(p.train) ? p.train : 0, Number.isFinite(p.test) ? p.test : 0);
  top = top > 0 ? top * 1.05 : 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#5f6b76';
  ctx.strokeStyle = '#d8dee4';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + ph - (ph * i) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.l, y);
    ctx.lineTo(pad.l + pw, y);
    ctx.stroke();
    ctx.fillText(((top * i) / 4).toFixed(top < 0.1 ? 3 : 2), pad.l - 6, y);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText('cost', 2, 12);
  ctx.textAlign = 'right';
  ctx.fillText(`${last.toLocaleString('en-US')} steps`, pad.l + pw, h - 6);
  ctx.textAlign = 'left';
  ctx.fillText('0', pad.l, h - 6);
  const line = (key, color) => {
    ctx.beginPath();
    let started = false;
    for (const p of costHistory) {
      if (!Number.isFinite(p[key])) continue;
      const x = pad.l + (last > 0 ? (p.steps / last) * pw : 0);
      const y = pad.t + ph - (Math.min(p[key], top) / top) * ph;
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.stroke();
  };
  line('test', '#8250df');
  line('train', '#1f2328');
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.fillStyle = '#1f2328';
  ctx.fillText('— train', pad.l + pw - 52, 12);
  ctx.fillStyle = '#8250df';
  ctx.fillText('— test', pad.l + pw, 12);
}

const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
const fixed = (v) => (Number.isFinite(v) ? v.toFixed(4) : '–');

function put(el, value, text) {
  el.dataset.value = String(value);
  el.textContent = text;
}

function showFrame(f) {
  put(ui.steps, f.steps, f.steps.toLocaleString('en-US'));
  put(ui.stepsPerSecond, f.stepsPerSecond, f.playing ? Math.round(f.stepsPerSecond).toLocaleString('en-US') : '–');
  ui.backendInUse.textContent = f.backend;
  put(ui.trainAccuracy, f.trainAccuracy, pct(f.trainAccuracy));
  put(ui.testAccuracy, f.testAccuracy, pct(f.testAccuracy));
  put(ui.trainCost, f.trainCost, fixed(f.trainCost));
  put(ui.testCost, f.testCost, fixed(f.testCost));
  if (f.steps !== lastSteps) {
    if (f.steps < lastSteps) costHistory = [];
    costHistory.push({ steps: f.steps, train: f.trainCost, test: f.testCost });
    if (costHistory.length > 800) costHistory = costHistory.filter((_, i) => i % 2 === 0 || i === costHistory.length - 1);
    lastSteps = f.steps;
  }
  requestDraw();
}

let drawQueued = false;
function requestDraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    if (frame) drawBoundary(frame);
    drawCosts();
  });
}

window.addEventListener('resize', requestDraw);

showConfig(config);
setPlaying(false);
setup();
