#version 450
// Matmul variant 4: variant 2's register-blocked tile (matmul_register_blocked.glsl), with the
// slab that a subgroup's tiles have in common loaded once and shared by shuffles.
//
// Tiles map to invocations through subgroups: with SHARE_A, each aligned run of SUBGROUP_SIZE
// tiles is one row of tiles (one row0, consecutive col0), so all need the same A slab; invocation
// l loads its rows l, l + SUBGROUP_SIZE, ... and the others take them by subgroupShuffle, while each
// loads its own B slab. Without SHARE_A the roles swap (a run is a column of tiles, sharing the B
// slab). The host shares the operand whose tiles are fewer, so the other dimension, padded to
// whole subgroups, wastes little. Padding tiles compute like the others and store nothing, so a
// subgroup's invocations stay together at every shuffle. On a CPU driver a storage load is a loop
// over the lanes and a shuffle one permute; on a GPU this saves redundant loads of one address.
//
// Needs compute-stage subgroup shuffles and a workgroup of whole subgroups (1-D, size constant 0).
#include "common.glsl"
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_shuffle : enable

layout(local_size_x_id = 0, local_size_y_id = 1) in;
#include "matmul_register_blocked.glsl"
layout(constant_id = 8) const uint SUBGROUP_SIZE = 8;
layout(constant_id = 9) const bool SHARE_A = true;

const uint SHARED_TILE = SHARE_A ? TILE_M : TILE_N;
const uint ROUNDS = (SHARED_TILE + SUBGROUP_SIZE - 1) / SUBGROUP_SIZE;
vec4 own[1]; // the row or column of the shared slab this invocation loads

// Row (SHARE_A) or column of the shared slab, loaded by one invocation: 1 vec4 when K is contiguous.
DEFINE_SLAB_LOADER(load_a_row, a, a_vec4, own, 1, !TRANSPOSE_A, VECTOR_A && !TRANSPOSE_A, M)
DEFINE_SLAB_LOADER(load_b_column, b, b_vec4, own, 1, TRANSPOSE_B, VECTOR_B && TRANSPOSE_B, N)
DEFINE_SLAB_LOADER(load_a_slab, a, a_vec4, a_slab, TILE_M, !TRANSPOSE_A, VECTOR_A, M)
DEFINE_SLAB_LOADER(load_b_slab, b, b_vec4, b_slab, TILE_N, TRANSPOSE_B, VECTOR_B, N)

void load_slabs(uint row0, uint col0, uint k) {
    vec4 loaded[ROUNDS];
    [[unroll]] for (uint r = 0; r < ROUNDS; r++) {
        uint offset = r * SUBGROUP_SIZE + gl_SubgroupInvocationID;
        if (SHARE_A) load_a_row(row0 + offset, k); else load_b_column(col0 + offset, k);
        loaded[r] = own[0];
    }
    [[unroll]] for (uint i = 0; i < SHARED_TILE; i++) {
        vec4 value = subgroupShuffle(loaded[i / SUBGROUP_SIZE], i % SUBGROUP_SIZE);
        if (SHARE_A) a_slab[i] = value; else b_slab[i] = value;
    }
    if (SHARE_A) load_b_slab(col0, k); else load_a_slab(row0, k);
}

void main() {
    uint row_tiles = (M + TILE_M - 1) / TILE_M, col_tiles = (N + TILE_N - 1) / TILE_N;
    uint fast_tiles = SHARE_A ? col_tiles : row_tiles, slow_tiles = SHARE_A ? row_tiles : col_tiles;
    uint padded_fast_tiles = (fast_tiles + SUBGROUP_SIZE - 1) / SUBGROUP_SIZE * SUBGROUP_SIZE;
    uint first = (gl_WorkGroupID.x * gl_NumSubgroups + gl_SubgroupID) * gl_SubgroupSize + gl_SubgroupInvocationID;
    for (uint t = first; t < slow_tiles * padded_fast_tiles; t += gl_NumWorkGroups.x * gl_WorkGroupSize.x) {
        uint slow = t / padded_fast_tiles, fast = min(t % padded_fast_tiles, fast_tiles - 1);
        uint row0 = (SHARE_A ? slow : fast) * TILE_M, col0 = (SHARE_A ? fast : slow) * TILE_N;
        multiply_tile(row0, col0, t % padded_fast_tiles < fast_tiles);
    }
}
