// Shared by the matmul variants (shaders/dense/matmul_*.comp): C[M,N] = op(A) · op(B).
//
// Layout, all row-major: A is [M,K], or [K,M] when TRANSPOSE_A; B is [K,N], or [N,K] when
// TRANSPOSE_B; C is [M,N]. op(A)[row, k] and op(B)[k, col] are the logical operands, and the
// index functions below are the only place that maps them to storage. Transposes are
// specialization constants, so each (transposeA, transposeB) pair is its own pipeline and the
// branches below fold away.
//
// Specialization constants: 0, 1 = workgroup size x, y (set by the including shader's layout);
// 2, 3 = transposes; 20, 21 = the epilogue (below); 4 to 19 belong to each variant.
//
// Epilogue: every variant stores C[row, col] = activation(sum + bias[col]) through store_c, with
// BIAS a [N] vector at binding 3 when BIAS, and ACTIVATION as activation.glsl numbers them, so a
// dense layer's forward pass (Y = X · W^T + b, then its activation) is one dispatch. Without BIAS
// the host binds another tensor there, which the shader then never reads.
#include "activation.glsl"

layout(constant_id = 2) const bool TRANSPOSE_A = false;
layout(constant_id = 3) const bool TRANSPOSE_B = false;

layout(set = 0, binding = 0) readonly buffer MatrixA { float a[]; };
layout(set = 0, binding = 1) readonly buffer MatrixB { float b[]; };
layout(set = 0, binding = 2) writeonly buffer MatrixC { float c[]; };
layout(set = 0, binding = 3) readonly buffer Bias { float bias[]; };
layout(push_constant) uniform MatmulShape { uint M; uint N; uint K; };
layout(constant_id = 20) const bool BIAS = false;
layout(constant_id = 21) const uint ACTIVATION = ACTIVATION_IDENTITY;

uint a_index(uint row, uint k) { return TRANSPOSE_A ? k * M + row : row * K + k; }
uint b_index(uint k, uint col) { return TRANSPOSE_B ? col * K + k : k * N + col; }

// C[row, col] = activation(sum (+ bias[col])): the sum added to the bias, as PyTorch's Linear does.
void store_c(uint row, uint col, float sum) { c[row * N + col] = activate(ACTIVATION, BIAS ? sum + bias[col] : sum); }
