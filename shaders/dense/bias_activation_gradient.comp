#version 450
// The backward of an activation y = f(z) that follows a dense layer's output z = x W^T + b, fused
// with the layer's bias gradient; all [rows, cols] row-major:
//   dz[r, c] = dy[r, c] * f'(y[r, c])     (f' from the output, as activation_backward.comp)
//   dbias[c] = sum over r of dz[r, c]     (bias_gradient.glsl: in row order, no atomics)
// One pass reads dy and y and writes dz, which the weight and input gradients then read; the
// separate passes (activation_backward.comp, then bias_gradient.comp reading dz again) cost a
// dispatch and a read of dz more. With VECTOR, everything moves as vec4s: on a CPU driver, which
// pays per load lane by lane, the scalar path is slower than the two passes it replaces.
#include "common.glsl"
#include "activation.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint KIND = ACTIVATION_IDENTITY;
layout(constant_id = 2) const bool VECTOR = false;

layout(set = 0, binding = 0) readonly buffer Y { float y[]; };
layout(set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(set = 0, binding = 2) writeonly buffer Dz { float dz[]; };
layout(set = 0, binding = 0) readonly buffer Y4 { vec4 y4[]; };
layout(set = 0, binding = 1) readonly buffer Dy4 { vec4 dy4[]; };
layout(set = 0, binding = 2) writeonly buffer Dz4 { vec4 dz4[]; };

float gradient_at(uint i) {
    float g = dy[i] * activation_derivative(KIND, y[i]);
    dz[i] = g;
    return g;
}

vec4 gradient4_at(uint i) {
    vec4 g = dy4[i] * activation_derivative(KIND, y4[i]);
    dz4[i] = g;
    return g;
}

#define BIAS_GRADIENT_BINDING 3
#include "bias_gradient.glsl"
