#version 450
// Backward of nearest-neighbour 2x upsampling: each input element's gradient is the sum of its
// four children, added in row-major order ((top-left + top-right) + bottom-left) + bottom-right,
// the order in which PyTorch's upsample_nearest2d backward accumulates them.
// Layout: dy [planes, 2 height, 2 width], dx [planes, height, width], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer OutputGrad { float dy[]; };
layout(set = 0, binding = 1) writeonly buffer InputGrad { float dx[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; };

void main() {
    uint out_width = 2u * width;
    GRID_STRIDE_LOOP(i, planes * height * width) {
        uint row = i / width; // plane * height + h
        uint top_left = 2u * row * out_width + 2u * (i % width);
        uint bottom_left = top_left + out_width;
        dx[i] = ((dy[top_left] + dy[top_left + 1u]) + dy[bottom_left]) + dy[bottom_left + 1u];
    }
}
