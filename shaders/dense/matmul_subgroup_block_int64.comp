#version 450
// Matmul variant 6: variant 5 (matmul_subgroup_block.glsl) with each vec4 of a slab read as one
// u64vec2 (INT64_LOADS, matmul_register_blocked.glsl). Needs the shaderInt64 feature.
#include "common.glsl"
#define INT64_LOADS
#include "matmul_subgroup_block.glsl"
