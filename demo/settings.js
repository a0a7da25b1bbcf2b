// The playground's settings: what each one may be, its default, and its place in the URL query.
// The page keeps every setting in the address bar (history.replaceState), so a link reopens the
// same setup; settingsFromQuery() reads one back, taking the default for anything missing or
// invalid (with a console warning naming the parameter).

import {
  DATASET_NAMES, REGRESSION_DATASET_NAMES, DEFAULT_NOISE, HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS, BACKENDS,
} from '../dist/browser/wasm-mlp.js';

/**
 * The data sets of the menu. `gen` names the library's generator, `classes` its class count
 * (0: regression), `dims` its input dimensions. 'custom' (points added by clicking, after Clear)
 * and 'csv' (a dropped or picked file) have no generator.
 */
export const DATA_SETS = [
  ...DATASET_NAMES.map((name) => ({ id: name, group: 'two classes', label: name, gen: name, classes: 2, dims: 2 })),
  { id: 'spiral3', group: 'more classes', label: 'spiral, 3 classes', gen: 'spiral', classes: 3, dims: 2 },
  { id: 'blobs3', group: 'more classes', label: 'blobs, 3 classes', gen: 'blobs', classes: 3, dims: 2 },
  { id: 'blobs4', group: 'more classes', label: 'blobs, 4 classes', gen: 'blobs', classes: 4, dims: 2 },
  ...REGRESSION_DATASET_NAMES.map((name) => ({
    id: name, group: 'regression', label: name === 'gaussian' ? 'Gaussian bump' : name === 'sine' ? 'sine (1-D)' : name,
    gen: name, classes: 0, dims: name === 'sine' ? 1 : 2,
  })),
  { id: 'custom', group: 'your data', label: 'your points', gen: null, classes: 2, dims: 2 },
  { id: 'csv', group: 'your data', label: 'your CSV file', gen: null, classes: 2, dims: 2 },
];
export const dataSet = (id) => DATA_SETS.find((d) => d.id === id);

/** The task of the custom data set (its points come from clicks): classes, or regression in 1 or 2 dimensions. */
export const CUSTOM_TASKS = ['class2', 'class3', 'class4', 'reg2d', 'reg1d'];
export const customTask = (t) => (t.startsWith('class') ? { classes: Number(t.slice(5)), dims: 2 } : { classes: 0, dims: t === 'reg1d' ? 1 : 2 });

/** Input features, computed by the page from the point (x₁, x₂); `dims`: 1 if it only needs x₁. */
export const FEATURES = [
  { id: 'x1', label: 'x₁', dims: 1, f: (a) => a },
  { id: 'x2', label: 'x₂', dims: 2, f: (a, b) => b },
  { id: 'x1sq', label: 'x₁²', dims: 1, f: (a) => a * a },
  { id: 'x2sq', label: 'x₂²', dims: 2, f: (a, b) => b * b },
  { id: 'x1x2', label: 'x₁x₂', dims: 2, f: (a, b) => a * b },
  { id: 'sinx1', label: 'sin x₁', dims: 1, f: (a) => Math.sin(a) },
  { id: 'sinx2', label: 'sin x₂', dims: 2, f: (a, b) => Math.sin(b) },
];
/** The features in use for data of `dims` dimensions (those needing x₂ drop out for 1-D data; never none). */
export function usedFeatures(ids, dims) {
  const used = FEATURES.filter((f) => ids.includes(f.id) && f.dims <= dims);
  return used.length ? used : [FEATURES[0]];
}

export const POINTS = [100, 200, 400, 800];
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.6, 1, 1.2, 3, 10];
export const BATCH_SIZES = ['full', 1, 2, 5, 10, 16, 32, 64, 128];
export const L2_VALUES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const DROPOUT_VALUES = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
export const DECAYS = ['none', 'step-0.5-500', 'step-0.5-2000', 'exp-0.999', 'exp-0.9999'];
export const MAX_LAYERS = 6;
export const MAX_UNITS = 16;
export const MAX_THREADS = 16;
/** points added by clicking that the URL keeps */
export const MAX_ADDED_IN_URL = 500;

