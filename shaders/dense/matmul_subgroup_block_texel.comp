#version 450
// Matmul variant 7: variant 5 (matmul_subgroup_block.glsl) with each vec4 of a slab fetched from
// an RGBA32F uniform texel buffer over A or B (TEXEL_LOADS, matmul_register_blocked.glsl;
// bindings 4 and 5). Scalar loads (K tails, shapes without vec4 loads) still read bindings 0 and 1.
//
// Why: lavapipe 22.3 loads a storage buffer component by component, lane by lane, each with a
// bounds check (variant 6 halves that with 64-bit components); a texel fetch reads the 16 bytes
// whole with one bounds check per lane. Measured on lavapipe (AMD EPYC, 2 cores, a machine loaded
// by other builds, load average 50-60, so process CPU time per dispatch, median of 9 rounds of
// 8 runs, back to back with variant 6 in one process), fc-vae's 784->400 layer, 16 x 8 tiles:
// forward 128x400x784 2.6-3.2 ms against 3.2-4.0 (variant 6), dX 2.2-3.3 against 3.5-6.3, dW
// 4.0-5.6 against 5.2-7.9. Taller tiles (32 x 8, 24 x 8, 32 x 4) gain another 5-10% on the
// forward and dX products and lose as much on dW; 16 x 16 is no better: 16 x 8 stays the default
// and `vae tune` picks per shape.
#include "common.glsl"
#define TEXEL_LOADS
#include "matmul_subgroup_block.glsl"
