#version 450
// First pass of the global gradient norm of torch.nn.utils.clip_grad_norm_, over a flat array of
// `count` gradients (a model's gradient arena): workgroup w writes
//   partials[w] = the sum of g[i]^2 over the elements its invocations visit,
// each invocation walking its elements in index order (GRID_STRIDE_LOOP: i = its global index,
// then + the grid size), then workgroup_sum adding the invocations' sums in a fixed tree.
// gradient_clip_scale.comp adds the partials in a fixed order too: no atomics, so the norm has the
// same bits on every run on one device. `precise` keeps each g * g rounded before it is added (no
// fused multiply-add), so the CPU reference (GradientClipReference) gives the same bits.
// With VECTOR set (see common.glsl) an invocation reads vec4s, keeps one sum per component, and
// ends with (x + y) + (z + w).
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool VECTOR = false;
#include "../reduce/workgroup_sum.glsl"

layout(set = 0, binding = 0) readonly buffer Gradients { float g[]; };
layout(set = 0, binding = 0) readonly buffer Gradients4 { vec4 g4[]; };
layout(set = 0, binding = 1) writeonly buffer Partials { float partials[]; };
layout(push_constant) uniform Push { uint count; };

void main() {
    precise float sum = 0.0;
    if (VECTOR) {
        precise vec4 sums = vec4(0.0);
        GRID_STRIDE_LOOP(i, count / 4u) sums += g4[i] * g4[i];
        sum = (sums.x + sums.y) + (sums.z + sums.w);
    } else {
        GRID_STRIDE_LOOP(i, count) sum += g[i] * g[i];
    }
    float total = workgroup_sum(sum);
    if (gl_LocalInvocationID.x == 0) partials[gl_WorkGroupID.x] = total;
}
