// Messages for data in the wrong one of two right formats: class indices given to a sigmoid (or
// mse) network, and the command line's model file given to Network.fromJSON.
import { describe, expect, it } from 'vitest';
import { Network, datasets } from '../src/index.js';
import { fitStandardizer, saveModel } from '../src/data-index.js';

describe('an array of labels for a network without a softmax output', () => {
  it.each([
    ['a number[]', [0, 1, 1]],
    ['a Float32Array', Float32Array.from([0, 1, 1])],
    ['an Int32Array', Int32Array.from([0, 1, 1])],
  ])('%s says index arrays are for softmax outputs, and what a sigmoid output takes', async (_, Y) => {
    const net = await Network.create({ layers: [2, 3, 1], activations: ['tanh', 'sigmoid'] });
    const { X } = datasets.xor({ m: 3 });
    const before = net.getParams();
    const message = /Y must be a Matrix \{ rows: 1, cols: 3, data \} for a sigmoid output; got an? \w+ of length 3\. An array of class indices is for a softmax output .*e\.g\. fromLabels\(labels\) for a \(1 × m\) row of 0\/1 labels$/;
    expect(() => net.train(X, Y as never, { iterations: 1 })).toThrow(message);
    net.forward(X);
    expect(() => net.cost(Y as never)).toThrow(message);
    expect(() => net.backward(Y as never)).toThrow(message);
    expect(net.getParams()).toEqual(before); // refused before any update
    net.dispose();
  });

  it('a linear (mse) network says the same for its loss', async () => {
    const net = await Network.create({ layers: [2, 1], activations: ['linear'] });
    expect(() => net.train(datasets.flower({ m: 2 }).X, [0.5, 2] as never, { iterations: 1 }))
      .toThrow(/Y must be a Matrix \{ rows: 1, cols: 2, data \} for the 'mse' loss; .*An array of class indices is for a softmax output/);
    net.dispose();
  });

  it('a softmax network still takes the indices', async () => {
    const net = await Network.create({ layers: [2, 3, 2], activations: ['tanh', 'softmax'] });
    const r = net.train(datasets.xor({ m: 3 }).X, [0, 1, 1], { iterations: 2 });
    expect(r.iterations).toBe(2);
    net.dispose();
  });
});

describe('Network.fromJSON on a file of wasm-mlp train / saveModel', () => {
  it('says what the file is and to load it with loadModel from wasm-mlp/data', async () => {
    const net = await Network.create({ layers: [1, 2, 1] });
    const text = saveModel({ net, features: ['x'], target: 'y', classes: ['a', 'b'], standardizer: fitStandardizer({ rows: 1, cols: 2, data: [0, 1] }) });
    const message = /^Network\.fromJSON: this is a model file of `wasm-mlp train` or saveModel \(format 'wasm-mlp-cli'\), not a bare network: load it with loadModel from 'wasm-mlp\/data'/;
    await expect(Network.fromJSON(text)).rejects.toThrow(message);
    await expect(Network.fromJSON(JSON.parse(text))).rejects.toThrow(message);
    // and, as the message says, its "model" key is the bare network
    const bare = await Network.fromJSON(JSON.parse(text).model);
    expect(bare.getParams()).toEqual(net.getParams());
    bare.dispose();
    net.dispose();
  });
});