export const DEFAULTS = Object.freeze({
  data: 'flower', noise: DEFAULT_NOISE.flower, points: 400, trainPercent: 80, seed: 1, task: 'class2',
  features: ['x1', 'x2'], hidden: [4], activations: ['tanh'], init: 'xavier',
  optimizer: 'sgd', learningRate: 1.2, decay: 'none', batch: 'full', l2: 0, dropout: 0,
  backend: 'wasm', threads: 'auto', discretize: false, showTest: true, added: [], view: null,
});

/** The learning-rate decay of a setting: 'none', 'step-F-E' (×F every E epochs) or 'exp-R' (×R per epoch). */
export function parseDecay(v) {
  if (v === 'none') return null;
  let m = /^step-([0-9.]+)-([0-9]+)$/.exec(v);
  if (m) {
    const factor = Number(m[1]), every = Number(m[2]);
    return factor > 0 && factor <= 1 && Number.isInteger(every) && every >= 1 ? { type: 'step', factor, every } : undefined;
  }
  m = /^exp-([0-9.]+)$/.exec(v);
  if (m) {
    const rate = Number(m[1]);
    return rate > 0 && rate <= 1 ? { type: 'exponential', rate } : undefined;
  }
  return undefined;
}
export const decayLabel = (v) => {
  const d = parseDecay(v);
  if (!d) return 'none';
  return d.type === 'step' ? `×${d.factor} every ${d.every} epochs` : `×${d.rate} per epoch`;
};

function num(v, lo, hi) {
  const n = Number(v);
  return v !== '' && v !== null && Number.isFinite(n) && n >= lo && n <= hi ? n : undefined;
}
function int(v, lo, hi) {
  const n = num(v, lo, hi);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}
const oneOf = (list) => (v) => (list.includes(v) ? v : undefined);
const flag = (v) => (v === '1' ? true : v === '0' ? false : undefined);
const list = (v) => (v === 'none' || v === '' ? [] : v.split(','));

/** Points as "x,y,v;x,y,v": x and y rounded to 3 decimals, v the class (or the value, 2 decimals). */
function parseAdded(v) {
  if (v === '') return [];
  const pts = v.split(';').map((p) => p.split(',').map(Number));
  const ok = pts.length <= MAX_ADDED_IN_URL && pts.every((p) => p.length === 3 && p.every(Number.isFinite));
  return ok ? pts : undefined;
}
const formatAdded = (pts) => pts.map((p) => p.join(',')).join(';');

function parseView(v) {
  const b = v.split(',').map(Number);
  return b.length === 4 && b.every(Number.isFinite) && b[1] > b[0] && b[3] > b[2] ? { x0: b[0], x1: b[1], y0: b[2], y1: b[3] } : undefined;
}

/**
 * Each setting: [URL parameter, read (string → value or undefined when invalid), write (value →
 * string)]. The order here is the order in the URL.
 */
