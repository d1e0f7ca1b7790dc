#version 450
// Moves the training state (see training_state.glsl) on by one step: the next batch, and, for a
// training step, the next optimizer step. One invocation; dispatched once per recorded step.
#include "common.glsl"
#include "training_state.glsl"

layout(local_size_x = 1) in;

layout(set = 0, binding = 0) buffer State { uint state[]; };
layout(push_constant) uniform Push { uint optimizerSteps; };

void main() {
    state[STATE_BATCH] += 1u;
    state[STATE_OPTIMIZER_STEP] += optimizerSteps;
}
