#version 450
// total[0] += values[0] + ... + values[count - 1], in a fixed order: dispatched as ONE workgroup,
// invocation k sums values k, k + W, k + 2W, ... in index order, then workgroup_sum adds the W
// partial sums in a fixed tree. Bit-identical from run to run on a given device and workgroup
// size W. Meant for small totals (a batch's row losses into an epoch's loss), read back rarely.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "workgroup_sum.glsl"

layout(set = 0, binding = 0) readonly buffer Values { float values[]; };
layout(set = 0, binding = 1) buffer Total { float total[]; };
layout(push_constant) uniform Push { uint count; };

void main() {
    float partial = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < count; i += gl_WorkGroupSize.x) partial += values[i];
    float sum = workgroup_sum(partial);
    if (gl_LocalInvocationID.x == 0) total[0] += sum;
}
