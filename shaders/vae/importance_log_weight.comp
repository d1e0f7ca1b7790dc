#version 450
// The log importance weight of each sample z of q(z|x) for the IWAE bound (Burda et al. 2015):
//   log w = log p(x|z) + log p(z) - log q(z|x)
//         = -sum over pixels p of BCE(logit[row, p], x[image, p])
//           + sum over c of (-z^2 / 2 + eps^2 / 2 + lv / 2)
// where z = mean + exp(lv / 2) eps was drawn from q(z|x) = N(mean, exp(lv)), p(z) = N(0, I), the
// Bernoulli decoder's -log p(x|z) is the binary cross-entropy of its logits against the image's
// pixels (binary_cross_entropy.glsl, as the training loss), and the log(2 pi) terms of p and q
// cancel. Layout: rows are sample-major, row = s * images + b for sample s of image b; logits are
// [rows, pixels], the images [images, pixels], eps, z and lv [rows, latent], all row-major;
// log_weights is [images, samples] row-major, and this dispatch fills its columns
// first_sample .. first_sample + rows / images - 1.
// Each image's pixels are read where they are, once per sample: no copy of the batch per sample,
// and no gradient written (the estimate is only evaluated). Rows are summed as reduce/row_sum.glsl
// says, chosen by specialization constant 1: with a workgroup per row, invocation k adds the terms
// of pixels k, k + W, ... and then of latent columns k, k + W, ....
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool ONE_WORKGROUP_PER_ROW = true;
#include "../loss/binary_cross_entropy.glsl"

layout(set = 0, binding = 0) readonly buffer Logits { float logits[]; };
layout(set = 0, binding = 1) readonly buffer Images { float pixels[]; };
layout(set = 0, binding = 2) readonly buffer Epsilon { float eps[]; };
layout(set = 0, binding = 3) readonly buffer Z { float z[]; };
layout(set = 0, binding = 4) readonly buffer LogVariance { float lv[]; };
layout(set = 0, binding = 5) writeonly buffer LogWeights { float log_weights[]; };
layout(push_constant) uniform Push { uint rows; uint features; uint latent; uint images; uint samples; uint first_sample; };
#include "../reduce/row_sum.glsl"

// -log w of a row, or the share of it of terms first, first + stride, ...
float row_part(uint row, uint first, uint stride) {
    uint image = row % images;
    float sum = 0.0;
    for (uint p = first; p < features; p += stride)
        sum += bce_with_logits_loss(logits[row * features + p], pixels[image * features + p]);
    for (uint c = first; c < latent; c += stride) {
        uint i = row * latent + c;
        sum -= 0.5 * (eps[i] * eps[i] - z[i] * z[i] + lv[i]);
    }
    return sum;
}

void write_row(uint row, float minus_log_w) {
    log_weights[(row % images) * samples + first_sample + row / images] = -minus_log_w;
}
