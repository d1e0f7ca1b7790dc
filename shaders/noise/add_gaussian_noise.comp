#version 450
// The corruption of a denoising autoencoder's input, for i < count:
//   noisy[i] = clamp(clean[i] + noise_factor * n[i], 0, 1),  n[i] ~ N(0, 1)
// with n drawn for the current training step (step_normals.glsl), so each step sees new noise.
// Layout: flat tensors (any shape, e.g. [batch, pixels]); each invocation draws one Philox block,
// elements 4b .. 4b + 3.
#include "common.glsl"
#include "step_normals.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Clean { float clean[]; };
layout(set = 0, binding = 1) writeonly buffer Noisy { float noisy[]; };
layout(set = 0, binding = 2) readonly buffer TrainingState { uint training_state[]; };
layout(push_constant) uniform Push { uint count; float noise_factor; uint seed; uint stream; };

void main() {
    uint optimizer_step = training_state[STATE_OPTIMIZER_STEP];
    uint batch = training_state[STATE_BATCH];
    uint blocks = normal_blocks(count);
    GRID_STRIDE_LOOP(block, blocks) {
        vec4 n = step_normals(seed, stream, block, optimizer_step, batch);
        [[unroll]] for (uint k = 0u; k < 4u; k++) {
            uint i = block * 4u + k;
            if (i < count) noisy[i] = clamp(clean[i] + noise_factor * n[k], 0.0, 1.0);
        }
    }
}
