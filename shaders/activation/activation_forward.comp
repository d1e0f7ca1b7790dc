#version 450
// y[i] = f(x[i]) for i < count; f is specialization constant 1 (see activation.glsl).
// In place (x and y the same tensor) is not supported: bind distinct tensors.
#include "common.glsl"
#include "activation.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint KIND = ACTIVATION_IDENTITY;
layout(constant_id = 2) const bool VECTOR = false;

layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Y { float y[]; };
layout(set = 0, binding = 0) readonly buffer X4 { vec4 x4[]; };
layout(set = 0, binding = 1) writeonly buffer Y4 { vec4 y4[]; };
layout(push_constant) uniform Push { uint count; };

void main() {
    if (VECTOR) {
        GRID_STRIDE_LOOP(i, count / 4u) y4[i] = activate(KIND, x4[i]);
    } else {
        GRID_STRIDE_LOOP(i, count) y[i] = activate(KIND, x[i]);
    }
}
