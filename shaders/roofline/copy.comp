#version 450
// destination[i] = source[i] for i < count, in vec4 groups: the bandwidth a shader reaches on
// this device (`vae bench --suite roofline`), beside vkCmdCopyBuffer's.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Source { vec4 source[]; };
layout(set = 0, binding = 1) writeonly buffer Destination { vec4 destination[]; };
layout(push_constant) uniform Push { uint count; }; // in vec4 groups

void main() {
    GRID_STRIDE_LOOP(i, count) destination[i] = source[i];
}
