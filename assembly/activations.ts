// Element-wise activations over n contiguous float32 values, as forward / backward pairs.
//   <act>_forward(a, z, n):          a = g(z)
//   <act>_backward(dz, da, a, z, n): dz = da ⊙ g'(z), written from the cached a and z
// dz may alias da (the driver computes Wᵀ·dZ straight into dz, then scales it in place): every
// kernel reads element i before it writes element i.

// sigmoid(z) = 1 / (1 + e^-z), evaluated so that exp never overflows: for z < 0 as e^z / (1 + e^z)
@inline function sigmoid(z: f32): f32 {
  if (z >= 0) return 1 / (1 + Mathf.exp(-z));
  const e = Mathf.exp(z);
  return e / (1 + e);
}

export function sigmoid_forward(a: usize, z: usize, n: i32): void {
  // a, z are n floats
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, sigmoid(load<f32>(z + o)));
  }
}

export function sigmoid_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = a (1 − a)
  let i = 0;
  const one = f32x4.splat(1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    v128.store(dz + o, f32x4.mul(v128.load(da + o), f32x4.mul(av, f32x4.sub(one, av))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const av = load<f32>(a + o);
    store<f32>(dz + o, load<f32>(da + o) * (av * (1 - av)));
  }
}

export function tanh_forward(a: usize, z: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, Mathf.tanh(load<f32>(z + o)));
  }
}

export function tanh_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1 − a²
  let i = 0;
  const one = f32x4.splat(1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    v128.store(dz + o, f32x4.mul(v128.load(da + o), f32x4.sub(one, f32x4.mul(av, av))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const av = load<f32>(a + o);
    store<f32>(dz + o, load<f32>(da + o) * (1 - av * av));
  }
}

export function relu_forward(a: usize, z: usize, n: i32): void {
  // g(z) = max(0, z)
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(a + o, f32x4.max(v128.load(z + o), zero));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(a + o, max(load<f32>(z + o), 0));
  }
}

export function relu_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1 if z > 0 else 0
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, v128.and(v128.load(da + o), f32x4.gt(v128.load(z + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dz + o, load<f32>(z + o) > 0 ? load<f32>(da + o) : 0);
  }
}

const LEAK: f32 = 0.01;

export function leaky_relu_forward(a: usize, z: usize, n: i32): void {
  // g(z) = max(0.01 z, z)
  let i = 0;
  const leak = f32x4.splat(LEAK);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const zv = v128.load(z + o);
    v128.store(a + o, f32x4.max(zv, f32x4.mul(zv, leak)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const zv = load<f32>(z + o);
    store<f32>(a + o, max(zv, zv * LEAK));
  }
}

export function leaky_relu_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1 if z ≥ 0 else 0.01
  let i = 0;
  const leak = f32x4.splat(LEAK);
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const dv = v128.load(da + o);
    v128.store(dz + o, v128.bitselect(dv, f32x4.mul(dv, leak), f32x4.ge(v128.load(z + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const dv = load<f32>(da + o);
    store<f32>(dz + o, load<f32>(z + o) >= 0 ? dv : dv * LEAK);
  }
}
