#version 450
// Matmul variant 1, the readable reference: one invocation computes one output,
// C[row, col] = sum_k op(A)[row, k] * op(B)[k, col], invocation (x, y) = (col, row).
// Layout and transposes: see matmul.glsl.
#include "common.glsl"
#include "matmul.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;

void main() {
    uint col = gl_GlobalInvocationID.x;
    uint row = gl_GlobalInvocationID.y;
    if (row >= M || col >= N) return;
    float sum = 0.0;
    for (uint k = 0; k < K; k++) sum = fma(a[a_index(row, k)], b[b_index(k, col)], sum);
    store_c(row, col, sum);
}
