// Convolution correlate (backward-weight) with register blocking, shared by variant 2
// (conv_weight_gradient_register_blocked.comp) and variant 3 (conv_weight_gradient_subgroup_shared.comp),
// which differ only in how an invocation obtains its rows of the narrow gradient. One invocation
// computes the whole KERNEL x KERNEL gradient of TILE_A narrow channels x TILE_B wide channels,
//   dw[a, b, i, j] = sum over n, y, x of dnarrow[n, a, y, x] * wide[n, b, y * STRIDE - padding + i, x * STRIDE - padding + j],
// walking the narrow image in chunks of TILE_X columns of one row: it takes TILE_A x TILE_X
// gradient values once, and for each kernel row i loads one contiguous segment of each wide row
// that serves every kernel column j, so each load feeds many FMAs. Rows are read by
// DEFINE_ROW_LOADER as aligned vec4 groups when the tensor allows (a CPU driver pays per load
// instruction, not per float). Geometry and layouts: conv.glsl.
//
// Work order: tile t = (narrow channel tile, wide channel tile), the wide tile fastest, with the
// wide tiles padded to a multiple of GRADIENT_LANES so that each aligned run of GRADIENT_LANES
// tiles shares its narrow channels, hence its gradient rows. Padding tiles compute like the
// others and store nothing.
//
// Deterministic split over the batch: workgroup row gl_WorkGroupID.y = split k of
// gl_NumWorkGroups.y sums images [k * batch / splits, (k + 1) * batch / splits) and writes
// partial[k * weights + index]; with one split, partial is dw itself, otherwise the host sums the
// splits in order (dense/bias_gradient.comp). Each invocation walks its images, rows and columns
// in increasing order: same inputs, same bits.
//
// The including shader defines, before including this file, GRADIENT_LANES and
// uint tile_invocation() (as conv_register_blocked.glsl's WEIGHT_LANES and tile_invocation), and
// after it, load_gradient_rows (declared below).
#include "conv.glsl"

layout(constant_id = 5) const uint TILE_A = 4;
layout(constant_id = 6) const uint TILE_B = 1;
layout(constant_id = 7) const uint TILE_X = 8;
// True when a vec4 view covers the whole narrow gradient / wide tensor (length a multiple of 4).
layout(constant_id = 8) const bool VECTOR_NARROW = false;
layout(constant_id = 9) const bool VECTOR_WIDE = false;

const uint SEGMENT = (TILE_X - 1) * STRIDE + KERNEL;

layout(set = 0, binding = 0) readonly buffer NarrowGradient { float dnarrow[]; };
layout(set = 0, binding = 1) readonly buffer Wide { float wide[]; };
layout(set = 0, binding = 2) writeonly buffer Partial { float partial[]; };
layout(set = 0, binding = 0) readonly buffer NarrowGradient4 { vec4 dnarrow4[]; };
layout(set = 0, binding = 1) readonly buffer Wide4 { vec4 wide4[]; };

// gradient[a][m] = dnarrow[n, a0 + a, y, x0 + m] (0 past the row's end).
float gradient[TILE_A][TILE_X];
float segment[TILE_B][SEGMENT];
DEFINE_ROW_LOADER(load_segment, wide, wide4, VECTOR_WIDE, segment, SEGMENT)
float acc[TILE_A][TILE_B][KERNEL][KERNEL];

// Fills gradient[a][m] for narrow channels a0.. (clamped to the last), image n, row y, columns x0..
void load_gradient_rows(uint a0, uint n, uint y, uint x0);

// Start of row y of channel a of image n in the narrow gradient.
uint gradient_row_start(uint n, uint a, uint y) {
    return ((n * narrow_channels + min(a, narrow_channels - 1)) * narrow_height + y) * narrow_width;
}

void main() {
    uint a_tiles = (narrow_channels + TILE_A - 1) / TILE_A;
    uint b_tiles = (wide_channels + TILE_B - 1) / TILE_B;
    uint padded_b_tiles = (b_tiles + GRADIENT_LANES - 1) / GRADIENT_LANES * GRADIENT_LANES;
    uint splits = gl_NumWorkGroups.y, split = gl_WorkGroupID.y;
    uint first_image = split * batch / splits, end_image = (split + 1) * batch / splits;
    uint weight_count = narrow_channels * wide_channels * KERNEL * KERNEL;

    for (uint t = tile_invocation(); t < a_tiles * padded_b_tiles; t += gl_NumWorkGroups.x * gl_WorkGroupSize.x) {
        uint b0 = min(t % padded_b_tiles, b_tiles - 1) * TILE_B;
        bool padding_tile = t % padded_b_tiles >= b_tiles;
        uint a0 = t / padded_b_tiles * TILE_A;
        [[unroll]] for (uint a = 0; a < TILE_A; a++)
            [[unroll]] for (uint b = 0; b < TILE_B; b++)
                [[unroll]] for (uint i = 0; i < KERNEL; i++)
                    [[unroll]] for (uint j = 0; j < KERNEL; j++) acc[a][b][i][j] = 0.0;

        for (uint n = first_image; n < end_image; n++)
            for (uint y = 0; y < narrow_height; y++)
                for (uint x0 = 0; x0 < narrow_width; x0 += TILE_X) {
                    load_gradient_rows(a0, n, y, x0);
                    int first_column = int(x0 * STRIDE) - padding;
                    [[unroll]] for (uint i = 0; i < KERNEL; i++) {
                        int wy = int(y * STRIDE + i) - padding;
                        if (wy < 0 || wy >= int(wide_height)) continue;
                        [[unroll]] for (uint b = 0; b < TILE_B; b++) {
                            uint plane = n * wide_channels + min(b0 + b, wide_channels - 1);
                            load_segment(b, int((plane * wide_height + uint(wy)) * wide_width) + first_column, first_column, wide_width);
                        }
                        [[unroll]] for (uint b = 0; b < TILE_B; b++)
                            [[unroll]] for (uint j = 0; j < KERNEL; j++)
                                [[unroll]] for (uint a = 0; a < TILE_A; a++)
                                    [[unroll]] for (uint jx = 0; jx < TILE_X; jx++)
                                        acc[a][b][i][j] = fma(gradient[a][jx], segment[b][jx * STRIDE + j], acc[a][b][i][j]);
                    }
                }

        if (padding_tile) continue;
        [[unroll]] for (uint a = 0; a < TILE_A; a++)
            [[unroll]] for (uint b = 0; b < TILE_B; b++)
                if (a0 + a < narrow_channels && b0 + b < wide_channels)
                    [[unroll]] for (uint i = 0; i < KERNEL; i++)
                        [[unroll]] for (uint j = 0; j < KERNEL; j++)
                            partial[split * weight_count + (((a0 + a) * wide_channels + b0 + b) * KERNEL + i) * KERNEL + j] = acc[a][b][i][j];
    }
}
