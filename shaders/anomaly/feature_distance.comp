#version 450
// The Mahalanobis distance of each image's encoder features at each position to the Gaussian that
// normal images' features have there (PaDiM, Defard et al. 2020): an eye on the cheek has
// unusual features there, even where the autoencoder reconstructs it well.
// The feature vector at fine pixel (y, x) is the hypercolumn of two encoder layers: the fine
// layer's channels there, then the coarse layer's at (y * coarseHeight / height,
// x * coarseWidth / width), the nearest coarse pixel (coarseChannels 0: the fine layer alone).
// Layout: fine [images, fineChannels, height, width], coarse [images, coarseChannels, coarseHeight,
// coarseWidth] (NCHW); mean [positions, d] and whitening [positions, d, d] row-major, with
// positions = height * width, d = fineChannels + coarseChannels, whitening the inverse of the
// Cholesky factor of the position's covariance (lower triangular); distances [images, positions].
//   distance = |whitening (v - mean)|^2 = (v - mean)^T covariance^-1 (v - mean).
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Fine { float fine[]; };
layout(set = 0, binding = 1) readonly buffer Coarse { float coarse[]; };
layout(set = 0, binding = 2) readonly buffer Mean { float mean[]; };
layout(set = 0, binding = 3) readonly buffer Whitening { float whitening[]; };
layout(set = 0, binding = 4) writeonly buffer Distances { float distances[]; };
layout(push_constant) uniform Push {
    uint images; uint fineChannels; uint coarseChannels; uint height; uint width; uint coarseHeight; uint coarseWidth;
};

// One invocation per (image, position), the rows of the triangular product summed in order:
// deterministic, d^2 / 2 multiply-adds, no shared memory.
void main() {
    uint positions = height * width, coarsePositions = coarseHeight * coarseWidth;
    uint d = fineChannels + coarseChannels;
    GRID_STRIDE_LOOP(i, images * positions) {
        uint n = i / positions, p = i - n * positions;
        uint y = p / width, x = p - y * width;
        uint fineAt = n * fineChannels * positions + p;
        uint coarseAt = n * coarseChannels * coarsePositions + (y * coarseHeight / height) * coarseWidth + x * coarseWidth / width;
        uint meanAt = p * d, rowAt = p * d * d;
        float total = 0.0;
        for (uint j = 0u; j < d; j++, rowAt += d) {
            float s = 0.0;
            for (uint k = 0u; k <= j; k++) {
                float v = k < fineChannels ? fine[fineAt + k * positions] : coarse[coarseAt + (k - fineChannels) * coarsePositions];
                s += whitening[rowAt + k] * (v - mean[meanAt + k]);
            }
            total += s * s;
        }
        distances[i] = total;
    }
}
