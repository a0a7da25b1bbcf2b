// The playground page: settings ⇄ URL ⇄ controls, the data, the worker (worker.js trains), and
// the drawing, at most once per animation frame.

import { DEFAULT_NOISE, HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS, OPTIMIZER_DEFAULTS } from '../dist/browser/wasm-mlp.js';
import {
  DATA_SETS, DEFAULTS, FEATURES, POINTS, LEARNING_RATES, BATCH_SIZES, L2_VALUES, DROPOUT_VALUES, DECAYS,
  MAX_LAYERS, MAX_UNITS, MAX_THREADS, MAX_ADDED_IN_URL,
  dataSet, decayLabel, settingsFromQuery, queryFromSettings, normalize, taskOf, usedFeatures,
} from './settings.js';
import { buildData } from './data.js';
import { readLabelledCsv } from './csv-data.js';
import { Diagram } from './diagram.js';
import {
  context2d, mapColours, paintMap, paintCurve, paintAxes, paintPoints, paintChart, classColour, INK, TEST_COLOUR,
} from './draw.js';

const $ = (id) => document.getElementById(id);
const ui = {
  play: $('play'), step: $('step'), reset: $('reset'),
  steps: $('steps'), epochs: $('epochs'), stepsPerSecond: $('steps-per-second'), backendInUse: $('backend-in-use'),
  threadsField: $('threads-field'), threads: $('threads'),
  dataset: $('dataset'), task: $('task'), taskField: $('task-field'), noise: $('noise'), noiseValue: $('noise-value'),
  points: $('points'), generated: $('generated-fields'), splitField: $('split-field'),
  trainPercent: $('train-percent'), trainPercentValue: $('train-percent-value'), seed: $('seed'), regenerate: $('regenerate'),
  picker: $('class-picker'), valueField: $('value-field'), addValue: $('add-value'), clear: $('clear'), addHint: $('add-hint'),
  csvFile: $('csv-file'), summary: $('data-summary'),
  optimizer: $('optimizer'), learningRate: $('learning-rate'), decay: $('decay'), batch: $('batch'), l2: $('l2'),
  dropout: $('dropout'), init: $('init'),
  addLayer: $('add-layer'), removeLayer: $('remove-layer'), layersCount: $('layers-count'), shape: $('shape'), paramsCount: $('params-count'),
  boundary: $('boundary'), caption: $('view-caption'), showTest: $('show-test'), discretize: $('discretize'),
  trainLoss: $('train-loss'), testLoss: $('test-loss'), trainAccuracy: $('train-accuracy'), testAccuracy: $('test-accuracy'),
  accuracyRow: $('accuracy-row'), lossChart: $('loss-chart'), accuracyChart: $('accuracy-chart'),
  confusionBox: $('confusion-box'), confusion: $('confusion'), legend: $('legend'), status: $('status'),
  downloadJson: $('download-json'), downloadOnnx: $('download-onnx'), downloadTfjs: $('download-tfjs'), modelFile: $('model-file'),
};

// ---- state ---------------------------------------------------------------------------------

let s = settingsFromQuery(location.search);
let csv = null; // the loaded CSV file's data (not kept in the URL)
if (s.data === 'csv') {
  s = { ...s, data: DEFAULTS.data, noise: DEFAULT_NOISE[DEFAULTS.data] };
  queueMicrotask(() => say('a CSV file is not kept in the URL: drop it on the page again'));
}
let data = null; // from buildData
let frame = null; // the last frame from the worker
let curves = []; // [{ steps, trainLoss, testLoss, trainAccuracy, testAccuracy }]
let playing = false;
let cursor = null; // keyboard cursor on the output, in data coordinates
let focus = null; // the neuron shown in the big view
let ready = false;
let diverged = false; // until the next reset: Play does not resume a diverged network

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const post = (msg) => worker.postMessage(msg);

// ---- menus ---------------------------------------------------------------------------------

function fill(select, values, label = String, selected) {
  select.replaceChildren(...values.map((v) => new Option(label(v), String(v), false, String(v) === String(selected))));
}
/** a value from the URL that is not among the menu's choices gets its own entry */
function choose(select, value, label = String) {
  if (![...select.options].some((o) => o.value === String(value))) select.append(new Option(label(value), String(value)));
  select.value = String(value);
}

