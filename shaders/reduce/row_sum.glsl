// The main() of a kernel that sums each row of a [rows, ...] array (a loss, a log weight), in one
// of two ways chosen by the bool specialization constant ONE_WORKGROUP_PER_ROW
// (RowReductions.Default picks per device), both deterministic (a fixed order, no atomics):
// - ONE_WORKGROUP_PER_ROW (a GPU): invocation k handles the row's terms k, k + W, ... in order,
//   and workgroup_sum adds the partial sums in a fixed tree;
// - otherwise one invocation per row handles all its terms in order: on a CPU driver such as
//   lavapipe each barrier of the tree switches between the workgroup's invocations, which costs
//   more than the row's arithmetic (measured: see RowReductions.Default).
// Rows beyond the dispatch loop over the workgroups (invocations).
//
// Include after `layout(local_size_x_id = 0) in;` and the declaration of ONE_WORKGROUP_PER_ROW,
// with `rows` in scope (a push constant); the including shader defines the two functions declared
// below.
#include "workgroup_sum.glsl"

// Does the row's work for its terms first, first + stride, ... and returns the sum of their values.
float row_part(uint row, uint first, uint stride);

// Stores the sum of all the row's terms.
void write_row(uint row, float sum);

void main() {
    if (ONE_WORKGROUP_PER_ROW) {
        for (uint row = gl_WorkGroupID.x; row < rows; row += gl_NumWorkGroups.x) {
            float sum = workgroup_sum(row_part(row, gl_LocalInvocationID.x, gl_WorkGroupSize.x));
            if (gl_LocalInvocationID.x == 0) write_row(row, sum);
        }
    } else {
        GRID_STRIDE_LOOP(row, rows) write_row(row, row_part(row, 0u, 1u));
    }
}
