#version 450
// First pass of the latent scatter: each point claims the square of (2 radius + 1)^2 panel pixels
// around its position with atomicMax of its index + 1, so where points overlap the highest index
// wins whatever order the invocations run in (integer atomics: deterministic).
// codes: [rows, code_size] floats; point i is number first_index + i of the whole set.
// axes: [5, code_size] (see principal_axes.comp): a code x is drawn at ((x - row 2) . row 3,
//   (x - row 2) . row 4); for a 2-D latent taken as it is, rows 3 and 4 are (1, 0) and (0, 1) and row 2 is 0.
// view: [left, top, pixels_per_unit]: latent (left, top) is the panel's top-left corner, y up.
// owner: [height, width] uints, 0 = no point.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Codes { float codes[]; };
layout(set = 0, binding = 1) readonly buffer Axes { float axes[]; };
layout(set = 0, binding = 2) readonly buffer View { float view[]; };
layout(set = 0, binding = 3) buffer Owner { uint owner[]; };
layout(push_constant) uniform Push { uint rows, code_size, first_index, width, height; int radius; };

void main() {
    GRID_STRIDE_LOOP(i, rows) {
        float a = 0.0, b = 0.0;
        for (uint k = 0; k < code_size; k++) {
            float centred = codes[i * code_size + k] - axes[2u * code_size + k];
            a += centred * axes[3u * code_size + k];
            b += centred * axes[4u * code_size + k];
        }
        int px = int(floor((a - view[0]) * view[2]));
        int py = int(floor((view[1] - b) * view[2]));
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++) {
                int x = px + dx, y = py + dy;
                if (x >= 0 && y >= 0 && x < int(width) && y < int(height))
                    atomicMax(owner[y * int(width) + x], first_index + i + 1);
            }
    }
}
