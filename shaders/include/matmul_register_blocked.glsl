// The register-blocked matmul tile, shared by variants 2 (matmul_register_blocked.comp), 4
// (matmul_subgroup_shared.comp) and 5 to 7 (matmul_subgroup_block*.comp), which differ in how tiles
// map to invocations and how an invocation obtains its slabs. An invocation computes the
// TILE_M x TILE_N block of C at (row0, col0), so each value taken from op(A) feeds TILE_N FMAs
// and each value of op(B) TILE_M.
// On a CPU driver (lavapipe) loads per FMA bound the speed and registers, not shared memory, are
// where reuse is cheap. Layout and transposes: matmul.glsl.
//
// K is walked in slabs of 4: a_slab[i] = op(A)[row0 + i, k..k+3], b_slab[j] = op(B)[k..k+3, col0 + j].
// A slab is read with aligned vec4 loads along whichever dimension is contiguous in memory when
// the host says the shape allows it (VECTOR_A/B), else element by element.
// Edges: rows/cols past M/N are clamped to the last one when loading (in bounds; those results
// are never stored), and the K % 4 tail is a scalar loop.
//
// The including shader defines load_slabs (declared below) after including this file.
#include "matmul.glsl"

layout(constant_id = 4) const uint TILE_M = 4;
layout(constant_id = 5) const uint TILE_N = 4;
// True when the contiguous dimension of A (K, or M when transposed) is a multiple of 4, and
// when it is M, TILE_M is too; likewise for B (K when transposed, else N, with TILE_N).
layout(constant_id = 6) const bool VECTOR_A = false;
layout(constant_id = 7) const bool VECTOR_B = false;
// True when N and TILE_N are multiples of 4: the tile's rows are then stored as vec4s (store_c4).
layout(constant_id = 10) const bool VECTOR_C = false;

// vec4 views of C and the bias for VECTOR_C: a CPU driver stores a buffer component by component,
// lane by lane, with a bounds check each, and a tile of TILE_M x TILE_N outputs over a short K
// (dW's K is the batch) spends a large part of its time storing. Measured on lavapipe (CPU time
// per dispatch, variant 7, 16 x 8 tiles, fc-vae's 784->400 layer): forward 3.21 -> 2.92 ms, dX
// 3.27 -> 2.90, dW 5.58 -> 4.83.
layout(set = 0, binding = 2) writeonly buffer MatrixC4 { vec4 c4[]; };
layout(set = 0, binding = 3) readonly buffer Bias4 { vec4 bias4[]; };
void store_c4(uint row, uint col, vec4 sum) { c4[(row * N + col) / 4] = activate(ACTIVATION, BIAS ? sum + bias4[col / 4] : sum); }

// vec4 views of the same bindings: element i of x4 is elements 4i..4i+3 of x. x_vec4(i) reads
// it: as one vec4, or with INT64_LOADS (variant 6) as one u64vec2 reinterpreted. A CPU driver
// (lavapipe 22.3) loads a storage buffer component by component, lane by lane, with a bounds
// check each: two 64-bit components cost half as much as four 32-bit ones for the same 16 bytes.
// With TEXEL_LOADS (variant 7) the vec4 is one texel of an RGBA32F uniform texel buffer over the
// same memory (bindings 4 and 5), fetched whole with one bounds check per lane.
#if defined(TEXEL_LOADS)
layout(set = 0, binding = 4) uniform samplerBuffer a_texels;
layout(set = 0, binding = 5) uniform samplerBuffer b_texels;
vec4 a_vec4(uint i) { return texelFetch(a_texels, int(i)); }
vec4 b_vec4(uint i) { return texelFetch(b_texels, int(i)); }
#elif defined(INT64_LOADS)
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(set = 0, binding = 0) readonly buffer MatrixA4 { u64vec2 a4[]; };
layout(set = 0, binding = 1) readonly buffer MatrixB4 { u64vec2 b4[]; };
vec4 as_vec4(u64vec2 v) { return uintBitsToFloat(uvec4(unpackUint2x32(v.x), unpackUint2x32(v.y))); }
vec4 a_vec4(uint i) { return as_vec4(a4[i]); }
vec4 b_vec4(uint i) { return as_vec4(b4[i]); }
#else
layout(set = 0, binding = 0) readonly buffer MatrixA4 { vec4 a4[]; };
layout(set = 0, binding = 1) readonly buffer MatrixB4 { vec4 b4[]; };
vec4 a_vec4(uint i) { return a4[i]; }
vec4 b_vec4(uint i) { return b4[i]; }
#endif

