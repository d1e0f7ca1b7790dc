#version 450
// Convolution gather or scatter, variant 3: variant 2's register-blocked implicit GEMM
// (conv_register_blocked.glsl), with the weights loaded once per subgroup and shared by shuffles.
//
// All the tiles of a subgroup share their weights (the work order gives each aligned run of
// SUBGROUP_SIZE tiles one channel tile and one row phase), so rather than every invocation loading the
// same KERNEL x TILE_C weights, invocation l loads weights l, l + SUBGROUP_SIZE, ... and the others
// read them with subgroupShuffle. On a CPU driver a storage load costs a loop over the lanes, a
// shuffle one permute: 1.4-2.9x faster than variant 2 on 32- and 64-channel layers on lavapipe
// (`vae bench --suite conv`). On a GPU it turns KERNEL x TILE_C loads of one address into a few
// coalesced ones.
//
// Needs compute-stage subgroup shuffles and a workgroup size that is a multiple of the subgroup
// size; SUBGROUP_SIZE is the device's (VkPhysicalDeviceSubgroupProperties::subgroupSize, which is
// gl_SubgroupSize for a SPIR-V 1.5 shader created without varying subgroup sizes).
#include "common.glsl"
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_shuffle : enable

layout(local_size_x_id = 0) in;
layout(constant_id = 12) const uint SUBGROUP_SIZE = 8;

#define WEIGHT_LANES SUBGROUP_SIZE
// Subgroups, not the implementation's invocation numbering, define the runs that share weights.
uint tile_invocation() { return (gl_WorkGroupID.x * gl_NumSubgroups + gl_SubgroupID) * gl_SubgroupSize + gl_SubgroupInvocationID; }
#include "conv_register_blocked.glsl"

const uint TAP_WEIGHTS = KERNEL * TILE_C;
const uint ROUNDS = (TAP_WEIGHTS + SUBGROUP_SIZE - 1) / SUBGROUP_SIZE;

void load_tap_weights(uint slot, uint c0, uint source_channel, uint ki) {
    uint last_channel = destination_channels() - 1;
    float mine[ROUNDS];
    [[unroll]] for (uint r = 0; r < ROUNDS; r++) {
        uint e = r * SUBGROUP_SIZE + gl_SubgroupInvocationID; // weight e is weights[e / TILE_C][e % TILE_C]
        mine[r] = e < TAP_WEIGHTS ? w[weight_index(min(c0 + e % TILE_C, last_channel), source_channel, ki, min(e / TILE_C, KERNEL - 1))] : 0.0;
    }
    [[unroll]] for (uint kj = 0; kj < KERNEL; kj++)
        [[unroll]] for (uint i = 0; i < TILE_C; i++) {
            uint e = kj * TILE_C + i;
            weights[slot][kj][i] = subgroupShuffle(mine[e / SUBGROUP_SIZE], e % SUBGROUP_SIZE);
        }
}
