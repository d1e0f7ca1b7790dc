#version 450
// y[r, c] += bias[c], in place, for y row-major [rows, cols] and bias [cols].
// With VECTOR (cols and both lengths multiples of 4, see common.glsl) four columns at a time.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool VECTOR = false;

layout(set = 0, binding = 0) buffer Y { float y[]; };
layout(set = 0, binding = 1) readonly buffer Bias { float bias[]; };
layout(set = 0, binding = 0) buffer Y4 { vec4 y4[]; };
layout(set = 0, binding = 1) readonly buffer Bias4 { vec4 bias4[]; };
layout(push_constant) uniform Push { uint rows; uint cols; };

void main() {
    if (VECTOR) {
        uint cols4 = cols / 4u;
        GRID_STRIDE_LOOP(i, rows * cols4) y4[i] += bias4[i % cols4];
    } else {
        GRID_STRIDE_LOOP(i, rows * cols) y[i] += bias[i % cols];
    }
}