{
  const groups = new Map();
  for (const d of DATA_SETS) {
    if (!groups.has(d.group)) groups.set(d.group, document.createElement('optgroup'));
    groups.get(d.group).label = d.group;
    groups.get(d.group).append(new Option(d.label, d.id));
  }
  ui.dataset.replaceChildren(...groups.values());
  fill(ui.points, POINTS);
  fill(ui.optimizer, OPTIMIZERS, (o) => ({ sgd: 'SGD', momentum: 'momentum', rmsprop: 'RMSprop', adam: 'Adam' }[o] ?? o));
  fill(ui.learningRate, LEARNING_RATES);
  fill(ui.decay, DECAYS, decayLabel);
  fill(ui.batch, BATCH_SIZES, (b) => (b === 'full' ? 'full batch' : String(b)));
  fill(ui.l2, L2_VALUES);
  fill(ui.dropout, DROPOUT_VALUES);
  fill(ui.init, INIT_SCHEMES, (i) => ({ xavier: 'Xavier', he: 'He', random: 'randn·0.01 (course)' }[i] ?? i));
  const cores = Math.min(MAX_THREADS, navigator.hardwareConcurrency || 1);
  fill(ui.threads, ['auto', ...Array.from({ length: cores }, (_, i) => i + 1)]);
}

// ---- settings ⇄ URL ⇄ controls ---------------------------------------------------------------

function writeUrl() {
  const url = `${location.pathname}?${queryFromSettings(s)}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
}

/** every control shows the settings */
function showSettings() {
  const d = dataSet(s.data);
  ui.dataset.value = s.data;
  ui.task.value = s.task;
  ui.taskField.hidden = s.data !== 'custom';
  ui.generated.hidden = !d.gen;
  ui.splitField.hidden = s.data === 'custom';
  ui.noise.value = String(s.noise);
  ui.noiseValue.textContent = s.noise.toFixed(2);
  choose(ui.points, s.points);
  ui.trainPercent.value = String(s.trainPercent);
  ui.trainPercentValue.textContent = `${s.trainPercent} / ${100 - s.trainPercent}`;
  ui.seed.value = String(s.seed);
  ui.optimizer.value = s.optimizer;
  choose(ui.learningRate, s.learningRate);
  choose(ui.decay, s.decay, decayLabel);
  choose(ui.batch, s.batch);
  choose(ui.l2, s.l2);
  choose(ui.dropout, s.dropout);
  ui.init.value = s.init;
  $(`backend-${s.backend}`).checked = true;
  choose(ui.threads, s.threads);
  ui.showTest.checked = s.showTest;
  ui.discretize.checked = s.discretize;
  ui.discretize.disabled = taskOf(s, csv).dims === 1;
  ui.layersCount.textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? '' : 's'}`;
  ui.addLayer.disabled = s.hidden.length >= MAX_LAYERS;
  ui.removeLayer.disabled = s.hidden.length === 0;
}

function buildPicker() {
  const { classes } = taskOf(s, csv);
  ui.valueField.hidden = classes > 0 || taskOf(s, csv).dims === 1;
  const names = classNames();
  const old = Number(ui.picker.querySelector('input:checked')?.value ?? 0);
  ui.picker.replaceChildren(...Array.from({ length: classes }, (_, k) => {
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'add-class', value: String(k), id: `add-class-${k}`, checked: k === (old < classes ? old : 0) });
    const sw = Object.assign(document.createElement('span'), { className: 'swatch' });
    sw.style.background = classColour(k);
    label.append(input, sw, ` ${names[k]}`);
    return label;
  }));
  ui.addHint.firstChild.textContent = classes > 0
    ? 'Click on the output to add a training point of the class below; Shift-click adds the next class. '
    : taskOf(s, csv).dims === 1
      ? 'Click on the output to add a training point (x, y) where you click. '
      : 'Click on the output to add a training point with the value below; Shift-click adds its negative. ';
}

