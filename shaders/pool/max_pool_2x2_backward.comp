#version 450
// dx[i] = dy[window of i] when x[i] is its window's arg-max (max_pool_2x2.glsl), else 0; elements
// in no window (an odd last row or column) get 0. Every dx element is written, none accumulated.
// One invocation per input element, so no two invocations write the same element.
// Layout: x, dx [planes, height, width], dy [planes, height / 2, width / 2], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "max_pool_2x2.glsl"

layout(set = 0, binding = 1) readonly buffer OutputGrad { float dy[]; };
layout(set = 0, binding = 2) writeonly buffer InputGrad { float dx[]; };

void main() {
    uint out_height = height / 2u;
    uint out_width = width / 2u;
    GRID_STRIDE_LOOP(i, planes * height * width) {
        uint oh = (i / width) % height / 2u;
        uint ow = i % width / 2u;
        uint plane = i / (width * height);
        bool in_window = oh < out_height && ow < out_width;
        dx[i] = in_window && window_argmax(plane, oh, ow) == i ? dy[(plane * out_height + oh) * out_width + ow] : 0.0;
    }
}
