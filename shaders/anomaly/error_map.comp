#version 450
// Per-pixel reconstruction error of a batch of images, averaged over channels:
//   measure 0 (squared):  map = mean_c (x - y)^2
//   measure 1 (gradient): map = mean_c (dx x - dx y)^2 + (dy x - dy y)^2,
// with forward differences dx v = v[h, w + 1] - v[h, w] and dy v = v[h + 1, w] - v[h, w], taken as 0
// past the last column or row. The gradient error ignores a colour or brightness offset that covers
// a region evenly and keeps the edges a feature added, removed or moved makes or breaks.
// Layout: x, y [images, channels, height, width], NCHW row-major; map [images, height, width].
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Images { float x[]; };
layout(set = 0, binding = 1) readonly buffer Reconstructions { float y[]; };
layout(set = 0, binding = 2) writeonly buffer ErrorMap { float map[]; };
layout(push_constant) uniform Push { uint images; uint channels; uint height; uint width; uint measure; };

// The difference of the two images' steps from element i to element i + offset, 0 where that
// neighbour lies outside the image (the caller says whether it does).
float stepError(uint i, uint offset, bool inside) {
    return inside ? (x[i + offset] - x[i]) - (y[i + offset] - y[i]) : 0.0;
}

// One invocation per output pixel; the channels are summed in order, so the map is the same on
// every run.
void main() {
    uint pixels = height * width;
    GRID_STRIDE_LOOP(i, images * pixels) {
        uint image = i / pixels, pixel = i - image * pixels;
        uint h = pixel / width, w = pixel - h * width;
        float sum = 0.0;
        for (uint c = 0; c < channels; c++) {
            uint at = (image * channels + c) * pixels + pixel;
            if (measure == 0u) {
                float d = x[at] - y[at];
                sum += d * d;
            } else {
                float ex = stepError(at, 1u, w + 1u < width), ey = stepError(at, width, h + 1u < height);
                sum += ex * ex + ey * ey;
            }
        }
        map[i] = sum / float(channels);
    }
}
