// Matmul variants 5 and 6 (matmul_subgroup_block.comp, matmul_subgroup_block_int64.comp): variant 2's register-blocked tile (matmul_register_blocked.glsl), with a
// subgroup computing a LANE_ROWS x LANE_COLS block of tiles and BOTH slabs shared by shuffles.
//
// Why: on a CPU driver (lavapipe 22.3) a storage-buffer load is a loop over the lanes with a
// bounds check per component, some 45 instructions per vec4 and lane against 2 for an FMA, so
// what counts is how many values a subgroup loads per FMA. Variant 4 shares one slab: a run of
// tiles along a row loads the A slab once but still one B slab per lane. Here lane l is tile
// (r, c) = (l / LANE_COLS, l % LANE_COLS) of the subgroup's block; the lanes (r, *) load the
// TILE_M rows of their tile row between them, in groups of 4 (lane (r, c) groups c,
// c + LANE_COLS, ...), and the lanes (*, c) the TILE_N columns of their tile column (lane (r, c)
// groups r, r + LANE_ROWS, ...). Each row and column of the block's slabs is loaded once: per K
// slab, LANE_ROWS * TILE_M + LANE_COLS * TILE_N vec4 loads for the whole subgroup. With 8 lanes
// and 16 x 8 tiles that is 64 loads for 4096 FMAs, against variant 4's 72 for 2048 (8 x 8).
// A group is 4 vec4 loads along whichever dimension is contiguous, so one load per row or column
// also when K is not (dW's A, dX's B). Every lane takes the rows and columns of its own tile by
// subgroupShuffle from a lane that is a fixed function of its own (same tile row, or same tile
// column): lavapipe's invocation index is a constant vector, so that folds to one permute each.
//
// Subgroups walk the blocks; lanes whose tile lies past M or N compute on clamped (in-bounds)
// rows and columns and store nothing, so the whole subgroup stays together at every shuffle.
// Needs compute-stage subgroup shuffles and a workgroup of whole subgroups (1-D, size constant 0);
// LANE_ROWS * LANE_COLS = SUBGROUP_SIZE (the host derives both from the device's subgroup size).
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_shuffle : enable

layout(local_size_x_id = 0, local_size_y_id = 1) in;
#include "matmul_register_blocked.glsl"
layout(constant_id = 8) const uint SUBGROUP_SIZE = 8;
layout(constant_id = 9) const uint LANE_ROWS = 2;

const uint LANE_COLS = SUBGROUP_SIZE / LANE_ROWS;
// Lanes load groups of 4 consecutive rows (or columns): 4 vec4 loads along whichever dimension is
// contiguous, so one load per row also when K is not (dW's A, dX's B).
const uint A_ROUNDS = ((TILE_M + 3) / 4 + LANE_COLS - 1) / LANE_COLS;
const uint B_ROUNDS = ((TILE_N + 3) / 4 + LANE_ROWS - 1) / LANE_ROWS;
vec4 group[4]; // the 4 rows or columns of a slab this lane loads in one round

DEFINE_SLAB_LOADER(load_a_group, a, a_vec4, group, 4, !TRANSPOSE_A, VECTOR_A, M)
DEFINE_SLAB_LOADER(load_b_group, b, b_vec4, group, 4, TRANSPOSE_B, VECTOR_B, N)

void load_slabs(uint row0, uint col0, uint k) {
    uint lane = gl_SubgroupInvocationID;
    uint r = lane / LANE_COLS, c = lane % LANE_COLS;
    vec4 rows[4 * A_ROUNDS], cols[4 * B_ROUNDS];
    [[unroll]] for (uint q = 0; q < A_ROUNDS; q++) {
        load_a_group(row0 + 4 * (q * LANE_COLS + c), k);
        [[unroll]] for (uint t = 0; t < 4; t++) rows[4 * q + t] = group[t];
    }
    [[unroll]] for (uint q = 0; q < B_ROUNDS; q++) {
        load_b_group(col0 + 4 * (q * LANE_ROWS + r), k);
        [[unroll]] for (uint t = 0; t < 4; t++) cols[4 * q + t] = group[t];
    }
    // Row i of this tile is in group i / 4, loaded by lane (r, i / 4 % LANE_COLS) in round
    // i / 4 / LANE_COLS; column j by lane (j / 4 % LANE_ROWS, c) in round j / 4 / LANE_ROWS.
    [[unroll]] for (uint i = 0; i < TILE_M; i++)
        a_slab[i] = subgroupShuffle(rows[4 * (i / 4 / LANE_COLS) + i % 4], r * LANE_COLS + i / 4 % LANE_COLS);
    [[unroll]] for (uint j = 0; j < TILE_N; j++)
        b_slab[j] = subgroupShuffle(cols[4 * (j / 4 / LANE_ROWS) + j % 4], (j / 4 % LANE_ROWS) * LANE_COLS + c);
}

void main() {
    uint block_rows = LANE_ROWS * TILE_M, block_cols = LANE_COLS * TILE_N;
    uint row_blocks = (M + block_rows - 1) / block_rows, col_blocks = (N + block_cols - 1) / block_cols;
    uint lane = gl_SubgroupInvocationID;
    uint r = lane / LANE_COLS, c = lane % LANE_COLS;
    uint first = gl_WorkGroupID.x * gl_NumSubgroups + gl_SubgroupID;
    for (uint block = first; block < row_blocks * col_blocks; block += gl_NumWorkGroups.x * gl_NumSubgroups) {
        uint row0 = block / col_blocks * block_rows + r * TILE_M;
        uint col0 = block % col_blocks * block_cols + c * TILE_N;
        multiply_tile(row0, col0, true);
    }
}
