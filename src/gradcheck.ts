/**
 * gradientCheck: backprop against central differences, the course's check that a network's
 * gradients are right.
 */
import { Network } from './network.js';
import type { TargetInput } from './data/targets.js';
import type { MatrixInput } from './util/matrix.js';
import { checkPositiveFinite, fail } from './util/validate.js';

export interface GradientCheckOptions {
  /** the central-difference step ε; default 3e-3 (see gradientCheck for why) */
  epsilon?: number;
  /** λ: check the gradient of the cost with the L2 term (λ/(2m))·Σ‖W‖²; default 0 */
  l2?: number;
}

/**
 * The relative difference ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖) between the network's
 * backprop gradient of cost(Y) at X and central differences gradapprox_i = (J(θ_i⁺) − J(θ_i⁻)) /
 * (θ_i⁺ − θ_i⁻), for every weight and bias. The costs come from the network's own float32
 * forward pass (accumulated in float64); θ_i± = θ_i ± ε rounded to float32, and the divisor is
 * the step actually taken, so the differences are computed in float64 around the float32
 * parameters. The network's parameters are restored bit for bit afterwards.
 *
 * Why ε = 3e-3 and not the course's 1e-7: the float32 forward pass makes J noisy by a few
 * u·J (u = 2^-24 ≈ 6e-8), and the central difference divides that noise by 2ε. With ε = 1e-7 the
 * "derivative" would be mostly rounding noise; with ε = 3e-3 the noise is ~1e-5·J while the
 * truncation error, ε²·|J'''|/6, is still ~1e-6. Measured on small tanh/relu/sigmoid networks
 * with softmax, linear and sigmoid outputs and L2 (both backends): 2e-6 to 3e-5 at ε = 3e-3,
 * up to 9e-4 at ε = 1e-4 (noise), and 1e-2 at ε = 1e-2 for a relu net (steps across the kink at
 * 0). A wrong gradient gives 1e-2 and more. If a relu/leakyRelu pre-activation lies within ε of
 * 0 the value rises for that reason alone: try a smaller epsilon.
 * Runs 2 forward passes per parameter: meant for small networks and a few examples.
 */
export function gradientCheck(net: Network, X: MatrixInput, Y: TargetInput, options: GradientCheckOptions = {}): number {
  const where = 'gradientCheck';
  if (!(net instanceof Network)) fail(where, 'net', 'a Network (from Network.create)', net);
  if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object { epsilon?, l2? }', options);
  const eps = options.epsilon === undefined ? 3e-3 : checkPositiveFinite(where, 'epsilon', options.epsilon);
  const costOptions = { l2: options.l2 ?? 0 };
  const params = net.getParams();
  net.forward(X);
  net.backward(Y, costOptions);
  const grads = net.getGrads();
  // working copies: one array per W and b, perturbed one entry at a time
  const work = params.map((p) => ({ W: { rows: p.W.rows, cols: p.W.cols, data: p.W.data.slice() }, b: p.b.slice() }));
  let diff = 0, normG = 0, normA = 0;
  const J = (): number => {
    net.setParams(work);
    net.forward(X);
    return net.cost(Y, costOptions);
  };
  try {
    work.forEach((p, l) => {
      for (const [t, g] of [[p.W.data, grads[l].dW.data], [p.b, grads[l].db]] as const) {
        for (let i = 0; i < t.length; i++) {
          const keep = t[i];
          t[i] = keep + eps;
          const up = t[i];
          const Jp = J();
          t[i] = keep - eps;
          const down = t[i];
          const Jm = J();
          t[i] = keep;
          const approx = (Jp - Jm) / (up - down);
          diff += (g[i] - approx) ** 2;
          normG += g[i] ** 2;
          normA += approx ** 2;
        }
      }
    });
  } finally {
    net.setParams(params);
  }
  const denom = Math.sqrt(normG) + Math.sqrt(normA);
  return denom === 0 ? 0 : Math.sqrt(diff) / denom;
}
