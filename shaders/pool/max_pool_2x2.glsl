// 2x2 max pooling with stride 2 over NCHW tensors (row-major), shared by the forward and backward.
// The input is [planes, height, width] with planes = batch * channels; the output is
// [planes, height / 2, width / 2], rounded down as in PyTorch's default: an odd last row or
// column belongs to no window, so it reaches no output and gets a zero gradient.
// Window (plane, oh, ow) covers input rows 2 oh, 2 oh + 1 and columns 2 ow, 2 ow + 1.
//
// The backward recomputes each window's arg-max from the input rather than reading indices the
// forward stored: the input is kept for the backward anyway (the previous layer's activation
// backward reads it), recomputing costs four cached reads and three compares per element, and an
// index tensor would cost a write and a read of the output's size plus memory. Both passes call
// the one function below, so they cannot disagree on ties.
//
// Include after `layout(local_size_x_id = 0) in;`: it declares binding 0 (the input) and the
// push constants that both shaders share.

layout(set = 0, binding = 0) readonly buffer PoolInput { float x[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; };

// Index in x of the maximum of window (plane, oh, ow). The window is scanned in row-major order
// and only a strictly larger value (or a NaN) replaces the current maximum, so ties go to the
// first maximum and a NaN propagates, as in PyTorch.
uint window_argmax(uint plane, uint oh, uint ow) {
    uint top_left = (plane * height + 2u * oh) * width + 2u * ow;
    uint best = top_left;
    [[unroll]] for (uint position = 1u; position < 4u; position++) {
        uint candidate = top_left + (position >> 1u) * width + (position & 1u);
        if (x[candidate] > x[best] || isnan(x[candidate])) best = candidate;
    }
    return best;
}