function classNames() {
  const { classes } = taskOf(s, csv);
  if (s.data === 'csv' && csv?.classNames) return csv.classNames;
  return Array.from({ length: classes }, (_, k) => `class ${k}`);
}

// ---- the data and the network ------------------------------------------------------------------

const diagram = new Diagram($('diagram'), {
  feature(id, on) {
    const next = on ? [...s.features, id] : s.features.filter((f) => f !== id);
    if (usedFeatures(next, taskOf(s, csv).dims).length === 0 || next.length === 0) {
      say('at least one input feature stays on');
      buildDiagram();
      return;
    }
    s.features = FEATURES.map((f) => f.id).filter((f) => next.includes(f));
    changed('network');
  },
  units(layer, delta) {
    s.hidden[layer] = Math.max(1, Math.min(MAX_UNITS, s.hidden[layer] + delta));
    changed('network');
  },
  activation(layer, act) {
    s.activations[layer] = act;
    changed('network');
  },
  focus(f) {
    focus = f;
    post({ type: 'focus', focus: f });
    requestDraw();
  },
});

function outputSpec() {
  const { classes } = taskOf(s, csv);
  if (classes === 0) return { units: 1, activation: 'linear', label: 'linear · squared error' };
  if (classes === 2) return { units: 1, activation: 'sigmoid', label: 'sigmoid · cross-entropy' };
  return { units: classes, activation: 'softmax', label: `softmax · cross-entropy` };
}

function buildDiagram() {
  const { dims } = taskOf(s, csv);
  diagram.build({
    features: FEATURES.map((f) => ({ id: f.id, label: f.label, on: s.features.includes(f.id), usable: f.dims <= dims })),
    hidden: s.hidden,
    activations: s.activations,
    activationChoices: HIDDEN_ACTIVATIONS,
    maxUnits: MAX_UNITS,
    output: outputSpec(),
    names: classNames(),
  });
  const used = usedFeatures(s.features, dims);
  const layers = [used.length, ...s.hidden, outputSpec().units];
  ui.shape.textContent = layers.join('-');
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l] * (layers[l - 1] + 1);
  ui.paramsCount.textContent = `${n} parameters`;
}

function networkSetup() {
  return { features: s.features, hidden: s.hidden, activations: s.activations, init: s.init, seed: s.seed, backend: s.backend, threads: s.threads };
}
function trainingSettings() {
  return { optimizer: s.optimizer, learningRate: s.learningRate, decay: s.decay, batch: s.batch, l2: s.l2, dropout: s.dropout };
}

function rebuildData() {
  data = buildData(s, csv);
  if (s.data === 'custom' && !s.view) s.view = data.view;
  const { classes } = data;
  const sizes = `${data.train.m} training${data.test.m ? `, ${data.test.m} test` : ''} points`;
  const added = s.added.length ? ` (${s.added.length} added by you)` : '';
  const what = s.data === 'csv' && csv ? `${csv.name}: ${csv.m} rows, ${classes ? `${classes} classes` : 'regression'}, standardized. ` : '';
  ui.summary.textContent = `${what}${sizes}${added}.`;
  ui.summary.dataset.trainPoints = String(data.train.m);
  ui.summary.dataset.testPoints = String(data.test.m);
  buildPicker();
  showLegend();
  // accuracy exists for classes only: its elements are absent for regression
  if (classes === 0) ui.accuracyRow.remove();
  else if (!ui.accuracyRow.isConnected) document.querySelector('#metrics tbody').append(ui.accuracyRow);
}

function transferable() {
  const copy = (set) => ({ X: set.X.slice(), Y: set.Y.slice(), m: set.m, dims: set.dims });
  return { ...data, train: copy(data.train), test: copy(data.test) };
}

/**
 * After a change: 'data' (new points: a reset), 'points' (clicked points: training goes on),
 * 'network' (layers, features, activations, init: a reset), 'training' (live), 'view' (drawing only).
 */