vec4 a_slab[TILE_M];
vec4 b_slab[TILE_N];
float acc[TILE_M][TILE_N];

// Defines void NAME(uint first, uint k): SLAB[i] = X[first + i, k..k+3] for i < TILE, for a
// matrix X (X4(i) reads its i-th vec4) whose element (i, k) is at i * K + k when K_CONTIGUOUS, else at k * LENGTH + i
// (LENGTH = its rows). Indices past LENGTH are clamped to the last row (to the last aligned group
// of 4 for vec4 loads, which then need TILE to be a multiple of 4).
#define DEFINE_SLAB_LOADER(NAME, X, X4, SLAB, TILE, K_CONTIGUOUS, VECTOR, LENGTH)                 \
    void NAME(uint first, uint k) {                                                           \
        if (K_CONTIGUOUS) {                                                                   \
            [[unroll]] for (uint i = 0; i < TILE; i++) {                                      \
                uint start = min(first + i, LENGTH - 1) * K + k;                              \
                if (VECTOR) SLAB[i] = X4(start / 4);                                          \
                else SLAB[i] = vec4(X[start], X[start + 1], X[start + 2], X[start + 3]);      \
            }                                                                                 \
        } else if (VECTOR) {                                                                  \
            [[unroll]] for (uint kk = 0; kk < 4; kk++)                                        \
                [[unroll]] for (uint i = 0; i < TILE; i += 4) {                               \
                    vec4 v = X4(((k + kk) * LENGTH + min(first + i, LENGTH - 4)) / 4);        \
                    [[unroll]] for (uint t = 0; t < 4; t++) SLAB[i + t][kk] = v[t];           \
                }                                                                             \
        } else {                                                                              \
            [[unroll]] for (uint kk = 0; kk < 4; kk++)                                        \
                [[unroll]] for (uint i = 0; i < TILE; i++)                                    \
                    SLAB[i][kk] = X[(k + kk) * LENGTH + min(first + i, LENGTH - 1)];          \
        }                                                                                     \
    }

// Fills a_slab and b_slab for the tile at (row0, col0) and K slab k..k+3.
void load_slabs(uint row0, uint col0, uint k);

// C[row0.., col0..] = the tile's block of op(A) · op(B); stores nothing when store is false.
void multiply_tile(uint row0, uint col0, bool store) {
    [[unroll]] for (uint i = 0; i < TILE_M; i++)
        [[unroll]] for (uint j = 0; j < TILE_N; j++) acc[i][j] = 0.0;

    uint k_slabs_end = K & ~3u;
    for (uint k = 0; k < k_slabs_end; k += 4) {
        load_slabs(row0, col0, k);
        // Each accumulator takes its 4 FMAs in a row: with more accumulators than registers (a
        // CPU driver's 16 x 8 tile is 128), it is then loaded and stored once per slab, not 4 times.
        [[unroll]] for (uint i = 0; i < TILE_M; i++)
            [[unroll]] for (uint j = 0; j < TILE_N; j++)
                [[unroll]] for (uint kk = 0; kk < 4; kk++)
                    acc[i][j] = fma(a_slab[i][kk], b_slab[j][kk], acc[i][j]);
    }
    for (uint k = k_slabs_end; k < K; k++) {
        [[unroll]] for (uint i = 0; i < TILE_M; i++) a_slab[i].x = a[a_index(min(row0 + i, M - 1), k)];
        [[unroll]] for (uint j = 0; j < TILE_N; j++) b_slab[j].x = b[b_index(k, min(col0 + j, N - 1))];
        [[unroll]] for (uint i = 0; i < TILE_M; i++)
            [[unroll]] for (uint j = 0; j < TILE_N; j++)
                acc[i][j] = fma(a_slab[i].x, b_slab[j].x, acc[i][j]);
    }

    if (!store) return;
    if (VECTOR_C) {
        // col0 is a multiple of 4 and so is N: a group of 4 columns lies wholly inside C or past it.
        [[unroll]] for (uint i = 0; i < TILE_M; i++)
            [[unroll]] for (uint j = 0; j < TILE_N; j += 4)
                if (row0 + i < M && col0 + j < N)
                    store_c4(row0 + i, col0 + j, vec4(acc[i][j], acc[i][j + 1], acc[i][j + 2], acc[i][j + 3]));
        return;
    }
    [[unroll]] for (uint i = 0; i < TILE_M; i++)
        [[unroll]] for (uint j = 0; j < TILE_N; j++)
            if (row0 + i < M && col0 + j < N) store_c(row0 + i, col0 + j, acc[i][j]);
}
