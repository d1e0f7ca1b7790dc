#version 450
// Builds a mini-batch on the GPU: batch[r, c] = pixels[indices[first + r], c] * scale + offset for r < rows,
// where first = state[1] * batchStride, so one recorded command buffer walks the whole
// (shuffled) dataset as it is replayed, with no host round trip per step.
//
// pixels: the dataset as bytes (count x cols, row-major), packed four to a uint, little-endian.
// indices: the order in which samples are visited (a permutation for training, identity for test).
// state: uint[2+]; state[1] is the batch number within the current pass (see training_state.glsl).
// batch: float [rows, cols], row-major; scale and offset map bytes to the model's range
// ([0, 1]: 1/255 and 0; [-1, 1] for a tanh output: 2/255 and -1).
#include "common.glsl"
#include "training_state.glsl"

layout(local_size_x_id = 0) in;
// With VECTOR (cols a multiple of 4, see common.glsl) each invocation unpacks one uint into four pixels.
layout(constant_id = 1) const bool VECTOR = false;

layout(set = 0, binding = 0) readonly buffer Pixels { uint pixels[]; };
layout(set = 0, binding = 1) readonly buffer Indices { uint indices[]; };
layout(set = 0, binding = 2) readonly buffer State { uint state[]; };
layout(set = 0, binding = 3) writeonly buffer Batch { float batch[]; };
layout(set = 0, binding = 3) writeonly buffer Batch4 { vec4 batch4[]; };
layout(push_constant) uniform Push {
    uint rows;         // rows to fill (the last batch of a pass may be short)
    uint cols;         // bytes per sample
    uint batchStride;  // samples per full batch: batch b starts at indices[b * batchStride]
    float scale;
    float offset;
};

uint pixel_byte(uint byteIndex) {
    return (pixels[byteIndex >> 2] >> ((byteIndex & 3u) * 8u)) & 0xFFu;
}

void main() {
    uint first = state[STATE_BATCH] * batchStride;
    if (VECTOR) {
        uint words = cols / 4u;
        GRID_STRIDE_LOOP(i, rows * words) {
            uint r = i / words;
            uint word = pixels[indices[first + r] * words + (i - r * words)];
            batch4[i] = vec4(word & 0xFFu, (word >> 8u) & 0xFFu, (word >> 16u) & 0xFFu, word >> 24u) * scale + offset;
        }
    } else {
        GRID_STRIDE_LOOP(i, rows * cols) {
            uint r = i / cols;
            uint c = i - r * cols;
            uint source = indices[first + r];
            batch[i] = float(pixel_byte(source * cols + c)) * scale + offset;
        }
    }
}
