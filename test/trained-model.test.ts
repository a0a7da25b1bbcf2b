// saveModel / loadModel (wasm-mlp/data): the network with its feature names, standardizer, target
// and classes in the file `wasm-mlp train --save` writes, read back exactly; files written by the
// command line load, and bad ones are named.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network, datasets } from '../src/index.js';
import { fitStandardizer, loadModel, readCsv, saveModel } from '../src/data-index.js';
import { cliSandbox, repoRoot } from './support/cli-sandbox.js';

const box = cliSandbox('wasm-mlp-trained-model-');

async function trained(backend: 'wasm' | 'js', output: 'sigmoid' | 'softmax') {
  const { X, Y } = datasets.flower({ m: 60, seed: 3 });
  const standardizer = fitStandardizer(X);
  const nY = output === 'sigmoid' ? 1 : 2;
  const net = await Network.create({ layers: [2, 5, nY], activations: ['tanh', output], backend, seed: 4 });
  net.train(standardizer.apply(X), output === 'sigmoid' ? Y : Y.data, { iterations: 50, learningRate: 0.5 });
  return { net, standardizer, X };
}

describe('saveModel → loadModel', () => {
  it.each([['wasm', 'sigmoid'], ['js', 'softmax']] as const)('keeps the parameters, the scaling and the labels (%s, %s)', async (backend, output) => {
    const { net, standardizer, X } = await trained(backend, output);
    const text = saveModel({ net, features: ['x1', 'x2'], target: 'colour', classes: ['red', 'blue'], standardizer });
    const m = await loadModel(text, { backend });
    expect(m.task).toBe('classification');
    expect(m.features).toEqual(['x1', 'x2']);
    expect(m.target).toBe('colour');
    expect(m.classes).toEqual(['red', 'blue']);
    expect(m.standardizer.toJSON()).toEqual(standardizer.toJSON());
    expect(m.targetScale).toBeNull();
    // float32 parameters survive JSON exactly, so the same backend predicts the same bits
    expect(Array.from(m.net.predictProba(m.standardizer.apply(X)).data)).toEqual(Array.from(net.predictProba(standardizer.apply(X)).data));
    net.dispose();
    m.net.dispose();
  });

  it('a regression model keeps its target scale (default: the values as they are)', async () => {
    const net = await Network.create({ layers: [1, 2, 1], activations: ['tanh', 'linear'] });
    const standardizer = fitStandardizer({ rows: 1, cols: 3, data: [1, 2, 3] });
    const m = await loadModel(JSON.parse(saveModel({ net, features: ['x'], target: 'y', standardizer })));
    expect(m.task).toBe('regression');
    expect(m.classes).toBeNull();
    expect(m.targetScale).toEqual({ mean: 0, std: 1 });
    const scaled = await loadModel(saveModel({ net, features: ['x'], target: 'y', standardizer, targetScale: { mean: 5, std: 2 } }));
    expect(scaled.targetScale).toEqual({ mean: 5, std: 2 });
    net.dispose();
    m.net.dispose();
    scaled.net.dispose();
  });

  it('saveModel refuses parts that do not fit the network', async () => {
    const { net, standardizer } = await trained('wasm', 'sigmoid');
    expect(() => saveModel({ net, features: ['x1'], target: 'c', classes: ['a', 'b'], standardizer })).toThrow(/^saveModel: standardize\.mean must be an array of 1 numbers/);
    expect(() => saveModel({ net, features: ['x1', 'x2'], target: 'c', classes: ['a', 'b', 'c'], standardizer })).toThrow(/^saveModel: 3 classes need 3 outputs; the network has 1/);
    expect(() => saveModel({ net, features: ['x1', 'x2'], target: 'c', standardizer })).toThrow(/^saveModel: a regression model needs one linear output; the network has 1 sigmoid/);
    expect(() => saveModel({ net, features: ['x1', 'x1'], target: 'c', classes: ['a', 'b'], standardizer })).toThrow(/features\[1\] must be different from features\[0\]/);
    net.dispose();
    expect(() => saveModel({ net, features: ['x1', 'x2'], target: 'c', classes: ['a', 'b'], standardizer })).toThrow(/disposed/);
  });
});

