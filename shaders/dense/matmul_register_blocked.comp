#version 450
// Matmul variant 2, register blocking (matmul_register_blocked.glsl): invocation (x, y) computes
// the TILE_M x TILE_N block of C at rows y * TILE_M.., cols x * TILE_N.., loading its slabs itself.
#include "common.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;
#include "matmul_register_blocked.glsl"

DEFINE_SLAB_LOADER(load_a_slab, a, a_vec4, a_slab, TILE_M, !TRANSPOSE_A, VECTOR_A, M)
DEFINE_SLAB_LOADER(load_b_slab, b, b_vec4, b_slab, TILE_N, TRANSPOSE_B, VECTOR_B, N)

void load_slabs(uint row0, uint col0, uint k) {
    load_a_slab(row0, k);
    load_b_slab(col0, k);
}

void main() {
    uint col0 = gl_GlobalInvocationID.x * TILE_N;
    uint row0 = gl_GlobalInvocationID.y * TILE_M;
    if (row0 >= M || col0 >= N) return;
    multiply_tile(row0, col0, true);
}
