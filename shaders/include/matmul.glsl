// Shared by the matmul variants (shaders/dense/matmul_*.comp): C[M,N] = op(A) · op(B).
//
// Layout, all row-major: A is [M,K], or [K,M] when TRANSPOSE_A; B is [K,N], or [N,K] when
// TRANSPOSE_B; C is [M,N]. op(A)[row, k] and op(B)[k, col] are the logical operands, and the
// index functions below are the only place that maps them to storage. Transposes are
// specialization constants, so each (transposeA, transposeB) pair is its own pipeline and the
// branches below fold away.
//
// Specialization constants: 0, 1 = workgroup size x, y (set by the including shader's layout);
// 2, 3 = transposes; 4 and up belong to each variant.

layout(constant_id = 2) const bool TRANSPOSE_A = false;
layout(constant_id = 3) const bool TRANSPOSE_B = false;

layout(set = 0, binding = 0) readonly buffer MatrixA { float a[]; };
layout(set = 0, binding = 1) readonly buffer MatrixB { float b[]; };
layout(set = 0, binding = 2) writeonly buffer MatrixC { float c[]; };
layout(push_constant) uniform MatmulShape { uint M; uint N; uint K; };

uint a_index(uint row, uint k) { return TRANSPOSE_A ? k * M + row : row * K + k; }
uint b_index(uint k, uint col) { return TRANSPOSE_B ? col * K + k : k * N + col; }
