#version 450
// dx[i] = dy[i] * f'(x[i]), computed from the forward output y[i] = f(x[i]).
#include "common.glsl"
#include "activation.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint KIND = ACTIVATION_IDENTITY;
layout(constant_id = 2) const bool VECTOR = false;

layout(set = 0, binding = 0) readonly buffer Y { float y[]; };
layout(set = 0, binding = 1) readonly buffer DY { float dy[]; };
layout(set = 0, binding = 2) writeonly buffer DX { float dx[]; };
layout(set = 0, binding = 0) readonly buffer Y4 { vec4 y4[]; };
layout(set = 0, binding = 1) readonly buffer DY4 { vec4 dy4[]; };
layout(set = 0, binding = 2) writeonly buffer DX4 { vec4 dx4[]; };
layout(push_constant) uniform Push { uint count; };

void main() {
    if (VECTOR) {
        GRID_STRIDE_LOOP(i, count / 4u) dx4[i] = dy4[i] * activation_derivative(KIND, y4[i]);
    } else {
        GRID_STRIDE_LOOP(i, count) dx[i] = dy[i] * activation_derivative(KIND, y[i]);
    }
}
