// Prints a sha256 of getParams() after each of a fixed list of training runs, on both backends:
// the runs npm start and the README examples make, plus every trainer path (mini-batches,
// optimizers, decay, L2, dropout, validation and early stopping). A refactoring that changes no
// behaviour leaves every line identical: `node scripts/param-hash.mjs > before.txt`, change,
// rebuild (`npm run build:js`), run again and diff.
import { createHash } from 'node:crypto';
import { Network, datasets } from '../dist/index.js';

function hash(net) {
  const h = createHash('sha256');
  for (const { W, b } of net.getParams()) {
    h.update(new Uint8Array(W.data.buffer, W.data.byteOffset, W.data.byteLength));
    h.update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}

const flower = datasets.flower({ m: 400, seed: 1 });
const flowerNp = datasets.flower({ m: 400, seed: 1, rng: 'numpy' });
const spiral = datasets.spiral({ m: 600, classes: 3, seed: 1 });
const noop = () => {};

const runs = {
  'npm start': { data: flower, net: { layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2 },
    train: { iterations: 10000, learningRate: 1.2, progressEvery: 1, onProgress: noop } },
  'npm start --rng numpy': { data: flowerNp, net: { layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2, rng: 'numpy' },
    train: { iterations: 10000, learningRate: 1.2, progressEvery: 1, onProgress: noop } },
  'README first example': { data: flower, net: { layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2 },
    train: { iterations: 10000, learningRate: 1.2 } },
  'README spiral': { data: { X: spiral.X, Y: spiral.Y.data }, init: { scheme: 'he' },
    net: { layers: [2, 32, 16, 3], activations: ['relu', 'relu', 'softmax'], seed: 1 },
    train: { epochs: 200, batchSize: 32, optimizer: 'adam', learningRate: 0.01, decay: { type: 'step', factor: 0.5, every: 100 },
      validation: 0.2, progressEvery: 50, onProgress: noop } },
  'README save-load': { data: flower, net: { layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2 },
    train: { iterations: 2000, learningRate: 1.2 } },
  'momentum + l2 + dropout + exp decay': { data: flower, net: { layers: [2, 16, 8, 1], activations: ['relu', 'leakyRelu', 'sigmoid'], seed: 3 },
    train: { epochs: 30, batchSize: 50, optimizer: { name: 'momentum', beta: 0.9 }, learningRate: 0.05, l2: 0.01,
      dropout: [0.2, 0.1], decay: { type: 'exponential', rate: 0.99 } } },
  'rmsprop + early stopping': { data: flower, net: { layers: [2, 8, 1], activations: ['sigmoid', 'sigmoid'], seed: 4 },
    train: { epochs: 200, batchSize: 64, optimizer: 'rmsprop', learningRate: 0.01, validation: 0.25,
      earlyStopping: { patience: 5 }, shuffle: true } },
  'linear mse': { data: { X: flower.X, Y: { rows: 1, cols: 400, data: flower.X.data.subarray(0, 400).map((x, j) => 0.5 * x - flower.X.data[400 + j]) } },
    net: { layers: [2, 5, 1], activations: ['tanh', 'linear'], seed: 5 }, train: { iterations: 500, learningRate: 0.1 } },
};

for (const backend of ['wasm', 'js']) {
  for (const [name, r] of Object.entries(runs)) {
    const net = await Network.create({ ...r.net, backend });
    if (r.init) net.init(r.init);
    const res = net.train(r.data.X, r.data.Y, r.train);
    console.log(`${backend.padEnd(4)}  ${hash(net)}  ${res.iterations} steps  ${name}`);
    net.dispose();
  }
}