function changed(kind) {
  s = normalize(s);
  writeUrl();
  showSettings();
  if (kind === 'data' || kind === 'points') rebuildData();
  if (kind === 'data' || kind === 'network') {
    buildDiagram();
    curves = [];
    frame = null;
    diverged = false;
    post({ type: 'setup', setup: networkSetup(), training: trainingSettings(), data: transferable() });
    if (playing) post({ type: 'play' });
  } else if (kind === 'points') {
    post({ type: 'data', data: transferable() });
  } else if (kind === 'training') {
    post({ type: 'training', training: trainingSettings() });
  }
  requestDraw();
}

// ---- controls --------------------------------------------------------------------------------

function setPlaying(on) {
  playing = on;
  ui.play.textContent = on ? 'Pause' : 'Play';
  ui.play.dataset.state = on ? 'playing' : 'paused';
  ui.play.setAttribute('aria-pressed', String(on));
}

ui.play.addEventListener('click', () => {
  if (!playing && diverged) {
    say(ui.status.textContent || 'training diverged: lower the learning rate and press Reset', true);
    return;
  }
  setPlaying(!playing);
  post({ type: playing ? 'play' : 'pause' });
});
ui.step.addEventListener('click', () => {
  setPlaying(false);
  post({ type: 'step' });
});
ui.reset.addEventListener('click', () => {
  say('');
  changed('network');
});

ui.dataset.addEventListener('change', () => {
  const id = ui.dataset.value;
  if (id === 'csv' && !csv) {
    ui.dataset.value = s.data;
    ui.csvFile.click();
    return;
  }
  const d = dataSet(id);
  if (id === 'custom') {
    s = { ...s, data: 'custom', added: [], view: data?.view ?? null, task: taskFor(taskOf(s, csv)) };
  } else {
    s = { ...s, data: id, added: [], view: null, ...(d.gen ? { noise: DEFAULT_NOISE[d.gen] } : {}) };
  }
  say('');
  changed('data');
});
ui.task.addEventListener('change', () => {
  s.task = ui.task.value;
  s.added = [];
  changed('data');
});
ui.noise.addEventListener('input', () => { ui.noiseValue.textContent = Number(ui.noise.value).toFixed(2); });
ui.noise.addEventListener('change', () => { s.noise = Math.round(Number(ui.noise.value) * 100) / 100; changed('data'); });
ui.points.addEventListener('change', () => { s.points = Number(ui.points.value); changed('data'); });
ui.trainPercent.addEventListener('input', () => { ui.trainPercentValue.textContent = `${ui.trainPercent.value} / ${100 - ui.trainPercent.value}`; });
ui.trainPercent.addEventListener('change', () => { s.trainPercent = Number(ui.trainPercent.value); changed('data'); });
ui.seed.addEventListener('change', () => {
  const v = Number(ui.seed.value);
  if (Number.isInteger(v) && v >= 1 && v <= 99999) s.seed = v;
  changed('data');
});
ui.regenerate.addEventListener('click', () => { s.seed = (s.seed % 99999) + 1; changed('data'); });
ui.clear.addEventListener('click', () => {
  s = { ...s, data: 'custom', added: [], view: data?.view ?? null, task: taskFor(taskOf(s, csv)) };
  say('the data is cleared: click on the output to add points');
  changed('data');
});
/** the custom task closest to a data set's task */
function taskFor({ classes, dims }) {
  if (classes === 0) return dims === 1 ? 'reg1d' : 'reg2d';
  return `class${Math.min(4, classes)}`;
}

