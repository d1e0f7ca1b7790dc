#version 450
// dbias[c] = sum over n, y, x of dy[n, c, y, x], dy NCHW (the sums: conv_bias_gradient.glsl).
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Dy { float dy[]; };

float gradient_at(uint i) { return dy[i]; }

#define BIAS_GRADIENT_BINDING 1
#include "conv_bias_gradient.glsl"
