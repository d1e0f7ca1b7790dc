#version 450
// Second pass of torch.nn.utils.clip_grad_norm_: ONE workgroup adds the `count` partial sums of
// gradient_norm_partials.comp in a fixed order (invocation k: partials k, k + W, ... in order, then
// workgroup_sum's tree), and writes into the training state
//   total_norm = sqrt(sum of g^2)
//   scale      = min(max_norm / (total_norm + 1e-6), 1)    (clip_coef, clamped to 1)
// for adam.comp, which multiplies every gradient by `scale` as it reads it.
#include "common.glsl"
#include "training_state.glsl"

layout(local_size_x_id = 0) in;
#include "../reduce/workgroup_sum.glsl"

layout(set = 0, binding = 0) readonly buffer Partials { float partials[]; };
layout(set = 0, binding = 1) writeonly buffer TrainingState { uint training_state[]; };
layout(push_constant) uniform Push {
    uint count;
    float max_norm;
};

void main() {
    float sum = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < count; i += gl_WorkGroupSize.x) sum += partials[i];
    float total = workgroup_sum(sum);
    if (gl_LocalInvocationID.x == 0) {
        float total_norm = sqrt(total);
        training_state[STATE_GRADIENT_NORM] = floatBitsToUint(total_norm);
        training_state[STATE_GRADIENT_SCALE] = floatBitsToUint(min(max_norm / (total_norm + 1e-6), 1.0));
    }
}
