#version 450
// Matmul variant 7: variant 5 (matmul_subgroup_block.glsl) with each vec4 of a slab fetched from
// an RGBA32F uniform texel buffer over A or B (TEXEL_LOADS, matmul_register_blocked.glsl;
// bindings 4 and 5). Scalar loads (K tails, shapes without vec4 loads) still read bindings 0 and 1.
#include "common.glsl"
#define TEXEL_LOADS
#include "matmul_subgroup_block.glsl"
