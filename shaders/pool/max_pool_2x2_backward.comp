#version 450
// dx[i] = dy[window of i] when x[i] is its window's arg-max (max_pool_2x2.glsl), else 0; elements
// in no window (an odd last row or column) get 0. Every dx element is written, none accumulated.
// One invocation per window: it finds the arg-max once and writes the window's four elements, and
// the windows on the last row and column also write the odd row or column beside them. Windows do
// not overlap, so no two invocations write the same element; and one index decomposition per
// window rather than per element matters where integer division is emulated lane by lane (CPUs).
// Layout: x, dx [planes, height, width], dy [planes, height / 2, width / 2], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "max_pool_2x2.glsl"

layout(set = 0, binding = 1) readonly buffer OutputGrad { float dy[]; };
layout(set = 0, binding = 2) writeonly buffer InputGrad { float dx[]; };
layout(set = 0, binding = 2) writeonly buffer InputGrad2 { vec2 dx2[]; }; // window rows as vec2 when EVEN_SHAPE

void main() {
    uint out_height = height / 2u;
    uint out_width = width / 2u;
    GRID_STRIDE_LOOP(o, planes * out_height * out_width) {
        uint row = o / out_width, ow = o - row * out_width;
        uint top_left = window_top_left(row, ow);
        uint best = window_argmax(window_values(top_left));
        vec4 routed = vec4(0.0);
        routed[best] = dy[o];
        if (EVEN_SHAPE) {
            dx2[top_left / 2u] = routed.xy;
            dx2[(top_left + width) / 2u] = routed.zw;
            continue; // no odd last row or column
        }
        dx[top_left] = routed.x;
        dx[top_left + 1u] = routed.y;
        dx[top_left + width] = routed.z;
        dx[top_left + width + 1u] = routed.w;
        bool last_column = ow == out_width - 1u && (width & 1u) == 1u;
        bool last_row = row % out_height == out_height - 1u && (height & 1u) == 1u;
        if (last_column) {
            dx[top_left + 2u] = 0.0;
            dx[top_left + width + 2u] = 0.0;
        }
        if (last_row) {
            dx[top_left + 2u * width] = 0.0;
            dx[top_left + 2u * width + 1u] = 0.0;
            if (last_column) dx[top_left + 2u * width + 2u] = 0.0;
        }
    }
}
