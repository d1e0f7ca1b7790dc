#version 450
// dbias[c] = sum over n, y, x of dy[n, c, y, x], dy NCHW (the bias gradient of Conv2d, over its
// narrow output, and of ConvTranspose2d, over its wide output). One workgroup per channel:
// invocation k sums pixels k, k + W, k + 2W, ... of image 0, then of image 1, and so on, then
// workgroup_sum adds the W partial sums in a fixed tree: deterministic, no atomics. (Nested loops
// rather than one flat index: integer division is scalar code on a CPU driver.)
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "../reduce/workgroup_sum.glsl"

layout(set = 0, binding = 0) readonly buffer Dy { float dy[]; };
layout(set = 0, binding = 1) writeonly buffer DBias { float dbias[]; };
layout(push_constant) uniform Push { uint batch; uint channels; uint pixels; };

void main() {
    uint c = gl_WorkGroupID.x;
    float partial = 0.0;
    for (uint n = 0; n < batch; n++) {
        uint plane = (n * channels + c) * pixels;
        for (uint p = gl_LocalInvocationID.x; p < pixels; p += gl_WorkGroupSize.x) partial += dy[plane + p];
    }
    float sum = workgroup_sum(partial);
    if (gl_LocalInvocationID.x == 0) dbias[c] = sum;
}
