#version 450
// The corruption of a denoising autoencoder's input, for i < count:
//   noisy[i] = clamp(clean[i] + noise_factor * n[i], 0, 1),  n[i] ~ N(0, 1)
// with n drawn for the current training step (each_step_normal.glsl), so each step sees new noise.
// Layout: flat tensors (any shape, e.g. [batch, pixels]).
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Clean { float clean[]; };
layout(set = 0, binding = 1) writeonly buffer Noisy { float noisy[]; };
layout(set = 0, binding = 2) readonly buffer TrainingState { uint training_state[]; };
layout(push_constant) uniform Push { uint count; float noise_factor; uint seed; uint stream; };
#include "each_step_normal.glsl"

void use_normal(uint i, float n) { noisy[i] = clamp(clean[i] + noise_factor * n, 0.0, 1.0); }
