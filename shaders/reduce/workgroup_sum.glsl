// Deterministic sum across one workgroup: each invocation contributes one value, and the values
// are added pairwise in a fixed tree (stride W/2, W/4, ..., 1), so the same inputs always give
// the same bits. No atomics, no subgroup operations (whose order is implementation-defined).
//
// Include after the `layout(local_size_x_id = 0) in;` line; the workgroup size must be a power
// of two (the host checks it). Every invocation of the workgroup must call workgroup_sum, in
// uniform control flow, because of the barriers.

shared float workgroup_partials[gl_WorkGroupSize.x];

// Returns the sum of `value` over the workgroup, to every invocation.
float workgroup_sum(float value) {
    uint lane = gl_LocalInvocationID.x;
    workgroup_partials[lane] = value;
    barrier();
    for (uint stride = gl_WorkGroupSize.x / 2; stride > 0; stride /= 2) {
        if (lane < stride) workgroup_partials[lane] += workgroup_partials[lane + stride];
        barrier();
    }
    float total = workgroup_partials[0];
    // A second call may overwrite the partials only after every invocation has read the total.
    barrier();
    return total;
}
