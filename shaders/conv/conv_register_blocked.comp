#version 450
// Convolution gather or scatter, variant 2: an implicit GEMM with register blocking
// (conv_register_blocked.glsl), each invocation loading the weights of its tile itself.
#include "common.glsl"

layout(local_size_x_id = 0) in;

#define WEIGHT_LANES 1u
uint tile_invocation() { return gl_GlobalInvocationID.x; }
#include "conv_register_blocked.glsl"

void load_tap_weights(uint slot, uint c0, uint source_channel, uint ki) {
    uint last_channel = destination_channels() - 1;
    [[unroll]] for (uint kj = 0; kj < KERNEL; kj++)
        [[unroll]] for (uint i = 0; i < TILE_C; i++) weights[slot][kj][i] = w[weight_index(min(c0 + i, last_channel), source_channel, ki, kj)];
}
