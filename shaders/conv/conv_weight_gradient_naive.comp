#version 450
// Convolution correlate (backward-weight of Conv2d and ConvTranspose2d), variant 1, the readable
// reference: one invocation computes one weight-gradient element,
//   dw[a, b, i, j] = sum over n, y, x of dnarrow[n, a, y, x] * wide[n, b, y * STRIDE - padding + i, x * STRIDE - padding + j],
// summing n, then y, then x in increasing order (deterministic). Geometry and layouts: conv.glsl.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "conv.glsl"

layout(set = 0, binding = 0) readonly buffer NarrowGradient { float dnarrow[]; };
layout(set = 0, binding = 1) readonly buffer Wide { float wide[]; };
layout(set = 0, binding = 2) writeonly buffer WeightGradient { float dw[]; };

void main() {
    GRID_STRIDE_LOOP(e, narrow_channels * wide_channels * KERNEL * KERNEL) {
        uint j = e % KERNEL;
        uint i = (e / KERNEL) % KERNEL;
        uint b = (e / (KERNEL * KERNEL)) % wide_channels;
        uint a = e / (KERNEL * KERNEL * wide_channels);
        float sum = 0.0;
        for (uint n = 0; n < batch; n++)
            for (uint y = 0; y < narrow_height; y++) {
                int wy = int(y * STRIDE + i) - padding;
                if (wy < 0 || wy >= int(wide_height)) continue;
                for (uint x = 0; x < narrow_width; x++) {
                    int wx = int(x * STRIDE + j) - padding;
                    if (wx < 0 || wx >= int(wide_width)) continue;
                    float g = dnarrow[((n * narrow_channels + a) * narrow_height + y) * narrow_width + x];
                    sum = fma(g, wide[((n * wide_channels + b) * wide_height + uint(wy)) * wide_width + uint(wx)], sum);
                }
            }
        dw[e] = sum;
    }
}
