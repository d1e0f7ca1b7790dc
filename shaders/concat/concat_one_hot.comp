#version 450
// Conditions a layer's input on a class: joined[r, :] = [x[r, :] | one_hot(labels[r])] for r < rows,
// rows of features + classes values (row-major), the one-hot part 1 at column features + labels[r], 0 elsewhere.
// A conditional VAE puts it before its encoder's first dense layer and before its decoder.
//
// x: float [rows, features]. labels: float [rows], whole class numbers below `classes` (gathered
// from the dataset's label bytes by data/gather_batch.comp, so a float holds each exactly).
// joined: float [rows, features + classes].
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer Input { float x[]; };
layout(set = 0, binding = 1) readonly buffer Labels { float labels[]; };
layout(set = 0, binding = 2) writeonly buffer Joined { float joined[]; };
layout(push_constant) uniform Push { uint rows; uint features; uint classes; };

void main() {
    uint width = features + classes;
    GRID_STRIDE_LOOP(i, rows * width) {
        uint r = i / width;
        uint c = i - r * width;
        joined[i] = c < features ? x[r * features + c] : (c - features == uint(labels[r]) ? 1.0 : 0.0);
    }
}
