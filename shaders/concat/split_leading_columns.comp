#version 450
// The backward of concat_one_hot.comp: dx[r, c] = dJoined[r, c] for c < features. The one-hot
// columns are constants of the data, so their gradient is dropped.
//
// dJoined: float [rows, features + classes], row-major. dx: float [rows, features].
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer JoinedGradient { float dJoined[]; };
layout(set = 0, binding = 1) writeonly buffer InputGradient { float dx[]; };
layout(push_constant) uniform Push { uint rows; uint features; uint classes; };

void main() {
    GRID_STRIDE_LOOP(i, rows * features) {
        uint r = i / features;
        dx[i] = dJoined[i + r * classes];
    }
}
