#version 450
// Backward of nearest-neighbour 2x upsampling: each input element's gradient is the sum of its
// four children, added in row-major order ((top-left + top-right) + bottom-left) + bottom-right,
// the order in which PyTorch's upsample_nearest2d backward accumulates them.
// Layout: dy [planes, 2 height, 2 width], dx [planes, height, width], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;

// vec2 view of the output gradient: rows have even length, so a block's pairs are aligned vec2.
layout(set = 0, binding = 0) readonly buffer OutputGrad2 { vec2 dy2[]; };
layout(set = 0, binding = 1) writeonly buffer InputGrad { float dx[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; };

// One index division per element, and each 2x2 block read as two aligned vec2 (as in the forward).
void main() {
    GRID_STRIDE_LOOP(i, planes * height * width) {
        uint row = i / width; // plane * height + h
        uint top = i + row * width; // vec2 index of the block's top pair
        vec2 upper = dy2[top];
        vec2 lower = dy2[top + width];
        dx[i] = ((upper.x + upper.y) + lower.x) + lower.y;
    }
}
