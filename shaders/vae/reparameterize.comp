#version 450
// The reparameterized sample of a VAE's latent code, over [rows, latent] (row-major, handled flat):
//   z[i] = mean[i] + exp(log_variance[i] / 2) * epsilon[i]
// epsilon is an input: drawn for the step by noise/sample_standard_normal.comp in training, or
// supplied by a test, so the z that parity tests check is the z that training computes. The
// backward (reparameterize_kl_backward.comp) reads the same epsilon.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Mean { float mean[]; };
layout(set = 0, binding = 1) readonly buffer LogVariance { float log_variance[]; };
layout(set = 0, binding = 2) readonly buffer Epsilon { float epsilon[]; };
layout(set = 0, binding = 3) writeonly buffer Z { float z[]; };
layout(push_constant) uniform Push { uint count; };

void main() {
    GRID_STRIDE_LOOP(i, count) z[i] = mean[i] + exp(0.5 * log_variance[i]) * epsilon[i];
}
