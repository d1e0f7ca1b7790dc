// The convolution gather or scatter as an implicit GEMM with register blocking, shared by variant
// 2 (conv_register_blocked.comp) and variant 3 (conv_subgroup_shared.comp), which differ only in
// how an invocation obtains its weights. One invocation computes TILE_C destination channels x
// TILE_H destination rows x TILE_W destination columns, so each source value loaded feeds up to
// TILE_C FMAs per row it serves and each weight TILE_H x TILE_W (on a CPU driver, loads per FMA
// bound the speed; see PLATFORM.md). Geometry, layouts, taps: conv.glsl; the per-element formula
// is conv_naive.comp's.
//
// Rows: a tile's TILE_H rows are consecutive rows of one row phase (all of a gather's rows are of
// phase 0), y0 + h * PHASES, so they share their kernel rows' weights, and the source rows they
// read overlap: tap u of row h reads the tile's source row tile_source_row(h, u), one of
// SOURCE_ROWS rows (gather: (TILE_H - 1) * STRIDE + KERNEL, not TILE_H * KERNEL; scatter:
// TILE_H + TAPS - 1). Each source row is loaded once and serves every (row, tap) that reads it.
//
// A tile's columns x0 .. x0 + TILE_W - 1 read one contiguous segment of a source row, loaded
// once per (source channel, row tap) and reused by every column tap:
//   gather:  column j, tap v reads x0 * STRIDE - padding + j * STRIDE + v through kernel column v.
//   scatter: x0 and TILE_W are multiples of STRIDE, so column j's residue (x0 + j + padding) mod
//            STRIDE, hence its kernel columns, depend only on j and PADDING_PHASE: known when the
//            pipeline is made, like which of its TAPS candidates are taps. Column j, tap v reads
//            (x0 + j + padding) / STRIDE - v through kernel column (j + PADDING_PHASE) % STRIDE + STRIDE v.
//            (Tiles of one residue, strided columns, measured 1.1-1.7x slower on lavapipe: each
//            weight fed half the columns, and each FMA sat under a per-lane test of its tap.)
// The rows of a scatter still come one residue ("row phase") per tile.
//
// Work order: a tile is a slow part (channel tile, row phase), which decides every weight the
// tile reads, and a fast part (image, row tile within the phase, column tile). The fast
// part is padded to a multiple of WEIGHT_LANES; each aligned run of WEIGHT_LANES consecutive tiles
// t has one slow part (the same weights, and the same taps and non-taps) and consecutive fast
// parts. Consecutive runs take the next slow part of the same fast parts, so the source rows a run
// reads are read again by the next runs while they are still in the cache (slow part outermost
// re-read the whole source once per slow part: 1.1-1.3x slower on lavapipe, CPU time per pass).
// Padding tiles compute like the others and store nothing, so a run's invocations stay together.
//
// The including shader defines, before including this file:
//   WEIGHT_LANES           how many consecutive tiles must share their weights (1 when none need to);
//   uint tile_invocation() this invocation's first tile, such that invocations that share their
//                          weights are WEIGHT_LANES consecutive, aligned tile indices;
// and after it, load_tap_weights (declared below).
// Edges: source values outside the image load as 0; destination channels past the last are
// clamped when loading weights (in bounds) and not stored, like columns past the last.
#include "conv.glsl"
#include "activation.glsl"

layout(constant_id = 5) const bool HAS_BIAS = false;
layout(constant_id = 6) const uint TILE_C = 8;
layout(constant_id = 7) const uint TILE_W = 8;
// True when a vec4 view covers the whole source tensor (its length is a multiple of 4).
layout(constant_id = 8) const bool VECTOR_SOURCE = false;
// True when each row of the tile is stored as TILE_W / 4 vec4s: TILE_W and the destination
// width are multiples of 4.
// A CPU driver stores element by element in a loop over the lanes, so a vec4 store costs about
// what a float store does: 1.5x faster passes with one source channel (conv 1->32 28x28 forward
// and its 32->1 backward-input on lavapipe). A specialization constant, not a test of the width:
// lavapipe runs both sides of every branch.
layout(constant_id = 9) const bool VECTOR_DESTINATION = false;
// The layer's activation, applied to what the pass stores (activation.glsl): a forward pass
// followed by a ReLU stores the ReLU's output, sparing the activation pass.
layout(constant_id = 10) const uint ACTIVATION = ACTIVATION_IDENTITY;
// A scatter's padding mod STRIDE (0 for a gather).
layout(constant_id = 11) const uint PADDING_PHASE = 0;
layout(constant_id = 13) const uint TILE_H = 1;

