#version 450
// The mean of each map over a (2 RADIUS + 1)^2 square window around each pixel, clipped to the
// image (a border pixel averages over fewer neighbours), as ssim_map.comp's windows. A blob of
// error the size of a missing mouth keeps its height; an isolated pixel's error is spread thin.
// Layout: map, smoothed [maps, height, width], row-major.
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Map { float map[]; };
layout(set = 0, binding = 1) writeonly buffer Smoothed { float smoothed[]; };
layout(push_constant) uniform Push { uint maps; uint height; uint width; int radius; };

// One invocation per output pixel, the window summed row by row in order: deterministic, and
// (2 RADIUS + 1)^2 loads, which for the small windows a face needs costs less than two separable
// passes with a barrier or a second dispatch between them.
void main() {
    GRID_STRIDE_LOOP(i, maps * height * width) {
        uint row = i / width; // map * height + h
        int w = int(i - row * width);
        int h = int(row % height);
        uint mapStart = (row - uint(h)) * width;
        int top = max(h - radius, 0), bottom = min(h + radius, int(height) - 1);
        int left = max(w - radius, 0), right = min(w + radius, int(width) - 1);
        float sum = 0.0;
        for (int r = top; r <= bottom; r++) {
            uint rowStart = mapStart + uint(r) * width;
            for (int c = left; c <= right; c++) sum += map[rowStart + uint(c)];
        }
        smoothed[i] = sum / float((bottom - top + 1) * (right - left + 1));
    }
}
