#version 450
// dbias[c] = sum over n, y, x of dy[n, c, y, x], dy NCHW (the bias gradient of Conv2d, over its
// narrow output, and of ConvTranspose2d, over its wide output). One workgroup per channel:
// invocation k sums the channel's elements k, k + W, k + 2W, ... in order (walking image by
// image), then workgroup_sum adds the W partial sums in a fixed tree: deterministic, no atomics.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "../reduce/workgroup_sum.glsl"

layout(set = 0, binding = 0) readonly buffer Dy { float dy[]; };
layout(set = 0, binding = 1) writeonly buffer DBias { float dbias[]; };
layout(push_constant) uniform Push { uint batch; uint channels; uint pixels; };

void main() {
    uint c = gl_WorkGroupID.x;
    float partial = 0.0;
    for (uint e = gl_LocalInvocationID.x; e < batch * pixels; e += gl_WorkGroupSize.x) {
        uint n = e / pixels, p = e % pixels;
        partial += dy[(n * channels + c) * pixels + p];
    }
    float sum = workgroup_sum(partial);
    if (gl_LocalInvocationID.x == 0) dbias[c] = sum;
}
