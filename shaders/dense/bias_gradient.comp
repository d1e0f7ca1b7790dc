#version 450
// dbias[c] = sum over r of dy[r, c], for dy row-major [rows, cols] (the sums: bias_gradient.glsl).
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool VECTOR = false;

layout(set = 0, binding = 0) readonly buffer Dy { float dy[]; };
layout(set = 0, binding = 0) readonly buffer Dy4 { vec4 dy4[]; };

float gradient_at(uint i) { return dy[i]; }
vec4 gradient4_at(uint i) { return dy4[i]; }

#define BIAS_GRADIENT_BINDING 1
#include "bias_gradient.glsl"
