#version 450
// Convolution correlate (backward-weight), variant 2, register blocking
// (conv_weight_gradient_register_blocked.glsl), each invocation loading its gradient rows itself.
#include "common.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;

#define GRADIENT_LANES 1u
uint tile_invocation() { return gl_GlobalInvocationID.x; }
#include "conv_weight_gradient_register_blocked.glsl"

DEFINE_ROW_LOADER(load_gradient, dnarrow, dnarrow4, VECTOR_NARROW, gradient, TILE_X)

void load_gradient_rows(uint a0, uint n, uint y, uint x0) {
    [[unroll]] for (uint a = 0; a < TILE_A; a++) load_gradient(a, int(gradient_row_start(n, a0 + a, y) + x0), int(x0), narrow_width);
}