describe('loadModel on other files', () => {
  it('loads what `wasm-mlp train --save` wrote and predicts what `wasm-mlp predict` prints', async () => {
    const csv = path.join(repoRoot, 'examples', 'flower.csv');
    const train = box.run('train', '--data', csv, '--target', 'colour', '--layers', '4', '--epochs', '5', '--save', 'm.json');
    expect(train.status, train.stderr).toBe(0);
    const predicted = box.run('predict', '--model', 'm.json', '--data', csv);
    expect(predicted.status, predicted.stderr).toBe(0);
    const m = await loadModel(readFileSync(box.at('m.json'), 'utf8'));
    const data = readCsv(readFileSync(csv, 'utf8'), { target: 'colour', features: m.features });
    const p = m.net.predictProba(m.standardizer.apply(data.X)).data;
    const printed = predicted.stdout.trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    expect(printed).toHaveLength(p.length);
    // predict prints P(class 1) with 6 significant digits
    printed.forEach((v, j) => expect(Math.abs(v - p[j])).toBeLessThanOrEqual(5e-7 * Math.max(1, Math.abs(v))));
    m.net.dispose();
  });

  it('`wasm-mlp predict` uses a file saveModel wrote (2 classes on a 2-unit softmax)', async () => {
    const { net, standardizer, X } = await trained('wasm', 'softmax');
    writeFileSync(box.at('soft.json'), saveModel({ net, features: ['x1', 'x2'], target: 'colour', classes: ['red', 'blue'], standardizer }));
    writeFileSync(box.at('few.csv'), 'x2,x1\n' + [0, 1, 2].map((j) => `${X.data[60 + j]},${X.data[j]}`).join('\n') + '\n');
    const r = box.run('predict', '--model', 'soft.json', '--data', 'few.csv');
    expect(r.status, r.stderr).toBe(0);
    const P = net.predictProba(standardizer.apply({ rows: 2, cols: 3, data: [X.data[0], X.data[1], X.data[2], X.data[60], X.data[61], X.data[62]] }));
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('colour,p_red,p_blue');
    rows.slice(1).forEach((row, j) => {
      const [label, pRed, pBlue] = row.split(',');
      // printed with 6 significant digits
      expect(Math.abs(Number(pRed) - P.data[j])).toBeLessThan(1e-6);
      expect(Math.abs(Number(pBlue) - P.data[3 + j])).toBeLessThan(1e-6);
      expect(label).toBe(P.data[j] >= P.data[3 + j] ? 'red' : 'blue');
    });
    net.dispose();
  });

  it('a bare network (net.toJSON()) points at Network.fromJSON; other text is named', async () => {
    const net = await Network.create({ layers: [2, 1] });
    await expect(loadModel(JSON.stringify(net))).rejects.toThrow(/^loadModel: this is a bare network \(format 'wasm-mlp', from net\.toJSON\(\)\): load it with Network\.fromJSON/);
    net.dispose();
    await expect(loadModel('{"format": "wasm-mlp-cli"')).rejects.toThrow(/^loadModel: json must be a model file's JSON text; it does not parse: .*the file looks truncated/);
    await expect(loadModel({ format: 'other' })).rejects.toThrow(/^loadModel: format must be 'wasm-mlp-cli'/);
    const { net: n2, standardizer } = await trained('wasm', 'sigmoid');
    const text = saveModel({ net: n2, features: ['a', 'b'], target: 't', classes: ['0', '1'], standardizer });
    n2.dispose();
    await expect(loadModel(text, { backend: 'gpu' as never })).rejects.toThrow(/options\.backend must be 'wasm' or 'js'; got "gpu"/);
  });
});
