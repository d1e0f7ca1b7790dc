#version 450
// Matmul variant 6: variant 5 (matmul_subgroup_block.glsl) with each vec4 of a slab read as one
// u64vec2 (INT64_LOADS, matmul_register_blocked.glsl). Needs the shaderInt64 feature.
//
// Why: lavapipe 22.3 loads a storage buffer component by component, lane by lane, each with a
// bounds check; two 64-bit components cost about half of four 32-bit ones. Measured on lavapipe
// (AMD EPYC, 2 cores, a machine loaded by other builds, so CPU time per dispatch, best of 30-40,
// back to back with variant 5 in one process), fc-vae's 784->400 layer, 16 x 8 tiles: forward
// 128x400x784 3.2-3.4 ms against 3.8-4.3 (35-38% of the FMA peak in CPU time, against 28-31%),
// dX 3.6 against 4.2, dW 5.2 against 6.3. Tried and not kept: slabs 8 deep read as u64vec4 (no
// gain that showed above the noise) and 32 x 8 or 16 x 16 tiles (no better than 16 x 8).
#include "common.glsl"
#define INT64_LOADS
#include "matmul_subgroup_block.glsl"
