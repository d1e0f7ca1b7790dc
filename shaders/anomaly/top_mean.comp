#version 450
// The mean of the `count` largest values of each row of a matrix: count 1 gives the maximum, count
// = length the mean. An anomaly score from an error map that a few bad pixels can decide.
// Layout: values [rows, length] row-major; means [rows].
//
// One workgroup per row, no sorting: the count-th largest value t is found bit by bit, from the
// most significant down, as the largest key k with #{v : key(v) >= k} >= count, where key() maps a
// float to a uint of the same order. Then
//   top sum = sum of the values above t + (count - #{v > t}) t,
// which counts ties at t exactly as often as sorting would. Every count and sum goes through
// workgroup_sum's fixed tree, lane k taking elements k, k + W, ... in order: the same bits every
// run, no atomics.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "../reduce/workgroup_sum.glsl"

layout(set = 0, binding = 0) readonly buffer Values { float values[]; };
layout(set = 0, binding = 1) writeonly buffer Means { float means[]; };
layout(push_constant) uniform Push { uint rows; uint length; uint count; };

// Float bits to a uint that orders as the floats do: flip every bit of a negative number (its
// magnitude grows as its bits do), only the sign bit of a positive one.
uint key(float v) {
    uint bits = floatBitsToUint(v);
    return (bits & 0x80000000u) != 0u ? ~bits : bits | 0x80000000u;
}

// The float whose key is k.
float fromKey(uint k) {
    return uintBitsToFloat((k & 0x80000000u) != 0u ? k & 0x7FFFFFFFu : ~k);
}

// How many of the row's values have a key at or above `least`. Counts are whole numbers below
// 2^24, so their float sum is exact.
float countAtLeast(uint start, uint least) {
    float n = 0.0;
    for (uint j = gl_LocalInvocationID.x; j < length; j += gl_WorkGroupSize.x)
        if (key(values[start + j]) >= least) n += 1.0;
    return workgroup_sum(n);
}

void main() {
    uint row = gl_WorkGroupID.x;
    if (row >= rows) return; // uniform across the workgroup
    uint start = row * length;
    uint threshold = 0u;
    for (int b = 31; b >= 0; b--) {
        uint candidate = threshold | (1u << uint(b));
        if (countAtLeast(start, candidate) >= float(count)) threshold = candidate;
    }
    // threshold is now the key of the count-th largest value.
    float above = 0.0, sum = 0.0;
    for (uint j = gl_LocalInvocationID.x; j < length; j += gl_WorkGroupSize.x) {
        float v = values[start + j];
        if (key(v) > threshold) {
            above += 1.0;
            sum += v;
        }
    }
    above = workgroup_sum(above);
    sum = workgroup_sum(sum);
    if (gl_LocalInvocationID.x == 0u) means[row] = (sum + (float(count) - above) * fromKey(threshold)) / float(count);
}