for (const [key, el] of [['optimizer', ui.optimizer], ['learningRate', ui.learningRate], ['decay', ui.decay], ['batch', ui.batch], ['l2', ui.l2], ['dropout', ui.dropout]]) {
  el.addEventListener('change', () => {
    const v = el.value;
    s[key] = key === 'optimizer' || key === 'decay' || (key === 'batch' && v === 'full') ? v : Number(v);
    if (key === 'optimizer') {
      // each optimizer starts from its usual learning rate
      s.learningRate = OPTIMIZER_DEFAULTS[v].learningRate;
    }
    changed('training');
  });
}
ui.init.addEventListener('change', () => { s.init = ui.init.value; changed('network'); });
ui.addLayer.addEventListener('click', () => {
  s.hidden = [...s.hidden, s.hidden[s.hidden.length - 1] ?? 4];
  s.activations = [...s.activations, s.activations[s.activations.length - 1] ?? 'tanh'];
  changed('network');
});
ui.removeLayer.addEventListener('click', () => {
  s.hidden = s.hidden.slice(0, -1);
  s.activations = s.activations.slice(0, -1);
  changed('network');
});
for (const radio of document.querySelectorAll('input[name=backend]')) {
  radio.addEventListener('change', () => {
    s.backend = radio.value;
    writeUrl();
    post({ type: 'backend', value: s.backend });
  });
}
ui.threads.addEventListener('change', () => {
  s.threads = ui.threads.value === 'auto' ? 'auto' : Number(ui.threads.value);
  writeUrl();
  post({ type: 'threads', value: s.threads });
});
ui.showTest.addEventListener('change', () => { s.showTest = ui.showTest.checked; changed('view'); });
ui.discretize.addEventListener('change', () => { s.discretize = ui.discretize.checked; changed('view'); });

// ---- adding points -------------------------------------------------------------------------

const round = (v, d) => Number(v.toFixed(d));

function addPoint(x, y, other) {
  const { classes, dims } = taskOf(s, csv);
  let point;
  if (classes > 0) {
    const picked = Number(ui.picker.querySelector('input:checked')?.value ?? 0);
    point = [round(x, 3), round(y, 3), other ? (picked + 1) % classes : picked];
  } else if (dims === 1) point = [round(x, 3), 0, round(y, 3)];
  else {
    const v = Number(ui.addValue.value);
    point = [round(x, 3), round(y, 3), round((Number.isFinite(v) ? v : 1) * (other ? -1 : 1), 2)];
  }
  s.added = [...s.added, point];
  if (s.added.length === MAX_ADDED_IN_URL + 1) say(`more than ${MAX_ADDED_IN_URL} added points: the URL no longer keeps them`);
  changed('points');
}

function toData(px, py) {
  const r = ui.boundary.getBoundingClientRect();
  const v = data.view;
  return [v.x0 + ((px - r.left) / r.width) * (v.x1 - v.x0), v.y1 - ((py - r.top) / r.height) * (v.y1 - v.y0)];
}

ui.boundary.addEventListener('click', (e) => {
  if (!data) return;
  const [x, y] = toData(e.clientX, e.clientY);
  addPoint(x, y, e.shiftKey);
});
ui.boundary.addEventListener('keydown', (e) => {
  if (!data) return;
  const v = data.view;
  const step = (v.x1 - v.x0) / 40;
  cursor ??= [(v.x0 + v.x1) / 2, (v.y0 + v.y1) / 2];
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (moves[e.key]) {
    e.preventDefault();
    cursor = [Math.max(v.x0, Math.min(v.x1, cursor[0] + moves[e.key][0])), Math.max(v.y0, Math.min(v.y1, cursor[1] + moves[e.key][1]))];
    requestDraw();
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    addPoint(cursor[0], cursor[1], e.shiftKey);
  }
});
ui.boundary.addEventListener('focus', () => requestDraw());
ui.boundary.addEventListener('blur', () => requestDraw());

// ---- files: CSV data and model files -----------------------------------------------------------

async function openFile(file) {
  const text = await file.text();
  if (/\.json$/i.test(file.name) || file.type === 'application/json') {
    setPlaying(false);
    post({ type: 'load', name: file.name, text });
    return;
  }
  const result = readLabelledCsv(file.name, text);
  if (!result.ok) {
    say(result.message, true);
    return;
  }
  csv = result.data;
  s = { ...s, data: 'csv', added: [], view: null };
  say(`loaded ${csv.name}: ${csv.m} rows, columns ${csv.columns.join(', ')}`);
  changed('data');
}

ui.csvFile.addEventListener('change', () => {
  const f = ui.csvFile.files?.[0];
  if (f) openFile(f);
  ui.csvFile.value = '';
});
ui.modelFile.addEventListener('change', () => {
  const f = ui.modelFile.files?.[0];
  if (f) {
    setPlaying(false);
    f.text().then((text) => post({ type: 'load', name: f.name, text }));
  }
  ui.modelFile.value = '';
});
document.addEventListener('dragover', (e) => {
  if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
  e.preventDefault();
  document.body.classList.add('dropping');
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) document.body.classList.remove('dropping');
});
document.addEventListener('drop', (e) => {
  const f = e.dataTransfer?.files?.[0];
  document.body.classList.remove('dropping');
  if (!f) return;
  e.preventDefault();
  openFile(f);
});

