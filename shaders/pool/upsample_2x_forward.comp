#version 450
// Nearest-neighbour 2x upsampling: y[plane, oh, ow] = x[plane, oh / 2, ow / 2].
// Layout: x [planes, height, width], y [planes, 2 height, 2 width], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Input { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Output { float y[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; };

void main() {
    uint out_width = 2u * width;
    GRID_STRIDE_LOOP(o, planes * height * 4u * width) {
        uint row = o / out_width; // plane * 2 height + oh
        uint ow = o % out_width;
        y[o] = x[(row / 2u) * width + ow / 2u];
    }
}
