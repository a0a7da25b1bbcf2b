# The coefficients D1..D5 of assembly/vmath.ts's e^r − 1 = r + r²·(D1 + D2·r + … + D5·r⁴), the
# polynomial in tanh4, on |r| ≤ ln2/2 (a hair wider: the reduction's r can round just past it).
# Minimax in the relative error of e^r − 1, by Lawson's iteratively reweighted least squares on
# Chebyshev nodes, in float64 against mpmath's expm1 at 30 digits; then rounded to float32, and
# the rounded polynomial's error printed as well (that is the one the kernels run).
#   python3 scripts/fit-expm1.py        (needs numpy and mpmath)
import mpmath
import numpy as np

mpmath.mp.dps = 30
half = float(mpmath.log(2) / 2) * 1.0001
r = np.cos(np.linspace(0, np.pi, 6001)) * half
r = r[np.abs(r) > 1e-7]
g = np.array([float(mpmath.expm1(mpmath.mpf(v))) for v in r])
# e^r − 1 − r = r²·P(r): fit P's coefficients so that r + r²·P(r) has the least largest relative error
T = np.stack([r ** (k + 2) for k in range(5)], 1) / g[:, None]
rhs = 1 - r / g
w = np.full(len(r), 1 / len(r))
for _ in range(400):
    sw = np.sqrt(w)
    c, *_ = np.linalg.lstsq(T * sw[:, None], rhs * sw, rcond=None)
    w = w * np.abs(T @ c - rhs)
    w /= w.sum()
c32 = c.astype(np.float32).astype(np.float64)
print(f'largest relative error: {np.max(np.abs(T @ c - rhs)):.3e} in float64, {np.max(np.abs(T @ c32 - rhs)):.3e} with float32 coefficients')
for k, v in enumerate(c32, 1):
    print(f'D{k} = {float(np.float32(v))!r}')
