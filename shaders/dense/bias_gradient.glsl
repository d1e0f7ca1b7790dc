// The column sums of the dense bias gradient, shared by bias_gradient.comp and
// bias_activation_gradient.comp: dbias[c] = sum over r of g[r, c] for g row-major [rows, cols].
// One invocation per column sums its rows in order 0, 1, ..., rows - 1, so the result is
// deterministic (no atomics), and neighbouring invocations read neighbouring words of each row.
//
// The includer declares, before including this file, `float gradient_at(uint i)`: the element
// g[i] of the gradient being summed (computed and stored on the way by a fused kernel).

layout(set = 0, binding = BIAS_GRADIENT_BINDING) writeonly buffer DBias { float dbias[]; };
layout(push_constant) uniform Push { uint rows; uint cols; };

void main() {
    GRID_STRIDE_LOOP(col, cols) {
        float sum = 0.0;
        for (uint r = 0; r < rows; r++) sum += gradient_at(r * cols + col);
        dbias[col] = sum;
    }
}
