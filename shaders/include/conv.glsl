// Shared by the convolution kernels (shaders/conv/*.comp): the geometry of one 2-D convolution
// and the index math of its taps, stated once.
//
// A convolution relates two NCHW images (row-major, element (n, c, y, x) at
// ((n * C + c) * H + y) * W + x) through a weight w[NARROW_C, WIDE_C, KERNEL, KERNEL]:
//
//   narrow[n, a, y, x] = sum over b, i, j of wide[n, b, y * STRIDE - padding + i, x * STRIDE - padding + j] * w[a, b, i, j]
//
// (taps outside the wide image read 0). "wide" is Conv2d's input and ConvTranspose2d's output;
// "narrow" is Conv2d's output and ConvTranspose2d's input; both layers' weights are then
// [narrow channels, wide channels, k, k] as in PyTorch. Every op of both layers is one of three
// passes over this one relation:
//   gather    (wide -> narrow, the formula above): Conv2d forward, ConvTranspose2d backward-input
//   scatter   (narrow -> wide, its adjoint):        Conv2d backward-input, ConvTranspose2d forward
//   correlate (d narrow, wide -> d w):              both layers' backward-weight
// The gather and scatter kernels are one shader each, TRANSPOSED selecting scatter; the pass
// reads a "source" image and writes a "destination" image (wide -> narrow or narrow -> wide).
//
// Specialization constants: 0, 1 = workgroup size (set by the including shader's layout);
// 2 = KERNEL, 3 = STRIDE, 4 = TRANSPOSED; 5 and up belong to each shader.

layout(constant_id = 2) const uint KERNEL = 3;
layout(constant_id = 3) const uint STRIDE = 1;
layout(constant_id = 4) const bool TRANSPOSED = false;

layout(push_constant) uniform ConvGeometry {
    uint batch;
    uint narrow_channels;
    uint wide_channels;
    uint narrow_height;
    uint narrow_width;
    uint wide_height;
    uint wide_width;
    int padding;
};

// The taps of one destination coordinate along one axis (rows or columns alike): tap u reads
// source coordinate tap_source(d, u) through kernel index tap_kernel(d, u), for u < TAPS.
//   gather:  source = d * STRIDE - padding + u, kernel index u (every tap is a real one).
//   scatter: the wide coordinate d is reached from narrow s by kernel index i when
//            s * STRIDE - padding + i = d, so i runs over (d + padding) mod STRIDE + STRIDE * u
//            and s = (d + padding) / STRIDE - u: ceil(KERNEL / STRIDE) candidates, of which the
//            ones with kernel index >= KERNEL are not taps (tap_kernel says so, the caller skips).
// Source coordinates outside the source image are the caller's to check (they read 0).
const uint TAPS = TRANSPOSED ? (KERNEL + STRIDE - 1) / STRIDE : KERNEL;

int tap_source(uint d, uint u) {
    return TRANSPOSED ? (int(d) + padding) / int(STRIDE) - int(u) : int(d * STRIDE + u) - padding;
}

uint tap_kernel(uint d, uint u) {
    return TRANSPOSED ? (d + uint(padding)) % STRIDE + STRIDE * u : u;
}

uint source_channels() { return TRANSPOSED ? narrow_channels : wide_channels; }
uint source_height() { return TRANSPOSED ? narrow_height : wide_height; }
uint source_width() { return TRANSPOSED ? narrow_width : wide_width; }
uint destination_channels() { return TRANSPOSED ? wide_channels : narrow_channels; }
uint destination_height() { return TRANSPOSED ? wide_height : narrow_height; }
uint destination_width() { return TRANSPOSED ? wide_width : narrow_width; }

// w[a, b, i, j] for the destination channel and source channel of a gather or scatter.
uint weight_index(uint destination_channel, uint source_channel, uint i, uint j) {
    uint narrow = TRANSPOSED ? source_channel : destination_channel;
    uint wide = TRANSPOSED ? destination_channel : source_channel;
    return ((narrow * wide_channels + wide) * KERNEL + i) * KERNEL + j;
}

// Defines void NAME(uint slot, int start, int first, uint cols): DEST[slot][m] = X[start + m] for
// m < LENGTH where column first + m of the row lies in [0, cols), else 0 (start is the index of
// column first). On a CPU driver every storage-buffer load instruction is a loop over the SIMD
// lanes, whatever its width, so with VECTOR (X4, the vec4 view of X, covers all of X) the row is
// read as ceil((LENGTH + 3) / 4) aligned vec4 loads and shifted into place by selects, rather than
// LENGTH scalar loads. Aligned groups outside X are clamped into it: their values are masked.
#define DEFINE_ROW_LOADER(NAME, X, X4, VECTOR, DEST, LENGTH)                                     \
    void NAME(uint slot, int start, int first, uint cols) {                                      \
        if (VECTOR) {                                                                            \
            int group = start >> 2, last_group = int(X4.length()) - 1;                           \
            uint shift = uint(start & 3);                                                        \
            vec4 groups[(LENGTH + 6) / 4];                                                       \
            [[unroll]] for (uint g = 0; g < (LENGTH + 6) / 4; g++)                               \
                groups[g] = X4[clamp(group + int(g), 0, last_group)];                            \
            [[unroll]] for (uint m = 0; m < LENGTH; m++) {                                       \
                float value = shift == 0 ? groups[m / 4][m % 4]                                  \
                    : shift == 1 ? groups[(m + 1) / 4][(m + 1) % 4]                              \
                    : shift == 2 ? groups[(m + 2) / 4][(m + 2) % 4]                              \
                    : groups[(m + 3) / 4][(m + 3) % 4];                                          \
                int column = first + int(m);                                                     \
                DEST[slot][m] = column >= 0 && column < int(cols) ? value : 0.0;                 \
            }                                                                                    \
        } else {                                                                                 \
            [[unroll]] for (uint m = 0; m < LENGTH; m++) {                                       \
                int column = first + int(m);                                                     \
                DEST[slot][m] = column >= 0 && column < int(cols) ? X[start + int(m)] : 0.0;     \
            }                                                                                    \
        }                                                                                        \
    }
