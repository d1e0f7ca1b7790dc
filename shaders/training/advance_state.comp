#version 450
// Moves the training state (see training_state.glsl) on by one step: the next batch, and, for a
// training step, the next optimizer step and its learning rate from the schedule
// (learning_rate_schedule.glsl), so no step waits on the host for its rate.
// One invocation; dispatched once per recorded step.
#include "common.glsl"
#include "training_state.glsl"
#include "learning_rate_schedule.glsl"

layout(local_size_x = 1) in;

layout(set = 0, binding = 0) buffer State { uint state[]; };
layout(push_constant) uniform Push {
    uint optimizer_steps;   // 1 for a training step, 0 for an evaluation batch
    uint schedule;          // SCHEDULE_*
    float base_rate;
    uint warmup_steps;
    uint total_steps;
    uint decay_every_steps; // SCHEDULE_STEP: at least 1
    float decay_factor;
};

void main() {
    state[STATE_BATCH] += 1u;
    if (optimizer_steps == 0u) return;
    uint t = state[STATE_OPTIMIZER_STEP] + optimizer_steps;
    state[STATE_OPTIMIZER_STEP] = t;
    float scale = uintBitsToFloat(state[STATE_LEARNING_RATE_SCALE]);
    state[STATE_LEARNING_RATE] = floatBitsToUint(scheduled_learning_rate(schedule, base_rate, scale, t, warmup_steps, total_steps,
                                                                         decay_every_steps, decay_factor));
}
