#version 450
// tiled[i] = source[i % period] for i < count: the source's first `period` elements repeated
// back to back (count / period copies, the last one cut short if count is not a multiple).
// Importance sampling uses it to give every sample of a chunk its image's posterior and pixels:
// with rows sample-major, one copy of [images, width] per sample.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Source { float source[]; };
layout(set = 0, binding = 1) writeonly buffer Tiled { float tiled[]; };
layout(push_constant) uniform Push { uint count; uint period; };

void main() {
    GRID_STRIDE_LOOP(i, count) tiled[i] = source[i % period];
}
