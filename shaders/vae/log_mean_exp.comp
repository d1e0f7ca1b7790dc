#version 450
// out[row] = log( (1/cols) sum over k of exp(x[row, k]) ), over [rows, cols] row-major: the IWAE
// estimate of log p(x) from an image's log importance weights. Stable for any finite weights:
// the row's maximum m is taken out first, out = m + log(sum exp(x - m)) - log(cols), so no
// exp overflows and the largest term is exactly 1. A row whose weights are all -inf gives -inf.
// One invocation per row, its columns summed in order: deterministic (no atomics).
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Values { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Result { float result[]; };
layout(push_constant) uniform Push { uint rows; uint cols; };

void main() {
    GRID_STRIDE_LOOP(row, rows) {
        uint first = row * cols;
        float m = x[first];
        for (uint k = 1u; k < cols; k++) m = max(m, x[first + k]);
        if (isinf(m) && m < 0.0) {
            result[row] = m;
            continue;
        }
        float sum = 0.0;
        for (uint k = 0u; k < cols; k++) sum += exp(x[first + k] - m);
        result[row] = m + log(sum) - log(float(cols));
    }
}
