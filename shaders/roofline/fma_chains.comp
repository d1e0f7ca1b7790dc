#version 450
// The device's FMA ceiling (`vae bench --suite roofline`): invocation i runs CHAINS independent
// vec4 chains x_c <- fma(x_c, scale, offset[c]) for `steps` steps, so the loop is FMAs and little
// else, and the chains are independent so the FMA latency hides behind the other chains.
// Nothing is loaded inside the loop: the start values come from the invocation index, the offsets
// are read once. result[i] = sum over c of x_c.x + x_c.y + x_c.z + x_c.w, in that order, so the
// compiler cannot drop a chain and the host can check every invocation (RooflineReference).
//
// With scale = 0.5 every product is exact, so fma and a separate multiply and add give the same
// bits (lavapipe 22.3 emits fma() as a vmulps and a vaddps); the chains converge to 2 * offset[c].
//
// A CPU driver pays for every loop iteration (an exec-mask blend of each loop-carried value, the
// loop test), so STEPS_PER_ITERATION steps are unrolled in each; which count and how many chains
// reach the peak depends on how its compiler schedules them, so the host tries several.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint CHAINS = 4;
layout(constant_id = 2) const uint STEPS_PER_ITERATION = 4;

layout(set = 0, binding = 0) readonly buffer Offsets { float offsets[]; };
layout(set = 0, binding = 1) writeonly buffer Result { float result[]; };
layout(push_constant) uniform Push { uint invocations; uint steps; float scale; };

// The start of chain c in invocation i: small distinct values, exact in float.
vec4 start(uint i, uint c) { return vec4(i % 61u, c, i % 7u, 1u) * 0.125; }

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= invocations) return;
    // Read once here: on lavapipe a push constant read inside the loop is a load per iteration.
    uint step_count = steps;
    vec4 factor = vec4(scale);
    vec4 x[CHAINS];
    float offset[CHAINS];
    [[unroll]] for (uint c = 0; c < CHAINS; c++) {
        x[c] = start(i, c);
        offset[c] = offsets[c];
    }
    uint s = 0;
    for (; s + STEPS_PER_ITERATION <= step_count; s += STEPS_PER_ITERATION)
        [[unroll]] for (uint u = 0; u < STEPS_PER_ITERATION; u++)
            [[unroll]] for (uint c = 0; c < CHAINS; c++) x[c] = fma(x[c], factor, vec4(offset[c]));
    for (; s < step_count; s++)
        [[unroll]] for (uint c = 0; c < CHAINS; c++) x[c] = fma(x[c], factor, vec4(offset[c]));
    float sum = 0.0;
    [[unroll]] for (uint c = 0; c < CHAINS; c++) sum += ((x[c].x + x[c].y) + x[c].z) + x[c].w;
    result[i] = sum;
}
