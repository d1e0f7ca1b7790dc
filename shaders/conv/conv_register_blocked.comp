#version 450
// Convolution gather or scatter, variant 2, an implicit GEMM with register blocking: one
// invocation computes TILE_C destination channels x TILE_W destination columns of one
// destination row, so each source value loaded feeds up to TILE_C FMAs and each weight TILE_W
// (on a CPU driver loads per FMA bound the speed; see PLATFORM.md). Geometry, layouts, taps:
// conv.glsl; the per-element formula is conv_naive.comp's.
//
// The tile's columns are chosen so that its source columns form one contiguous segment of a
// source row, loaded once per (source channel, row tap) and reused by every column tap:
//   gather:  columns x0 .. x0 + TILE_W - 1; column j, tap v reads x0 * STRIDE - padding + j * STRIDE + v.
//   scatter: columns x0, x0 + STRIDE, ... (one residue mod STRIDE, a "phase"), so all share
//            their kernel columns and column j, tap v reads (x0 + padding) / STRIDE + j - v.
// Rows and columns of the destination are walked phase by phase (rows of one phase, then the
// next), so neighbouring invocations share their taps and skip the same non-taps together.
// Edges: source values outside the image load as 0; destination channels past the last are
// clamped when loading weights (in bounds) and not stored, like columns past the last.
#include "common.glsl"

layout(local_size_x_id = 0) in;
#include "conv.glsl"

layout(constant_id = 5) const bool HAS_BIAS = false;
layout(constant_id = 6) const uint TILE_C = 8;
layout(constant_id = 7) const uint TILE_W = 8;

const uint PHASES = TRANSPOSED ? STRIDE : 1;
const uint COLUMN_STEP = TRANSPOSED ? STRIDE : 1;  // between a tile's destination columns
const uint SEGMENT_STEP = TRANSPOSED ? 1 : STRIDE; // between their source columns
const uint SEGMENT = (TILE_W - 1) * SEGMENT_STEP + TAPS;

layout(set = 0, binding = 0) readonly buffer Source { float source[]; };
layout(set = 0, binding = 1) readonly buffer Weight { float w[]; };
layout(set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(set = 0, binding = 3) writeonly buffer Destination { float destination[]; };

float segment[SEGMENT];
float weights[TILE_C];
float acc[TILE_C][TILE_W];

// Position in the segment of column j's tap v: the segment starts at the lowest source column.
uint segment_position(uint j, uint v) {
    return TRANSPOSED ? j + (TAPS - 1 - v) : j * STRIDE + v;
}

void main() {
    uint channels = destination_channels(), height = destination_height(), width = destination_width();
    uint rows_per_phase = (height + PHASES - 1) / PHASES;
    uint tiles_per_row = ((width + PHASES - 1) / PHASES + TILE_W - 1) / TILE_W;
    uint channel_tiles = (channels + TILE_C - 1) / TILE_C;
    uint source_rows = source_height(), source_cols = source_width(), source_planes = source_channels();

    // Tile t, fastest first: column tile, row within its phase, column phase, row phase, channel tile, image.
    GRID_STRIDE_LOOP(t, batch * channel_tiles * PHASES * PHASES * rows_per_phase * tiles_per_row) {
        uint rest = t;
        uint tile = rest % tiles_per_row; rest /= tiles_per_row;
        uint row = rest % rows_per_phase; rest /= rows_per_phase;
        uint column_phase = rest % PHASES; rest /= PHASES;
        uint row_phase = rest % PHASES; rest /= PHASES;
        uint c0 = (rest % channel_tiles) * TILE_C;
        uint n = rest / channel_tiles;
        uint y = row_phase + row * PHASES;
        uint x0 = column_phase + tile * TILE_W * COLUMN_STEP;
        if (y >= height || x0 >= width) continue;

        [[unroll]] for (uint i = 0; i < TILE_C; i++) {
            float initial = HAS_BIAS ? bias[min(c0 + i, channels - 1)] : 0.0;
            [[unroll]] for (uint j = 0; j < TILE_W; j++) acc[i][j] = initial;
        }
        int first_column = tap_source(x0, TRANSPOSED ? TAPS - 1 : 0);

        [[unroll]] for (uint u = 0; u < TAPS; u++) {
            int sy = tap_source(y, u);
            uint ki = tap_kernel(y, u);
            if (ki >= KERNEL || sy < 0 || sy >= int(source_rows)) continue;
            for (uint s = 0; s < source_planes; s++) {
                uint row_start = ((n * source_planes + s) * source_rows + uint(sy)) * source_cols;
                [[unroll]] for (uint m = 0; m < SEGMENT; m++) {
                    int sx = first_column + int(m);
                    segment[m] = sx >= 0 && sx < int(source_cols) ? source[row_start + uint(sx)] : 0.0;
                }
                [[unroll]] for (uint v = 0; v < TAPS; v++) {
                    uint kj = tap_kernel(x0, v);
                    if (kj >= KERNEL) continue;
                    [[unroll]] for (uint i = 0; i < TILE_C; i++) weights[i] = w[weight_index(min(c0 + i, channels - 1), s, ki, kj)];
                    [[unroll]] for (uint i = 0; i < TILE_C; i++)
                        [[unroll]] for (uint j = 0; j < TILE_W; j++)
                            acc[i][j] = fma(segment[segment_position(j, v)], weights[i], acc[i][j]);
                }
            }
        }

        [[unroll]] for (uint i = 0; i < TILE_C; i++)
            [[unroll]] for (uint j = 0; j < TILE_W; j++) {
                uint x = x0 + j * COLUMN_STEP;
                if (c0 + i < channels && x < width) destination[((n * channels + c0 + i) * height + y) * width + x] = acc[i][j];
            }
    }
}
