#version 450
// normals[i] ~ N(0, 1) for i < count, drawn for the current training step (step_normals.glsl).
// Layout: a flat tensor; each invocation draws one Philox block, elements 4b .. 4b + 3.
#include "common.glsl"
#include "step_normals.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) writeonly buffer Normals { float normals[]; };
layout(set = 0, binding = 1) readonly buffer TrainingState { uint training_state[]; };
layout(push_constant) uniform Push { uint count; uint seed; uint stream; };

void main() {
    uint optimizer_step = training_state[STATE_OPTIMIZER_STEP];
    uint batch = training_state[STATE_BATCH];
    uint blocks = normal_blocks(count);
    GRID_STRIDE_LOOP(block, blocks) {
        vec4 n = step_normals(seed, stream, block, optimizer_step, batch);
        [[unroll]] for (uint k = 0u; k < 4u; k++) {
            uint i = block * 4u + k;
            if (i < count) normals[i] = n[k];
        }
    }
}
