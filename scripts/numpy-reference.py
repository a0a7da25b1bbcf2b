#!/usr/bin/python3
"""Reference values for rng: 'numpy' (test/numpy-rng.test.ts and the README), computed with numpy.

Run with a python that has numpy, e.g. Debian's: apt-get install python3-numpy; /usr/bin/python3 scripts/numpy-reference.py
(`--dump-randn FILE` instead writes the Gaussians that scripts/compare-randn.ts compares.)
Prints: the generator's first outputs, the course's flower (first/last points, sha256 of X and Y as
little-endian float32), the course's initial W1, W2 for seed 2, and the course's training loop run in
float64 (2-4-1, tanh, sigmoid, learning rate 1.2, 10 000 iterations).
"""
import hashlib
import sys
import numpy as np

if len(sys.argv) == 3 and sys.argv[1] == '--dump-randn':
    # 400 000 Gaussians for each of six seeds, float64 little-endian, for scripts/compare-randn.ts
    out = []
    for s in [0, 1, 2, 42, 123456789, 2**32 - 1]:
        np.random.seed(s)
        out.append(np.random.randn(400000))
    np.concatenate(out).astype('<f8').tofile(sys.argv[2])
    sys.exit(0)

print('numpy', np.__version__)
for s in [0, 1, 2, 42, 2**32 - 1]:
    np.random.seed(s); print(s, 'random_sample', [repr(float(x)) for x in np.random.random_sample(5)])
    np.random.seed(s); print(s, 'randn', [repr(float(x)) for x in np.random.randn(5)])
    np.random.seed(s); print(s, 'u32', [int(x) for x in np.random.randint(0, 2**32, size=3, dtype=np.uint64)])


def flower(seed=1, m=400, noise=0.2, a=4):
    """The course's planar data set, step by step: one class after the other, t then r."""
    np.random.seed(seed)
    n = m // 2
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype='uint8')
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + np.random.randn(n) * noise
        r = a * np.sin(4 * t) + np.random.randn(n) * noise
        X[n * j:n * (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[n * j:n * (j + 1)] = j
    return X.T, Y.T


X, Y = flower()
for j in [0, 1, 199, 200, 398, 399]:
    print('point', j, repr(float(X[0, j])), repr(float(X[1, j])), int(Y[0, j]))
print('sha256 X', hashlib.sha256(X.astype('<f4').tobytes()).hexdigest())
print('sha256 Y', hashlib.sha256(Y.astype('<f4').tobytes()).hexdigest())

np.random.seed(2)
W1 = np.random.randn(4, 2) * 0.01
W2 = np.random.randn(1, 4) * 0.01
print('W1', [repr(float(v)) for v in W1.ravel()])
print('W2', [repr(float(v)) for v in W2.ravel()])

# the course's loop in float64
b1, b2, m, lr = np.zeros((4, 1)), np.zeros((1, 1)), X.shape[1], 1.2
for i in range(10000):
    A1 = np.tanh(W1 @ X + b1)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    if i % 1000 == 0:
        print('iteration %5d  cost %f' % (i, -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m))
    dZ2 = A2 - Y
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    W2 -= lr * (dZ2 @ A1.T / m); b2 -= lr * np.sum(dZ2, axis=1, keepdims=True) / m
    W1 -= lr * (dZ1 @ X.T / m); b1 -= lr * np.sum(dZ1, axis=1, keepdims=True) / m
P = 1 / (1 + np.exp(-(W2 @ np.tanh(W1 @ X + b1) + b2))) > 0.5
print('accuracy: %.2f%%' % (100 * np.mean(P == Y)))
