#version 450
// sum[i] = a[i] + b[i] for i < count: joins the gradients of two branches that read one tensor
// (the mean and log-variance heads of a VAE both read the encoder's output).
#include "common.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) readonly buffer A { float a[]; };
layout(set = 0, binding = 1) readonly buffer B { float b[]; };
layout(set = 0, binding = 2) writeonly buffer Sum { float sum[]; };
layout(push_constant) uniform Push { uint count; };

void main() {
    GRID_STRIDE_LOOP(i, count) sum[i] = a[i] + b[i];
}
