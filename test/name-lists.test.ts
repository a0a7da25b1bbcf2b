import { describe, expect, it } from 'vitest';
import {
  Network, ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, BACKENDS, INIT_SCHEMES, OPTIMIZERS, datasets,
} from '../src/index.js';

// The exported name lists are what the API accepts: a page or a CLI builds its menus from them.
describe('exported name lists', () => {
  it('every hidden and output activation, init scheme, optimizer and backend listed is accepted', async () => {
    expect([...new Set([...HIDDEN_ACTIVATIONS, ...OUTPUT_ACTIVATIONS])].sort()).toEqual([...ACTIVATIONS].sort());
    const { X, Y } = datasets.xor({ m: 8 });
    for (const backend of BACKENDS) {
      for (const hidden of HIDDEN_ACTIVATIONS) {
        for (const out of OUTPUT_ACTIVATIONS) {
          const net = await Network.create({ layers: [2, 3, out === 'softmax' ? 2 : 1], activations: [hidden, out], backend });
          expect(net.activations).toEqual([hidden, out]);
          expect(net.backend).toBe(backend);
          for (const scheme of INIT_SCHEMES) net.init({ scheme });
          for (const optimizer of OPTIMIZERS) {
            const y = out === 'softmax' ? Y.data : Y;
            expect(net.train(X, y, { epochs: 1, optimizer }).iterations).toBe(1);
          }
          net.dispose();
        }
      }
    }
  });

  it('names outside the lists are refused', async () => {
    await expect(Network.create({ layers: [2, 1], activations: ['softmax' as never] })).rejects.toThrow(/softmax/);
    await expect(Network.create({ layers: [2, 2, 1], activations: ['linear', 'sigmoid'] })).rejects.toThrow(/hidden layer/);
    const net = await Network.create({ layers: [2, 1] });
    expect(() => net.init({ scheme: 'glorot' as never })).toThrow(/scheme/);
    net.dispose();
  });
});
