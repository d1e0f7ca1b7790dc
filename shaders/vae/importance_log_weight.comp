#version 450
// The log importance weight of each sample z of q(z|x) for the IWAE bound (Burda et al. 2015):
//   log w = log p(x|z) + log p(z) - log q(z|x)
//         = -recon_row[row] + sum over c of (-z^2 / 2 + eps^2 / 2 + lv / 2)
// where z = mean + exp(lv / 2) eps was drawn from q(z|x) = N(mean, exp(lv)), p(z) = N(0, I),
// recon_row is the Bernoulli decoder's -log p(x|z) (the BCE summed over the pixels), and the
// log(2 pi) terms of p and q cancel. Layout: rows are sample-major, row = s * images + b for
// sample s of image b, [rows, latent] row-major; log_weights is [images, samples] row-major, and
// this dispatch fills its columns first_sample .. first_sample + rows / images - 1.
// One invocation per row sums its latent columns in order: deterministic.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer ReconRow { float recon_row[]; };
layout(set = 0, binding = 1) readonly buffer Epsilon { float eps[]; };
layout(set = 0, binding = 2) readonly buffer Z { float z[]; };
layout(set = 0, binding = 3) readonly buffer LogVariance { float lv[]; };
layout(set = 0, binding = 4) writeonly buffer LogWeights { float log_weights[]; };
layout(push_constant) uniform Push { uint rows; uint latent; uint images; uint samples; uint first_sample; };

void main() {
    GRID_STRIDE_LOOP(row, rows) {
        float log_prior_ratio = 0.0;
        for (uint c = 0u; c < latent; c++) {
            uint i = row * latent + c;
            log_prior_ratio += 0.5 * (eps[i] * eps[i] - z[i] * z[i] + lv[i]);
        }
        uint sample_index = first_sample + row / images;
        uint image = row % images;
        log_weights[image * samples + sample_index] = log_prior_ratio - recon_row[row];
    }
}
