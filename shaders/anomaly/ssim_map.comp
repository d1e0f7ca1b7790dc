#version 450
// Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) of two images, per pixel and channel:
//   ssim = (2 mx my + C1) (2 sxy + C2) / ((mx^2 + my^2 + C1) (sx^2 + sy^2 + C2)),
// with mx, my, sx^2, sy^2, sxy the means, (population) variances and covariance of x and y over a
// (2 RADIUS + 1)^2 square window around the pixel, clipped to the image (border pixels average over
// fewer neighbours, so every pixel has a value); C1 = (0.01 L)^2, C2 = (0.03 L)^2 for pixel values
// spanning L.
// Layout: x, y, ssim [planes, height, width], NCHW row-major (planes = images * channels).
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer First { float x[]; };
layout(set = 0, binding = 1) readonly buffer Second { float y[]; };
layout(set = 0, binding = 2) writeonly buffer Similarity { float ssim[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; int radius; float c1; float c2; };

// One invocation per output pixel: two divisions to find its row and column, then only additions
// over the window (integer division is emulated lane by lane on a CPU driver). The sums are taken
// of the differences from the centre pixel's values, which leaves the variances unchanged and keeps
// E[d^2] - E[d]^2 from cancelling in float where the window is nearly flat.
void main() {
    GRID_STRIDE_LOOP(i, planes * height * width) {
        uint row = i / width; // plane * height + h
        int w = int(i - row * width);
        int h = int(row % height);
        uint planeStart = (row - uint(h)) * width;
        int top = max(h - radius, 0), bottom = min(h + radius, int(height) - 1);
        int left = max(w - radius, 0), right = min(w + radius, int(width) - 1);
        float x0 = x[i], y0 = y[i];
        float sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0;
        for (int r = top; r <= bottom; r++) {
            uint rowStart = planeStart + uint(r) * width;
            for (int c = left; c <= right; c++) {
                float a = x[rowStart + uint(c)] - x0, b = y[rowStart + uint(c)] - y0;
                sx += a;
                sy += b;
                sxx += a * a;
                syy += b * b;
                sxy += a * b;
            }
        }
        float n = float((bottom - top + 1) * (right - left + 1));
        float dx = sx / n, dy = sy / n;
        float vx = sxx / n - dx * dx, vy = syy / n - dy * dy, cxy = sxy / n - dx * dy;
        float mx = x0 + dx, my = y0 + dy;
        ssim[i] = (2.0 * mx * my + c1) * (2.0 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
}
