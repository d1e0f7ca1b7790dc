#version 450
// First pass of the latent scatter: each point claims the square of (2 radius + 1)^2 panel pixels
// around its position with atomicMax of its index + 1, so where points overlap the highest index
// wins whatever order the invocations run in (integer atomics: deterministic).
// positions: [rows, code_size] floats, the first two components are drawn; point i is number
//   first_index + i of the whole set.
// view: [left, top, pixels_per_unit]: latent (left, top) is the panel's top-left corner, y up.
// owner: [height, width] uints, 0 = no point.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Positions { float positions[]; };
layout(set = 0, binding = 1) readonly buffer View { float view[]; };
layout(set = 0, binding = 2) buffer Owner { uint owner[]; };
layout(push_constant) uniform Push { uint rows, code_size, first_index, width, height; int radius; };

void main() {
    GRID_STRIDE_LOOP(i, rows) {
        int px = int(floor((positions[i * code_size] - view[0]) * view[2]));
        int py = int(floor((view[1] - positions[i * code_size + 1]) * view[2]));
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++) {
                int x = px + dx, y = py + dy;
                if (x >= 0 && y >= 0 && x < int(width) && y < int(height))
                    atomicMax(owner[y * int(width) + x], first_index + i + 1);
            }
    }
}
