#version 450
// Convolution gather or scatter, variant 1, the readable reference: one invocation computes one
// destination element, destination[n, c, y, x] = bias[c] + sum over source channels s and taps
// (u, v) of source[n, s, tap_source(y, u), tap_source(x, v)] * w[.., tap_kernel(y, u), tap_kernel(x, v)].
// Gather (Conv2d forward, ConvTranspose2d backward-input) or scatter (Conv2d backward-input,
// ConvTranspose2d forward) by TRANSPOSED; geometry, layouts and taps: conv.glsl. The forward passes
// may apply the layer's activation to what they store (ACTIVATION, activation.glsl), sparing a pass.
#include "common.glsl"
#include "activation.glsl"

layout(local_size_x_id = 0) in;
#include "conv.glsl"

// False for the backward-input passes, which have no bias (the host binds a placeholder).
layout(constant_id = 5) const bool HAS_BIAS = false;
layout(constant_id = 6) const uint ACTIVATION = ACTIVATION_IDENTITY;

layout(set = 0, binding = 0) readonly buffer Source { float source[]; };
layout(set = 0, binding = 1) readonly buffer Weight { float w[]; };
layout(set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(set = 0, binding = 3) writeonly buffer Destination { float destination[]; };

void main() {
    uint channels = destination_channels(), height = destination_height(), width = destination_width();
    GRID_STRIDE_LOOP(e, batch * channels * height * width) {
        uint x = e % width;
        uint y = (e / width) % height;
        uint c = (e / (width * height)) % channels;
        uint n = e / (width * height * channels);
        float sum = HAS_BIAS ? bias[c] : 0.0;
        for (uint s = 0; s < source_channels(); s++)
            for (uint u = 0; u < TAPS; u++) {
                int sy = tap_source(y, u);
                uint i = tap_kernel(y, u);
                if (i >= KERNEL || sy < 0 || sy >= int(source_height())) continue;
                for (uint v = 0; v < TAPS; v++) {
                    int sx = tap_source(x, v);
                    uint j = tap_kernel(x, v);
                    if (j >= KERNEL || sx < 0 || sx >= int(source_width())) continue;
                    uint at = ((n * source_channels() + s) * source_height() + uint(sy)) * source_width() + uint(sx);
                    sum = fma(source[at], w[weight_index(c, s, i, j)], sum);
                }
            }
        destination[e] = activate(ACTIVATION, sum);
    }
}
