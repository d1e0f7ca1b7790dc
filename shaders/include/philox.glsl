// Philox4x32-10, the counter-based generator of J. K. Salmon, M. A. Moraes, R. O. Dror and
// D. E. Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011 (the Random123 library):
// four random 32-bit words are a pure function of a 128-bit counter and a 64-bit key, so any
// invocation can draw its numbers without state, and the same (key, counter) gives the same bits
// on every device. The C# twin is VulkanAE.Kernels.Noise.Philox (checked against Random123's
// known-answer vectors).

const uint PHILOX_M0 = 0xD2511F53u; // round multipliers
const uint PHILOX_M1 = 0xCD9E8D57u;
const uint PHILOX_W0 = 0x9E3779B9u; // key schedule (Weyl) increments: golden ratio, sqrt(3) - 1
const uint PHILOX_W1 = 0xBB67AE85u;

uvec4 philox4x32_round(uvec4 counter, uvec2 key) {
    uint hi0, lo0, hi1, lo1;
    umulExtended(PHILOX_M0, counter.x, hi0, lo0);
    umulExtended(PHILOX_M1, counter.z, hi1, lo1);
    return uvec4(hi1 ^ counter.y ^ key.x, lo1, hi0 ^ counter.w ^ key.y, lo0);
}

// Ten rounds, the key bumped between consecutive rounds (nine bumps), as Random123 does.
uvec4 philox4x32_10(uvec4 counter, uvec2 key) {
    counter = philox4x32_round(counter, key);
    [[unroll]] for (uint round = 1u; round < 10u; round++) {
        key += uvec2(PHILOX_W0, PHILOX_W1);
        counter = philox4x32_round(counter, key);
    }
    return counter;
}

// A uniform float in the open interval (0, 1) from the top 23 bits: (2k + 1) / 2^24 with
// k < 2^23 is exact in float, so 0 and 1 are never produced (log(u) below stays finite).
float philox_uniform_open01(uint bits) {
    return float(((bits >> 9u) << 1u) | 1u) * (1.0 / 16777216.0);
}

// Four standard normals from one Philox block by the Box-Muller transform, one pair per two words:
// r = sqrt(-2 ln u1), theta = pi (2 u2 - 1), normals r cos(theta) and r sin(theta). The angle is
// kept in (-pi, pi), the range over which Vulkan bounds the error of sin and cos. u1 >= 2^-24 caps
// |normal| at 5.77. The max() guards against a log(u1) that rounds above 0 for u1 just below 1.
vec2 philox_box_muller(uint bits1, uint bits2) {
    float radius = sqrt(max(-2.0 * log(philox_uniform_open01(bits1)), 0.0));
    float theta = 3.14159265358979 * (2.0 * philox_uniform_open01(bits2) - 1.0);
    return radius * vec2(cos(theta), sin(theta));
}

vec4 philox_standard_normal4(uvec4 counter, uvec2 key) {
    uvec4 bits = philox4x32_10(counter, key);
    return vec4(philox_box_muller(bits.x, bits.y), philox_box_muller(bits.z, bits.w));
}
