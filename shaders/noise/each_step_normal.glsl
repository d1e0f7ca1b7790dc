// The main() of a kernel that draws the current training step's standard normal n for each element
// i < count of one tensor (step_normals.glsl) and hands it to use_normal(i, n). Each invocation
// draws one Philox block, elements 4b .. 4b + 3.
// Include after `layout(local_size_x_id = 0) in;`, the push constants count, seed and stream, and
// the training_state binding; the including shader defines use_normal.
#include "step_normals.glsl"

void use_normal(uint i, float n);

void main() {
    uint optimizer_step = training_state[STATE_OPTIMIZER_STEP];
    uint batch = training_state[STATE_BATCH];
    uint blocks = normal_blocks(count);
    GRID_STRIDE_LOOP(block, blocks) {
        vec4 n = step_normals(seed, stream, block, optimizer_step, batch);
        [[unroll]] for (uint k = 0u; k < 4u; k++) {
            uint i = block * 4u + k;
            if (i < count) use_normal(i, n[k]);
        }
    }
}
