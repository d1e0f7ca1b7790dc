#version 450
// normals[i] ~ N(0, 1) for i < count, drawn for the current training step (each_step_normal.glsl).
// Layout: a flat tensor.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) writeonly buffer Normals { float normals[]; };
layout(set = 0, binding = 1) readonly buffer TrainingState { uint training_state[]; };
layout(push_constant) uniform Push { uint count; uint seed; uint stream; };
#include "each_step_normal.glsl"

void use_normal(uint i, float n) { normals[i] = n; }
