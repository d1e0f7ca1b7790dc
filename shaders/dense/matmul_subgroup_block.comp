#version 450
// Matmul variant 5: a subgroup computes a 2-D block of register tiles and loads both slabs once
// between its lanes (matmul_subgroup_block.glsl), with vec4 loads.
#include "common.glsl"
#include "matmul_subgroup_block.glsl"
