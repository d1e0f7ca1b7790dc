#version 450
// The viewer's frame shrunk to fit a window smaller than it, keeping its aspect (the host picks the
// size, ViewerLayout.FramePlacement). Each output pixel is the mean of the frame pixels its box
// covers, each 8-bit channel averaged on its own and rounded to nearest: a box filter, because
// sampling the nearest pixel would drop whole strokes of the 5 x 8 font, and per byte, so the
// byte order (frame.glsl) does not matter. Output pixel (x, y) of a width x height picture covers
// frame columns x W / width .. (x + 1) W / width - 1 (at least one), and rows likewise, for a
// W x H frame.
// frame: [frame_height, frame_width], scaled: [height, width], row-major uint pixels.
#include "common.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;

layout(set = 0, binding = 0) readonly buffer Frame { uint frame[]; };
layout(set = 0, binding = 1) writeonly buffer Scaled { uint scaled[]; };
layout(push_constant) uniform Push { uint frame_width, frame_height, width, height; };

void main() {
    uint x = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
    if (x >= width || y >= height) return;
    uint x0 = x * frame_width / width, x1 = max(x0 + 1u, (x + 1u) * frame_width / width);
    uint y0 = y * frame_height / height, y1 = max(y0 + 1u, (y + 1u) * frame_height / height);
    uvec4 sum = uvec4(0u);
    for (uint fy = y0; fy < y1; fy++)
        for (uint fx = x0; fx < x1; fx++) {
            uint pixel = frame[fy * frame_width + fx];
            sum += uvec4(pixel & 0xFFu, (pixel >> 8) & 0xFFu, (pixel >> 16) & 0xFFu, pixel >> 24);
        }
    uint count = (x1 - x0) * (y1 - y0);
    uvec4 mean = (sum + count / 2u) / count;
    scaled[y * width + x] = mean.x | (mean.y << 8) | (mean.z << 16) | (mean.w << 24);
}
