#version 450
// Matmul variant 3, shared-memory tiling (what pays on a discrete GPU): a workgroup computes a
// BLOCK_M x BLOCK_N block of C, BLOCK_M = size.y * TILE_M, BLOCK_N = size.x * TILE_N. It walks K
// in steps of TILE_K: all invocations stage op(A)[block rows, k..k+TILE_K) and
// op(B)[k..k+TILE_K, block cols] in shared memory with loads that are consecutive in memory
// across neighbouring invocations (coalesced, whatever the transposes), then each invocation
// accumulates TILE_M x TILE_N outputs in registers from the shared tiles. An invocation owns
// rows ly + i * size.y and cols lx + j * size.x, so its neighbours read neighbouring shared
// words (no bank conflicts) and write neighbouring outputs. Out-of-range elements load as 0.
// Layout and transposes: matmul.glsl.
#include "common.glsl"
#include "matmul.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;
layout(constant_id = 4) const uint TILE_M = 4;
layout(constant_id = 5) const uint TILE_N = 4;
layout(constant_id = 6) const uint TILE_K = 16;

const uint BLOCK_M = gl_WorkGroupSize.y * TILE_M;
const uint BLOCK_N = gl_WorkGroupSize.x * TILE_N;
const uint INVOCATIONS = gl_WorkGroupSize.x * gl_WorkGroupSize.y;

shared float a_tile[TILE_K][BLOCK_M];
shared float b_tile[TILE_K][BLOCK_N];

// The e-th element a workgroup stages of a TILE_K x WIDTH tile, as (outer index, kk): the walk
// follows memory order, along K when K is the contiguous dimension, else along the outer one.
uvec2 staged_element(uint e, uint width, bool k_contiguous) {
    return k_contiguous ? uvec2(e / TILE_K, e % TILE_K) : uvec2(e % width, e / width);
}

void main() {
    uint lx = gl_LocalInvocationID.x;
    uint ly = gl_LocalInvocationID.y;
    uint local = ly * gl_WorkGroupSize.x + lx;
    uint block_row = gl_WorkGroupID.y * BLOCK_M;
    uint block_col = gl_WorkGroupID.x * BLOCK_N;

    float acc[TILE_M][TILE_N];
    [[unroll]] for (uint i = 0; i < TILE_M; i++)
        [[unroll]] for (uint j = 0; j < TILE_N; j++) acc[i][j] = 0.0;

    for (uint k0 = 0; k0 < K; k0 += TILE_K) {
        for (uint e = local; e < TILE_K * BLOCK_M; e += INVOCATIONS) {
            uvec2 at = staged_element(e, BLOCK_M, !TRANSPOSE_A);
            uint row = block_row + at.x, k = k0 + at.y;
            a_tile[at.y][at.x] = row < M && k < K ? a[a_index(row, k)] : 0.0;
        }
        for (uint e = local; e < TILE_K * BLOCK_N; e += INVOCATIONS) {
            uvec2 at = staged_element(e, BLOCK_N, TRANSPOSE_B);
            uint col = block_col + at.x, k = k0 + at.y;
            b_tile[at.y][at.x] = col < N && k < K ? b[b_index(k, col)] : 0.0;
        }
        barrier();
        [[unroll]] for (uint kk = 0; kk < TILE_K; kk++) {
            float a_values[TILE_M], b_values[TILE_N];
            [[unroll]] for (uint i = 0; i < TILE_M; i++) a_values[i] = a_tile[kk][ly + i * gl_WorkGroupSize.y];
            [[unroll]] for (uint j = 0; j < TILE_N; j++) b_values[j] = b_tile[kk][lx + j * gl_WorkGroupSize.x];
            [[unroll]] for (uint i = 0; i < TILE_M; i++)
                [[unroll]] for (uint j = 0; j < TILE_N; j++) acc[i][j] = fma(a_values[i], b_values[j], acc[i][j]);
        }
        barrier();
    }

    [[unroll]] for (uint i = 0; i < TILE_M; i++)
        [[unroll]] for (uint j = 0; j < TILE_N; j++) {
            uint row = block_row + ly + i * gl_WorkGroupSize.y, col = block_col + lx + j * gl_WorkGroupSize.x;
            if (row < M && col < N) store_c(row, col, acc[i][j]);
        }
}
