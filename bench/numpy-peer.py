"""The numpy peer of `npm run bench`: the same full-batch training step as wasm-mlp's train()
(bench/workloads.json) in float32 numpy, its products in OpenBLAS. bench/numpy.ts starts it with
OPENBLAS_NUM_THREADS=1 (and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset, so OpenBLAS picks its
kernel for this CPU itself).

  python3 bench/numpy-peer.py info            -> JSON: numpy version, BLAS library, its kernel and threads
  python3 bench/numpy-peer.py run SPEC.json   -> JSON: step-1 cost, seconds per step of each timed repeat

SPEC: { layers, m, learningRate, data: path of float32 little-endian X (n_x x m), Y (n_y x m), then
W_l (n_l x n_{l-1}), b_l (n_l) for l = 1..L, all row-major; repeats, minSeconds }. The protocol is
the bench's: warm-up doubling the steps until one call lasts >= 0.1 s, steps per repeat for
minSeconds with a 10% margin, then `repeats` repeats, each running until minSeconds have passed;
every timed call starts from the initial parameters (reset, untimed).

One step, X one column per example: Z = W A + b, A = tanh(Z) (sigmoid at the output),
J = (1/m) sum [log(1 + e^z) - y z] over all outputs (binary cross-entropy from the logits),
dZ_L = A_L - Y, dW = (1/m) dZ A_prev^T, db = (1/m) rowsum(dZ), dZ_prev = (W^T dZ) * (1 - A_prev^2),
W -= lr dW, b -= lr db. Buffers are allocated once; the products write into them (out=).
"""
import ctypes
import json
import math
import sys
import time

import numpy as np

f32 = np.float32


def blas_info():
    """The BLAS numpy runs: threadpoolctl's report if installed, else OpenBLAS asked through ctypes, else numpy's build config."""
    info = {'numpy': np.__version__}
    try:
        from threadpoolctl import threadpool_info  # type: ignore

        pools = [p for p in threadpool_info() if p.get('user_api') == 'blas']
        if pools:
            p = pools[0]
            info.update(source='threadpoolctl', library=p.get('internal_api'), version=p.get('version'),
                        kernel=p.get('architecture'), threads=p.get('num_threads'))
            return info
    except ImportError:
        pass
    a = np.ones((2, 2), f32)
    a @ a  # loads the BLAS library
    paths = sorted({line.split()[-1] for line in open('/proc/self/maps') if 'openblas' in line.lower() and '.so' in line}) \
        if sys.platform.startswith('linux') else []
    for path in paths:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (('scipy_openblas', '64_'), ('scipy_openblas', ''), ('openblas', '64_'), ('openblas', '')):
            try:
                corename = getattr(lib, f'{prefix}_get_corename{suffix}')
                config = getattr(lib, f'{prefix}_get_config{suffix}')
                threads = getattr(lib, f'{prefix}_get_num_threads{suffix}')
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            config.restype = ctypes.c_char_p
            info.update(source='OpenBLAS through ctypes (threadpoolctl is not installed)', library='openblas',
                        kernel=corename().decode(), config=config().decode(), threads=threads())
            return info
    blas = np.show_config(mode='dicts').get('Build Dependencies', {}).get('blas', {})
    info.update(source="numpy.show_config (threadpoolctl is not installed; OpenBLAS not found in this process)",
                library=blas.get('name'), version=blas.get('version'), config=blas.get('openblas configuration'))
    return info


class Net:
    def __init__(self, layers, m, lr, blob):
        L = len(layers) - 1
        at = 0

        def take(*shape):
            nonlocal at
            n = math.prod(shape)
            a = blob[at:at + n].reshape(shape).copy()
            at += n
            return a

        self.X = take(layers[0], m)
        self.Y = take(layers[L], m)
        self.W, self.b = [], []
        for l in range(1, L + 1):
            self.W.append(take(layers[l], layers[l - 1]))
            self.b.append(take(layers[l], 1))
        if at != blob.size:
            raise SystemExit(f'numpy-peer: the data file has {blob.size} floats, the layers need {at}')
        self.W0, self.b0 = [w.copy() for w in self.W], [b.copy() for b in self.b]
        self.L, self.m = L, m
        self.lr, self.inv_m = f32(lr), f32(1.0 / m)
        self.Z = [np.empty((n, m), f32) for n in layers[1:]]
        self.A = [self.X] + [np.empty((n, m), f32) for n in layers[1:]]
        self.dZ = [np.empty((n, m), f32) for n in layers[1:]]
        self.dW = [np.empty_like(w) for w in self.W]
        self.db = [np.empty_like(b) for b in self.b]
        self.oneMinusY = f32(1) - self.Y

    def reset(self):
        """The initial parameters back (before every timed call, untimed, as the bench does for every implementation)."""
        for w, w0 in zip(self.W, self.W0):
            np.copyto(w, w0)
        for b, b0 in zip(self.b, self.b0):
            np.copyto(b, b0)

    def step(self):
        L, A, Z, dZ = self.L, self.A, self.Z, self.dZ
        for l in range(L):
            np.matmul(self.W[l], A[l], out=Z[l])
            Z[l] += self.b[l]
            if l < L - 1:
                np.tanh(Z[l], out=A[l + 1])
        zL = Z[L - 1]
        with np.errstate(over='ignore'):
            # sigmoid, and the cost from the logits: log(1 + e^z) - y z
            np.negative(zL, out=A[L])
            np.exp(A[L], out=A[L])
            A[L] += f32(1)
            np.reciprocal(A[L], out=A[L])
            cost = float((np.logaddexp(f32(0), zL) - self.Y * zL).sum(dtype=f32)) / self.m
        np.subtract(A[L], self.Y, out=dZ[L - 1])
        for l in range(L - 1, -1, -1):
            np.matmul(dZ[l], A[l].T, out=self.dW[l])
            self.dW[l] *= self.inv_m
            np.sum(dZ[l], axis=1, keepdims=True, out=self.db[l])
            self.db[l] *= self.inv_m
            if l > 0:
                np.matmul(self.W[l].T, dZ[l], out=dZ[l - 1])
                dZ[l - 1] *= f32(1) - A[l] * A[l]  # tanh' = 1 - A^2
            self.dW[l] *= self.lr
            self.W[l] -= self.dW[l]
            self.db[l] *= self.lr
            self.b[l] -= self.db[l]
        return cost


def timed(net, k):
    net.reset()
    t0 = time.perf_counter()
    for _ in range(k):
        net.step()
    return time.perf_counter() - t0


def run(spec):
    blob = np.fromfile(spec['data'], dtype='<f4')
    net = Net(spec['layers'], spec['m'], spec['learningRate'], blob)
    first = net.step()
    k, t = 1, timed(net, 1)
    while t < 0.1:
        k *= 2
        t = timed(net, k)
    per = t / k
    steps_per_repeat = max(1, math.ceil(spec['minSeconds'] * 1.1 / per)) if per > 0 else 1
    seconds = []
    for _ in range(spec['repeats']):
        steps, t = 0, 0.0
        while t < spec['minSeconds']:
            t += timed(net, steps_per_repeat)
            steps += steps_per_repeat
        seconds.append(t / steps)
    return {'firstCost': first, 'perStep': seconds, 'stepsPerRepeat': steps_per_repeat}


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'info':
        print(json.dumps(blas_info()))
    elif len(sys.argv) == 3 and sys.argv[1] == 'run':
        with open(sys.argv[2]) as f:
            print(json.dumps(run(json.load(f))))
    else:
        raise SystemExit('usage: numpy-peer.py info | run SPEC.json')
