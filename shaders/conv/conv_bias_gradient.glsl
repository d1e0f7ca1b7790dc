// The channel sums of the conv bias gradient, shared by conv_bias_gradient.comp and
// conv_bias_activation_gradient.comp: dbias[c] = sum over n, y, x of g[n, c, y, x], g NCHW (the
// bias gradient of Conv2d, over its narrow output, and of ConvTranspose2d, over its wide output).
// One workgroup per channel: invocation k sums pixels k, k + W, k + 2W, ... of image 0, then of
// image 1, and so on (with VECTOR, groups of four pixels read as vec4s, one sum per component,
// added (x + y) + (z + w) at the end), then workgroup_sum adds the W partial sums in a fixed tree:
// deterministic, no atomics. (Nested loops rather than one flat index: integer division is scalar
// code on a CPU driver.)
//
// The includer declares, before including this file, the constant VECTOR and the functions
// `float gradient_at(uint i)` and `vec4 gradient4_at(uint i)`: element i (vec4 i) of the
// gradient being summed, computed and stored on the way by a fused kernel.

#include "../reduce/workgroup_sum.glsl"

layout(set = 0, binding = BIAS_GRADIENT_BINDING) writeonly buffer DBias { float dbias[]; };
layout(push_constant) uniform Push { uint batch; uint channels; uint pixels; };

void main() {
    uint c = gl_WorkGroupID.x;
    float partial = 0.0;
    if (VECTOR) {
        vec4 partials = vec4(0.0);
        uint quads = pixels / 4u;
        for (uint n = 0; n < batch; n++) {
            uint plane = (n * channels + c) * quads;
            for (uint q = gl_LocalInvocationID.x; q < quads; q += gl_WorkGroupSize.x) partials += gradient4_at(plane + q);
        }
        partial = (partials.x + partials.y) + (partials.z + partials.w);
    } else {
        for (uint n = 0; n < batch; n++) {
            uint plane = (n * channels + c) * pixels;
            for (uint p = gl_LocalInvocationID.x; p < pixels; p += gl_WorkGroupSize.x) partial += gradient_at(plane + p);
        }
    }
    float sum = workgroup_sum(partial);
    if (gl_LocalInvocationID.x == 0) dbias[c] = sum;
}
