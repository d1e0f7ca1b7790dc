#version 450
// Nearest-neighbour 2x upsampling: y[plane, oh, ow] = x[plane, oh / 2, ow / 2].
// Layout: x [planes, height, width], y [planes, 2 height, 2 width], NCHW row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Input { float x[]; };
// vec2 view of the output: an output row has an even length, so each input element's two
// copies in a row are one aligned vec2.
layout(set = 0, binding = 1) writeonly buffer Output2 { vec2 y2[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; };

// One invocation per input element, writing its 2x2 block: one index division per four outputs
// (integer division is emulated lane by lane on a CPU driver) and two vec2 stores.
void main() {
    GRID_STRIDE_LOOP(i, planes * height * width) {
        uint row = i / width; // plane * height + h; output rows 2 row and 2 row + 1
        uint top = i + row * width; // (2 row * 2 width + 2 (i - row width)) / 2
        vec2 value = vec2(x[i]);
        y2[top] = value;
        y2[top + width] = value;
    }
}
