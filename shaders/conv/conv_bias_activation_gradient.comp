#version 450
// The backward of an activation y = f(z) that follows a convolution's output z (Conv2d or
// ConvTranspose2d, bias included), fused with the convolution's bias gradient; all NCHW:
//   dz[n, c, y, x] = dy[n, c, y, x] * f'(y[n, c, y, x])   (f' from the output, as activation_backward.comp)
//   dbias[c]       = sum over n, y, x of dz[n, c, y, x]    (conv_bias_gradient.glsl: fixed order, no atomics)
// One pass reads dy and y and writes dz, which the weight and input gradients then read; the
// separate passes (activation_backward.comp, then conv_bias_gradient.comp reading dz again) cost
// a dispatch and a read of dz more. With VECTOR (images of a multiple of 4 pixels), everything
// moves as vec4s: on a CPU driver, which pays per load lane by lane, the scalar path is slower
// than the two passes it replaces.
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
#include "conv_bias_gradient.glsl"
