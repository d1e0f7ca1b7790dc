#version 450
// y[r, c] += bias[c], in place, for y row-major [rows, cols] and bias [cols].
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) buffer Y { float y[]; };
layout(set = 0, binding = 1) readonly buffer Bias { float bias[]; };
layout(push_constant) uniform Push { uint rows; uint cols; };

void main() {
    GRID_STRIDE_LOOP(i, rows * cols) y[i] += bias[i % cols];
}
