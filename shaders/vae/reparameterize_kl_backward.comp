#version 450
// Backward of the reparameterized sample z = mean + exp(lv / 2) eps, fused with the KL divergence
// of N(mean, exp(lv)) from N(0, I), over [rows, latent] (row-major; lv is the log-variance):
//   kl_row[r]  = -1/2 sum over c of (1 + lv - mean^2 - exp(lv))          (unweighted, unscaled)
//   d_mean[i]  = dz[i]                             + kl_scale * mean[i]
//   d_lv[i]    = dz[i] * eps[i] * exp(lv[i] / 2) / 2 + kl_scale * (exp(lv[i]) - 1) / 2
// kl_scale = beta * grad_scale, the KL weight times the caller's batch reduction; dz already
// carries the reconstruction loss's scale. d_mean and d_lv are written, not accumulated: the KL
// term is fused here because every VAE step needs both, and one pass reads mean and lv once and
// saves a dispatch and a read-modify-write of both gradients.
// Rows are summed as reduce/row_sum.glsl says, chosen by specialization constant 1.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool ONE_WORKGROUP_PER_ROW = true;

layout(set = 0, binding = 0) readonly buffer ZGrad { float dz[]; };
layout(set = 0, binding = 1) readonly buffer Epsilon { float eps[]; };
layout(set = 0, binding = 2) readonly buffer Mean { float mean[]; };
layout(set = 0, binding = 3) readonly buffer LogVariance { float lv[]; };
layout(set = 0, binding = 4) writeonly buffer MeanGrad { float d_mean[]; };
layout(set = 0, binding = 5) writeonly buffer LogVarianceGrad { float d_lv[]; };
layout(set = 0, binding = 6) writeonly buffer KlRow { float kl_row[]; };
layout(push_constant) uniform Push { uint rows; uint latent; float kl_scale; };
#include "../reduce/row_sum.glsl"

// Writes the gradients of the row's columns first, first + stride, ... and returns their share of
// sum (1 + lv - mean^2 - exp(lv)).
float row_part(uint row, uint first, uint stride) {
    float partial = 0.0;
    for (uint col = first; col < latent; col += stride) {
        uint i = row * latent + col;
        float m = mean[i];
        float variance = exp(lv[i]);
        d_mean[i] = dz[i] + kl_scale * m;
        d_lv[i] = 0.5 * (dz[i] * eps[i] * exp(0.5 * lv[i]) + kl_scale * (variance - 1.0));
        partial += 1.0 + lv[i] - m * m - variance;
    }
    return partial;
}

void write_row(uint row, float sum) { kl_row[row] = -0.5 * sum; }
