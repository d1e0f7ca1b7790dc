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
// Include after `layout(local_size_x_id = 0) in;`: it declares binding 0 (the input), the
// push constants that both shaders share, and specialization constant 1, EVEN_SHAPE.

layout(set = 0, binding = 0) readonly buffer PoolInput { float x[]; };
// vec2 view of the input: with an even width every window row is one aligned vec2, so a window
// costs two loads instead of four (a CPU driver pays per load instruction, lane by lane).
layout(set = 0, binding = 0) readonly buffer PoolInput2 { vec2 x2[]; };
layout(push_constant) uniform Push { uint planes; uint height; uint width; };
// True when height and width are even: no odd last row or column, window rows are aligned vec2s,
// and output row r (= plane * height / 2 + oh) starts at input row 2 r, which saves the two
// integer divisions that split r into plane and oh (emulated lane by lane on a CPU driver).
layout(constant_id = 1) const bool EVEN_SHAPE = false;

// Index in x of the top-left element of the window at output row `row` (all planes' output
// rows in sequence) and column ow.
uint window_top_left(uint row, uint ow) {
    if (EVEN_SHAPE) return 2u * row * width + 2u * ow;
    uint out_height = height / 2u;
    uint plane = row / out_height, oh = row - plane * out_height;
    return (plane * height + 2u * oh) * width + 2u * ow;
}

// The window's four values in row-major order: top-left, top-right, bottom-left, bottom-right.
vec4 window_values(uint top_left) {
    if (EVEN_SHAPE) return vec4(x2[top_left / 2u], x2[(top_left + width) / 2u]);
    return vec4(x[top_left], x[top_left + 1u], x[top_left + width], x[top_left + width + 1u]);
}

// Position (0..3, row-major) of the window's maximum. The window is scanned in row-major order
// and only a strictly larger value (or a NaN) replaces the current maximum, so ties go to the
// first maximum and a NaN propagates, as in PyTorch.
uint window_argmax(vec4 values) {
    uint best = 0u;
    [[unroll]] for (uint position = 1u; position < 4u; position++)
        if (values[position] > values[best] || isnan(values[position])) best = position;
    return best;
}
