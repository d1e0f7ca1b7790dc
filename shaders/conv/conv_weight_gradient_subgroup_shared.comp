#version 450
// Convolution correlate (backward-weight), variant 3: variant 2's register blocking
// (conv_weight_gradient_register_blocked.glsl), with the narrow gradient rows loaded once per
// subgroup and shared by shuffles. The tiles of a subgroup share their narrow channels (the work
// order pads the wide tiles to the subgroup size), so invocation l loads gradient rows l,
// l + SUBGROUP_SIZE, ... of the TILE_A, and every invocation reads all of them by subgroupShuffle.
// Needs what conv_subgroup_shared.comp needs: compute-stage shuffles and whole subgroups.
#include "common.glsl"
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_shuffle : enable

layout(local_size_x_id = 0, local_size_y_id = 1) in;
layout(constant_id = 10) const uint SUBGROUP_SIZE = 8;

#define GRADIENT_LANES SUBGROUP_SIZE
uint tile_invocation() { return (gl_WorkGroupID.x * gl_NumSubgroups + gl_SubgroupID) * gl_SubgroupSize + gl_SubgroupInvocationID; }
#include "conv_weight_gradient_register_blocked.glsl"

const uint ROUNDS = (TILE_A + SUBGROUP_SIZE - 1) / SUBGROUP_SIZE;
float mine[ROUNDS][TILE_X];
DEFINE_ROW_LOADER(load_own_row, dnarrow, dnarrow4, VECTOR_NARROW, mine, TILE_X)

void load_gradient_rows(uint a0, uint n, uint y, uint x0) {
    [[unroll]] for (uint r = 0; r < ROUNDS; r++)
        load_own_row(r, int(gradient_row_start(n, a0 + r * SUBGROUP_SIZE + gl_SubgroupInvocationID, y) + x0), int(x0), narrow_width);
    [[unroll]] for (uint a = 0; a < TILE_A; a++)
        [[unroll]] for (uint m = 0; m < TILE_X; m++) gradient[a][m] = subgroupShuffle(mine[a / SUBGROUP_SIZE][m], a % SUBGROUP_SIZE);
}
