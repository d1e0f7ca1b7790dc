#version 450
// dbias[c] = sum over r of dy[r, c], for dy row-major [rows, cols]: one invocation per column
// sums its rows in order 0, 1, ..., rows - 1, so the result is deterministic (no atomics), and
// neighbouring invocations read neighbouring words of each row.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Dy { float dy[]; };
layout(set = 0, binding = 1) writeonly buffer DBias { float dbias[]; };
layout(push_constant) uniform Push { uint rows; uint cols; };

void main() {
    GRID_STRIDE_LOOP(col, cols) {
        float sum = 0.0;
        for (uint r = 0; r < rows; r++) sum += dy[r * cols + col];
        dbias[col] = sum;
    }
}