ui.downloadJson.addEventListener('click', () => post({ type: 'download', format: 'json' }));
ui.downloadOnnx.addEventListener('click', () => post({ type: 'download', format: 'onnx' }));
ui.downloadTfjs.addEventListener('click', () => post({ type: 'download', format: 'tfjs' }));

function saveFiles(files) {
  for (const f of files) {
    const url = URL.createObjectURL(new Blob([f.body], { type: f.type }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `wasm-mlp-${s.data}-${f.name}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

// ---- messages from the worker ----------------------------------------------------------------

function say(message, isError = false) {
  ui.status.textContent = message;
  ui.status.className = isError ? 'error' : '';
}

worker.onerror = (e) => {
  e.preventDefault();
  const message = `the training worker failed: ${e.message || 'it could not load (see the network panel)'}`;
  console.error(`playground: ${message}`);
  say(message, true);
};
worker.onmessage = ({ data: msg }) => {
  if (msg.type === 'frame') {
    if (!ready) {
      ready = true;
      for (const b of [ui.play, ui.step, ui.reset]) b.disabled = false;
    }
    if (msg.backend !== s.backend && frame?.backend !== msg.backend) {
      say(`backend '${s.backend}' is not available here; running on '${msg.backend}'`);
    }
    frame = msg;
    record(msg);
    requestDraw();
  } else if (msg.type === 'diverged') {
    setPlaying(false);
    diverged = true;
    // the figures stop at the last step that finished; the pictures stay those of the last good frame
    if (frame) frame = { ...frame, steps: msg.step - 1, playing: false, stepsPerSecond: 0, learningRate: msg.decayedRate };
    requestDraw();
    const decayed = msg.decayedRate !== msg.learningRate ? ` (decayed to ${Number(msg.decayedRate.toPrecision(3))})` : '';
    say(`Training diverged at step ${msg.step.toLocaleString('en-US')}: the loss became ${msg.cost} with learning rate ${msg.learningRate}${decayed}. ` +
      'Lower the learning rate and press Reset.', true);
    ui.status.dataset.divergedStep = String(msg.step);
  } else if (msg.type === 'error') {
    setPlaying(false);
    say(msg.message, true);
  } else if (msg.type === 'note') {
    setPlaying(false);
    say(msg.message);
  } else if (msg.type === 'model') {
    saveFiles(msg.files);
  } else if (msg.type === 'loaded') {
    s.hidden = msg.hidden;
    s.activations = msg.activations;
    s = normalize(s);
    writeUrl();
    showSettings();
    buildDiagram();
    curves = [];
    say(`loaded the model ${msg.name}: layers ${ui.shape.textContent}`);
  }
};

function record(f) {
  const last = curves[curves.length - 1];
  if (last && f.steps < last.steps) curves = [];
  if (last && f.steps === last.steps) return;
  curves.push({
    steps: f.steps,
    trainLoss: f.train?.loss, testLoss: f.test?.loss, trainAccuracy: f.train?.accuracy, testAccuracy: f.test?.accuracy,
  });
  if (curves.length > 600) curves = curves.filter((_, i) => i % 2 === 0 || i === curves.length - 1);
}

// ---- drawing: once per animation frame -------------------------------------------------------

let queued = false;
function requestDraw() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    draw();
  });
}
window.addEventListener('resize', () => {
  diagram.dirty = true;
  requestDraw();
});

const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
const fixed = (v) => (Number.isFinite(v) ? v.toFixed(4) : '–');
function put(el, value, text) {
  el.dataset.value = value === undefined || value === null ? '' : String(value);
  el.textContent = text;
}

function draw() {
  showFigures();
  drawBoundary();
  drawCharts();
  showConfusion();
  if (frame && frame.maps && data) {
    diagram.update(frame, { dims: data.dims, featureLabels: usedFeatures(s.features, data.dims).map((f) => f.label), targetScale: data.targetScale });
  }
}

function showFigures() {
  const f = frame;
  const classes = data?.classes ?? 0;
  if (!f) return;
  put(ui.steps, f.steps, f.steps.toLocaleString('en-US'));
  put(ui.epochs, f.epochs, f.epochs.toLocaleString('en-US'));
  put(ui.stepsPerSecond, f.stepsPerSecond, f.playing ? Math.round(f.stepsPerSecond).toLocaleString('en-US') : '–');
  ui.backendInUse.textContent = f.threads ? `${f.backend}, ${f.threads} thread${f.threads === 1 ? '' : 's'}` : f.backend;
  ui.backendInUse.dataset.backend = f.backend;
  put(ui.trainLoss, f.train?.loss, fixed(f.train?.loss));
  put(ui.testLoss, f.test?.loss, fixed(f.test?.loss));
  if (classes > 0) {
    put(ui.trainAccuracy, f.train?.accuracy, pct(f.train?.accuracy));
    put(ui.testAccuracy, f.test?.accuracy, pct(f.test?.accuracy));
  }
  ui.threadsField.hidden = f.threads === null;
  // why the network runs on fewer threads than asked (the library's notes), if it says
  ui.threadsField.title = f.notes.join(' ');
  ui.downloadOnnx.hidden = !f.exports.onnx;
  ui.downloadTfjs.hidden = !f.exports.tfjs;
  ui.learningRate.dataset.inUse = String(f.learningRate);
  ui.batch.dataset.inUse = String(f.batchSize);
  const note = $('batch-note');
  note.hidden = s.batch === 'full' || f.batchSize >= s.batch;
  note.textContent = note.hidden ? '' : `batch size ${s.batch} is more than the ${f.batchSize} training points: full batch`;
  ui.boundary.dataset.outputHash = f.outputHash;
}

function drawBoundary() {
  const { ctx, w, h } = context2d(ui.boundary);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  if (!data) return;
  const { dims, classes, view, targetScale } = data;
  const f = frame;
  const shown = f?.focus && focus && f.focus.layer === focus.layer && f.focus.unit === focus.unit ? f.focus : null;
  const label = shown ? diagramLabel(shown) : "the network's output";
  ui.caption.textContent = shown ? `showing ${label}` : label;
  ui.caption.dataset.showing = shown ? `${shown.layer}:${shown.unit}` : 'output';
  if (f && dims === 2) {
    const n = f.grid;
    let img;
    if (shown) img = mapColours(shown.map, n * n, shown.layer === 0 ? 'scaled' : kindOf(shown.layer), { discretize: s.discretize });
    else if (classes > 2) img = mapColours(f.output, n * n, 'classes', { K: classes, discretize: s.discretize });
    else if (classes === 2) img = mapColours(f.output, n * n, 'probability', { discretize: s.discretize });
    else img = mapColours(f.output, n * n, 'signed', { scale: targetScale, discretize: s.discretize });
    paintMap(ctx, img, n, 0, 0, w, h);
  }
  paintAxes(ctx, view, w, h);
  const opts = { view, dims, classes, targetScale, w, h };
  paintPoints(ctx, data.train, { ...opts, test: false });
  if (s.showTest) paintPoints(ctx, data.test, { ...opts, test: true });
  if (f && dims === 1) {
    const v = shown ? shown.map : f.output;
    const [lo, hi] = shown ? [Math.min(...v), Math.max(...v)] : [view.y0, view.y1];
    paintCurve(ctx, v, lo, hi, w, h, shown ? '#0877bd' : INK, 2.5);
  }
  if (cursor && document.activeElement === ui.boundary) {
    const cx = ((cursor[0] - view.x0) / (view.x1 - view.x0)) * w, cy = ((view.y1 - cursor[1]) / (view.y1 - view.y0)) * h;
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(cx - 9, cy); ctx.lineTo(cx + 9, cy); ctx.moveTo(cx, cy - 9); ctx.lineTo(cx, cy + 9);
    ctx.stroke();
  }
}

function kindOf(layer) {
  const act = layer <= s.hidden.length ? s.activations[layer - 1] : outputSpec().activation;
  return act === 'tanh' ? 'signed' : act === 'sigmoid' ? 'probability' : act === 'softmax' ? 'probability' : 'scaled';
}
function diagramLabel({ layer, unit }) {
  if (layer === 0) return `input ${usedFeatures(s.features, data.dims)[unit]?.label ?? unit + 1}`;
  if (layer > s.hidden.length) return outputSpec().units > 1 ? `output ${unit + 1} (P(${classNames()[unit]}))` : 'the output neuron';
  return `hidden layer ${layer}, unit ${unit + 1}`;
}

function drawCharts() {
  const classes = data?.classes ?? 0;
  const series = (key) => curves.map((p) => [p.steps, p[key]]);
  const hasTest = (data?.test.m ?? 0) > 0;
  paintChart(ui.lossChart, [
    { values: series('trainLoss'), colour: INK, label: 'train' },
    ...(hasTest ? [{ values: series('testLoss'), colour: TEST_COLOUR, label: 'test' }] : []),
  ], { title: 'loss', format: (v) => v.toFixed(v < 0.1 ? 3 : 2), xLabel: 'steps' });
  ui.accuracyChart.hidden = classes === 0;
  if (classes > 0) {
    paintChart(ui.accuracyChart, [
      { values: series('trainAccuracy'), colour: INK, label: 'train' },
      ...(hasTest ? [{ values: series('testAccuracy'), colour: TEST_COLOUR, label: 'test' }] : []),
    ], { title: 'accuracy', top: 1, format: (v) => `${Math.round(v * 100)}%`, xLabel: 'steps' });
  }
}

function showConfusion() {
  const c = frame?.test?.confusion;
  const classes = data?.classes ?? 0;
  ui.confusionBox.hidden = classes === 0;
  if (!c || classes === 0) {
    ui.confusion.replaceChildren();
    return;
  }
  const names = classNames();
  const head = document.createElement('tr');
  head.append(Object.assign(document.createElement('th'), { textContent: 'actual ↓ predicted →', scope: 'col', className: 'corner' }));
  for (let p = 0; p < classes; p++) head.append(Object.assign(document.createElement('th'), { textContent: names[p], scope: 'col' }));
  const rows = [head];
  for (let a = 0; a < classes; a++) {
    const tr = document.createElement('tr');
    const th = Object.assign(document.createElement('th'), { textContent: names[a], scope: 'row' });
    th.style.borderLeft = `4px solid ${classColour(a)}`;
    tr.append(th);
    let total = 0;
    for (let p = 0; p < classes; p++) total += c[a * classes + p];
    for (let p = 0; p < classes; p++) {
      const n = c[a * classes + p];
      const td = Object.assign(document.createElement('td'), { textContent: String(n) });
      td.dataset.actual = String(a);
      td.dataset.predicted = String(p);
      const share = total ? n / total : 0;
      td.style.background = a === p ? `rgba(8,119,189,${0.08 + 0.5 * share})` : n ? `rgba(214,39,40,${0.08 + 0.5 * share})` : '';
      tr.append(td);
    }
    rows.push(tr);
  }
  ui.confusion.replaceChildren(...rows);
}

function showLegend() {
  const { classes, dims } = data;
  const dot = (cls, text) => `<span class="dot ${cls}"></span> ${text}`;
  const parts = [];
  if (classes > 0) classNames().forEach((n, k) => parts.push(`<span class="swatch" style="background:${classColour(k)}"></span> ${escapeHtml(n)}`));
  else if (dims === 2) parts.push(`<span class="swatch neg"></span> −${data.targetScale.toPrecision(2)} … <span class="swatch pos"></span> +${data.targetScale.toPrecision(2)}`);
  else parts.push('<span class="line"></span> the network');
  parts.push(dot('train', 'train'), dot('test', 'test'));
  ui.legend.innerHTML = parts.join(' &nbsp; ');
}
const escapeHtml = (t) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

// ---- start -----------------------------------------------------------------------------------

setPlaying(false);
changed('data');