export const FIELDS = {
  data: ['data', oneOf(DATA_SETS.map((d) => d.id)), String],
  task: ['task', oneOf(CUSTOM_TASKS), String],
  noise: ['noise', (v) => { const n = num(v, 0, 1.5); return n === undefined ? n : Math.round(n * 100) / 100; }, String],
  points: ['points', (v) => (POINTS.includes(Number(v)) ? Number(v) : undefined), String],
  trainPercent: ['train', (v) => int(v, 10, 90), String],
  seed: ['seed', (v) => int(v, 1, 99999), String],
  features: ['feat', (v) => { const f = list(v); return f.length && f.every((id) => FEATURES.some((x) => x.id === id)) ? FEATURES.map((x) => x.id).filter((id) => f.includes(id)) : undefined; }, (f) => f.join(',')],
  hidden: ['hidden', (v) => { const h = list(v).map(Number); return h.length <= MAX_LAYERS && h.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_UNITS) ? h : undefined; }, (h) => (h.length ? h.join(',') : 'none')],
  activations: ['act', (v) => { const a = list(v); return a.every((x) => HIDDEN_ACTIVATIONS.includes(x)) ? a : undefined; }, (a) => (a.length ? a.join(',') : 'none')],
  init: ['init', oneOf(INIT_SCHEMES), String],
  optimizer: ['opt', oneOf(OPTIMIZERS), String],
  learningRate: ['lr', (v) => { const n = num(v, 1e-7, 100); return n === undefined || n <= 0 ? undefined : n; }, String],
  decay: ['decay', (v) => (parseDecay(v) !== undefined ? v : undefined), String],
  batch: ['batch', (v) => (v === 'full' ? 'full' : int(v, 1, 4096)), String],
  l2: ['l2', (v) => num(v, 0, 100), String],
  dropout: ['dropout', (v) => num(v, 0, 0.9), String],
  backend: ['backend', oneOf(BACKENDS), String],
  threads: ['threads', (v) => (v === 'auto' ? 'auto' : int(v, 1, MAX_THREADS)), String],
  discretize: ['discretize', flag, (b) => (b ? '1' : '0')],
  showTest: ['test', flag, (b) => (b ? '1' : '0')],
  added: ['add', parseAdded, formatAdded],
  view: ['view', parseView, (b) => [b.x0, b.x1, b.y0, b.y1].map((x) => Number(x.toFixed(3))).join(',')],
};

/** The settings a URL query asks for; anything missing or invalid takes its default (with a warning). */
export function settingsFromQuery(search) {
  const q = new URLSearchParams(search);
  const s = structuredClone({ ...DEFAULTS });
  // a data set without its own noise in the URL starts from the generator's default
  const data = dataSet(q.get('data'));
  if (data?.gen) s.noise = DEFAULT_NOISE[data.gen];
  // older links: layers=N&units=U&act=A (one activation for every hidden layer)
  if (!q.has('hidden') && q.has('layers')) {
    const n = int(q.get('layers'), 0, MAX_LAYERS), u = int(q.get('units') ?? '4', 1, MAX_UNITS);
    if (n !== undefined && u !== undefined) q.set('hidden', n ? Array(n).fill(u).join(',') : 'none');
    if (q.has('act') && n) q.set('act', Array(n).fill(q.get('act')).join(','));
  }
  for (const [key, [param, read]] of Object.entries(FIELDS)) {
    if (!q.has(param)) continue;
    const v = read(q.get(param));
    if (v !== undefined) s[key] = v;
    else console.warn(`playground: ignoring ${param}=${q.get(param)} in the URL (not a valid value)`);
  }
  return normalize(s);
}

/** Makes the settings consistent: one activation per hidden layer, the view and task only where they apply. */
export function normalize(s) {
  const acts = s.hidden.map((_, l) => s.activations[l] ?? s.activations[s.activations.length - 1] ?? 'tanh');
  return {
    ...s,
    activations: acts,
    view: s.data === 'custom' ? s.view : null,
    task: s.data === 'custom' ? s.task : DEFAULTS.task,
  };
}

/** The URL query for these settings (the task and view only for the custom data set; added points when any). */
export function queryFromSettings(s) {
  const q = new URLSearchParams();
  for (const [key, [param, , write]] of Object.entries(FIELDS)) {
    if ((key === 'task' || key === 'view') && s.data !== 'custom') continue;
    if (key === 'view' && !s.view) continue;
    if (key === 'added' && (s.added.length === 0 || s.added.length > MAX_ADDED_IN_URL)) continue;
    q.set(param, write(s[key]));
  }
  return q.toString();
}

/** The task of the current data: { classes (0 for regression), dims }. */
export function taskOf(s, csv) {
  if (s.data === 'csv') return csv ? { classes: csv.classNames ? csv.classNames.length : 0, dims: 2 } : { classes: 2, dims: 2 };
  if (s.data === 'custom') return customTask(s.task);
  const d = dataSet(s.data);
  return { classes: d.classes, dims: d.dims };
}
