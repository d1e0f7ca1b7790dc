#version 450
// y[plane, oh, ow] = max of the 2x2 window of x at rows 2 oh.., columns 2 ow.. (max_pool_2x2.glsl).
// Layout: x [planes, height, width], y [planes, height / 2, width / 2], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "max_pool_2x2.glsl"

layout(set = 0, binding = 1) writeonly buffer Output { float y[]; };

void main() {
    uint out_width = width / 2u;
    GRID_STRIDE_LOOP(o, planes * (height / 2u) * out_width) {
        uint row = o / out_width, ow = o - row * out_width;
        vec4 values = window_values(window_top_left(row, ow));
        y[o] = values[window_argmax(values)];
    }
}
