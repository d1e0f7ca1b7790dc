// The column sums of the dense bias gradient, shared by bias_gradient.comp and
// bias_activation_gradient.comp: dbias[c] = sum over r of g[r, c] for g row-major [rows, cols].
// One invocation per column (with VECTOR, per four adjacent columns, read as vec4s) sums its rows
// in order 0, 1, ..., rows - 1, so the result is deterministic (no atomics) and the same on both
// paths; neighbouring invocations read neighbouring words of each row.
//
// The includer declares, before including this file, the constant VECTOR and the functions
// `float gradient_at(uint i)` and `vec4 gradient4_at(uint i)`: element i (vec4 i) of the
// gradient being summed, computed and stored on the way by a fused kernel.

layout(set = 0, binding = BIAS_GRADIENT_BINDING) writeonly buffer DBias { float dbias[]; };
layout(set = 0, binding = BIAS_GRADIENT_BINDING) writeonly buffer DBias4 { vec4 dbias4[]; };
layout(push_constant) uniform Push { uint rows; uint cols; };

void main() {
    if (VECTOR) {
        uint quads = cols / 4u;
        GRID_STRIDE_LOOP(quad, quads) {
            vec4 sum = vec4(0.0);
            for (uint r = 0; r < rows; r++) sum += gradient4_at(r * quads + quad);
            dbias4[quad] = sum;
        }
    } else {
        GRID_STRIDE_LOOP(col, cols) {
            float sum = 0.0;
            for (uint r = 0; r < rows; r++) sum += gradient_at(r * cols + col);
            dbias[col] = sum;
        }
    }
}
