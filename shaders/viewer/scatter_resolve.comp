#version 450
// Second pass of the latent scatter: each panel pixel takes the colour of its owning point's
// class, palette[label % palette_size], or the background where no point landed.
// owner: [height, width] (see scatter_splat.comp). labels: one uint per point.
// frame: see frame.glsl.
#include "common.glsl"
#include "frame.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;

layout(set = 0, binding = 0) readonly buffer Owner { uint owner[]; };
layout(set = 0, binding = 1) readonly buffer Labels { uint labels[]; };
layout(set = 0, binding = 2) readonly buffer Palette { uint palette[]; };
layout(set = 0, binding = 3) writeonly buffer Frame { uint frame[]; };
layout(push_constant) uniform Push {
    int frame_width, frame_height, left, top;
    uint width, height, palette_size, background;
};

void main() {
    uint x = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
    if (x >= width || y >= height) return;
    int target = frame_index(frame_width, frame_height, left, top, x, y);
    if (target < 0) return;
    uint point = owner[y * width + x];
    frame[target] = point == 0 ? background : palette[labels[point - 1] % palette_size];
}