const uint PHASES = TRANSPOSED ? STRIDE : 1; // row phases
const uint SOURCE_ROWS = TRANSPOSED ? TILE_H + TAPS - 1 : (TILE_H - 1) * STRIDE + TAPS;
const uint SEGMENT = TRANSPOSED ? (TILE_W - 1 + PADDING_PHASE) / STRIDE + TAPS : (TILE_W - 1) * STRIDE + TAPS;

layout(set = 0, binding = 0) readonly buffer Source { float source[]; };
layout(set = 0, binding = 0) readonly buffer Source4 { vec4 source4[]; };
layout(set = 0, binding = 1) readonly buffer Weight { float w[]; };
layout(set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(set = 0, binding = 3) writeonly buffer Destination { float destination[]; };
layout(set = 0, binding = 3) writeonly buffer Destination4 { vec4 destination4[]; };

float segment[1][SEGMENT];
DEFINE_ROW_LOADER(load_segment, source, source4, VECTOR_SOURCE, segment, SEGMENT)
// weights[u][kj][i] = w for destination channel c0 + i, kernel column kj, at the current source
// channel and the kernel row of row tap u.
float weights[TAPS][KERNEL][TILE_C];
float acc[TILE_H][TILE_C][TILE_W];

// Fills weights[slot][kj][i] for every kernel column kj from kernel row ki.
void load_tap_weights(uint slot, uint c0, uint source_channel, uint ki);

// Which of the tile's source rows tap u of its row h reads (see Rows above).
uint tile_source_row(uint h, uint u) {
    return TRANSPOSED ? h + TAPS - 1 - u : h * STRIDE + u;
}

// Source row of the tile's source row 0, for the tile whose first row is y0.
int first_source_row(uint y0) {
    return TRANSPOSED ? int((y0 + uint(padding)) / STRIDE) - int(TAPS - 1) : int(y0 * STRIDE) - padding;
}

// The kernel column of column j's tap v (KERNEL or more: v is no tap of column j).
uint column_kernel(uint j, uint v) {
    return TRANSPOSED ? (j + PADDING_PHASE) % STRIDE + STRIDE * v : v;
}

// Position in the segment of column j's tap v: the segment starts at the lowest source column.
uint segment_position(uint j, uint v) {
    return TRANSPOSED ? (j + PADDING_PHASE) / STRIDE + TAPS - 1 - v : j * STRIDE + v;
}

// Source column of the segment's first element for the tile starting at column x0.
int segment_start(uint x0) {
    return TRANSPOSED ? int(x0 / STRIDE) + padding / int(STRIDE) - int(TAPS - 1) : int(x0 * STRIDE) - padding;
}

void main() {
    uint channels = destination_channels(), height = destination_height(), width = destination_width();
    uint rows_per_phase = (height + PHASES - 1) / PHASES;
    uint row_tiles = (rows_per_phase + TILE_H - 1) / TILE_H; // per phase
    uint tiles_per_row = (width + TILE_W - 1) / TILE_W;
    uint channel_tiles = (channels + TILE_C - 1) / TILE_C;
    uint source_rows = source_height(), source_cols = source_width(), source_planes = source_channels();
    uint tiles_per_image = row_tiles * tiles_per_row;
    uint fast_tiles = batch * tiles_per_image;
    uint padded_fast_tiles = (fast_tiles + WEIGHT_LANES - 1) / WEIGHT_LANES * WEIGHT_LANES;

    for (uint t = tile_invocation(); t < channel_tiles * PHASES * padded_fast_tiles; t += gl_NumWorkGroups.x * gl_WorkGroupSize.x) {
        uint run = t / WEIGHT_LANES, slow_parts = channel_tiles * PHASES;
        uint slow = run % slow_parts, fast = run / slow_parts * WEIGHT_LANES + t % WEIGHT_LANES;
        bool padding_tile = fast >= fast_tiles;
        fast = min(fast, fast_tiles - 1);
        uint tile = fast % tiles_per_row;
        uint row_tile = fast / tiles_per_row % row_tiles;
        uint n = fast / tiles_per_image;
        uint row_phase = slow % PHASES;
        uint c0 = slow / PHASES * TILE_C;
        uint y0 = row_phase + row_tile * TILE_H * PHASES; // row h is y0 + h * PHASES
        uint x0 = tile * TILE_W;

        [[unroll]] for (uint i = 0; i < TILE_C; i++) {
            float initial = HAS_BIAS ? bias[min(c0 + i, channels - 1)] : 0.0;
            [[unroll]] for (uint h = 0; h < TILE_H; h++)
                [[unroll]] for (uint j = 0; j < TILE_W; j++) acc[h][i][j] = initial;
        }
        int first_column = segment_start(x0);
        int first_row = first_source_row(y0);

        for (uint s = 0; s < source_planes; s++) {
            // A tap's kernel row is the same for every row of the tile, and for the whole slow part
            // (it fixes the rows' phase); a scatter's candidates past the kernel are no taps.
            [[unroll]] for (uint u = 0; u < TAPS; u++)
                if (tap_kernel(y0, u) < KERNEL) load_tap_weights(u, c0, s, tap_kernel(y0, u));
            [[unroll]] for (uint r = 0; r < SOURCE_ROWS; r++) {
                int sy = first_row + int(r);
                if (sy < 0 || sy >= int(source_rows)) continue;
                uint row_start = ((n * source_planes + s) * source_rows + uint(sy)) * source_cols;
                load_segment(0, int(row_start) + first_column, first_column, source_cols);
                [[unroll]] for (uint h = 0; h < TILE_H; h++)
                    [[unroll]] for (uint u = 0; u < TAPS; u++) {
                        if (tile_source_row(h, u) != r || tap_kernel(y0, u) >= KERNEL) continue;
                        // Each accumulator takes all its column taps at once: LLVM keeps the tile in
                        // memory, and one load and store per accumulator rather than one per tap made
                        // 32-channel tiles affordable (1.6x over tap-outermost at 32 x 14 on lavapipe).
                        [[unroll]] for (uint i = 0; i < TILE_C; i++)
                            [[unroll]] for (uint j = 0; j < TILE_W; j++)
                                [[unroll]] for (uint v = 0; v < TAPS; v++)
                                    if (column_kernel(j, v) < KERNEL)
                                        acc[h][i][j] = fma(segment[0][segment_position(j, v)], weights[u][column_kernel(j, v)][i], acc[h][i][j]);
                    }
            }
        }

        if (padding_tile) continue;
        [[unroll]] for (uint h = 0; h < TILE_H; h++) {
            uint y = y0 + h * PHASES;
            if (y >= height) continue;
            [[unroll]] for (uint i = 0; i < TILE_C; i++) {
                uint row_start = ((n * channels + c0 + i) * height + y) * width;
                if (VECTOR_DESTINATION) {
                    [[unroll]] for (uint j = 0; j < TILE_W; j += 4)
                        if (c0 + i < channels && x0 + j < width)
                            destination4[(row_start + x0 + j) / 4] = activate(ACTIVATION, vec4(acc[h][i][j], acc[h][i][j + 1], acc[h][i][j + 2], acc[h][i][j + 3]));
                } else {
                    [[unroll]] for (uint j = 0; j < TILE_W; j++)
                        if (c0 + i < channels && x0 + j < width) destination[row_start + x0 + j] = activate(ACTIVATION, acc[h][i][j]);
                }
            }
        }
    }
}
