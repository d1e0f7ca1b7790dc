#version 450
// The viewer's two principal axes of n latent codes of d numbers, from their sums (matmuls on the
// host's side: gram = M^T M [d, d], sums = 1^T M [d]): the covariance
// C = (gram - sums sums^T / n) / (n - 1), its eigenvectors by cyclic Jacobi rotations (Golub and
// Van Loan, Matrix Computations, 8.5), and the two of largest eigenvalue v1, v2.
// One invocation, in steps (push constant `step`), dispatched one after another:
//   STEP_SET_UP: the covariance into work, the identity as the rotations so far;
//   STEP_ROTATE: the rotations of rows first_row .. last_row - 1 of one sweep (all q > p);
//   STEP_FINISH: the two axes from the rotated matrix.
// Why steps: llvmpipe (lavapipe) ends an invocation's loops after 65,535 iterations in all
// (LP_MAX_TGSI_LOOP_ITERATIONS), which a whole d = 30 decomposition already exceeds: the host
// splits each sweep into dispatches that stay within it (PrincipalAxes.RotationDispatches).
// axes: [5, d] row-major, read and written:
//   rows 0, 1: s v1, s v2, with s = sqrt(largest eigenvalue), the spread along v1: a grid point
//              (a, b) decodes to mean + a row0 + b row1, so a and b count spreads along v1;
//   row 2: the mean; rows 3, 4: v1 / s, v2 / s, so a code x projects to ((x - mean) . row3, (x - mean) . row4).
// An eigenvector's sign is free: each keeps the side of the previous call's axis (rows 0, 1 as
// found), so the picture does not flip as training moves the axes; with no previous axis (zeros),
// its largest component is made positive.
// work: [2, d, d] scratch, the matrix being rotated and the accumulated rotations (eigenvectors as columns).
#include "common.glsl"

layout(local_size_x = 1) in;

layout(set = 0, binding = 0) readonly buffer Gram { float gram[]; };
layout(set = 0, binding = 1) readonly buffer Sums { float sums[]; };
layout(set = 0, binding = 2) buffer Work { float work[]; };
layout(set = 0, binding = 3) buffer Axes { float axes[]; };
layout(push_constant) uniform Push { uint d, n, step, first_row, last_row; };

#define STEP_SET_UP 0u
#define STEP_ROTATE 1u
#define STEP_FINISH 2u

#define A(r, c) work[(r) * d + (c)]
#define V(r, c) work[d * d + (r) * d + (c)]

// Eigenvector `column` of V with the sign rule above, for axis `axis` (0 or 1).
float signed_direction(uint column, uint axis) {
    float along_previous = 0.0, largest = 0.0;
    for (uint k = 0; k < d; k++) {
        along_previous += axes[axis * d + k] * V(k, column);
        if (abs(V(k, column)) > abs(largest)) largest = V(k, column);
    }
    if (along_previous != 0.0) return along_previous < 0.0 ? -1.0 : 1.0;
    return largest < 0.0 ? -1.0 : 1.0;
}

void set_up() {
    float inverse_n = 1.0 / float(n), inverse_n1 = 1.0 / float(n - 1u);
    for (uint r = 0; r < d; r++)
        for (uint c = 0; c < d; c++) {
            float rc = gram[r * d + c] - sums[r] * sums[c] * inverse_n;
            float cr = gram[c * d + r] - sums[c] * sums[r] * inverse_n;
            A(r, c) = 0.5 * (rc + cr) * inverse_n1;
            V(r, c) = r == c ? 1.0 : 0.0;
        }
}

void rotate() {
    for (uint p = first_row; p < last_row; p++)
        for (uint q = p + 1u; q < d; q++) {
            float apq = A(p, q);
            // Already 0 to fp32's resolution beside the diagonal: later sweeps skip what earlier ones settled.
            if (abs(apq) <= 1e-9 * (abs(A(p, p)) + abs(A(q, q)))) continue;
            // The rotation by angle phi in the (p, q) plane that zeroes A(p, q): t = tan(phi) is the smaller root of t^2 + 2 theta t - 1 = 0.
            float theta = (A(q, q) - A(p, p)) / (2.0 * apq);
            float t = (theta < 0.0 ? -1.0 : 1.0) / (abs(theta) + sqrt(theta * theta + 1.0));
            float c = 1.0 / sqrt(t * t + 1.0), s = t * c;
            for (uint k = 0; k < d; k++) { // A J
                float akp = A(k, p), akq = A(k, q);
                A(k, p) = c * akp - s * akq;
                A(k, q) = s * akp + c * akq;
            }
            for (uint k = 0; k < d; k++) { // J^T (A J)
                float apk = A(p, k), aqk = A(q, k);
                A(p, k) = c * apk - s * aqk;
                A(q, k) = s * apk + c * aqk;
            }
            for (uint k = 0; k < d; k++) { // V J
                float vkp = V(k, p), vkq = V(k, q);
                V(k, p) = c * vkp - s * vkq;
                V(k, q) = s * vkp + c * vkq;
            }
        }
}

void finish() {
    // The two largest eigenvalues (the first index among equals).
    uint first = 0u;
    for (uint k = 1u; k < d; k++) if (A(k, k) > A(first, first)) first = k;
    uint second = first == 0u ? 1u : 0u;
    for (uint k = 0; k < d; k++) if (k != first && A(k, k) > A(second, second)) second = k;

    float spread = sqrt(max(A(first, first), 0.0));
    if (spread == 0.0) spread = 1.0;
    float sign1 = signed_direction(first, 0u), sign2 = signed_direction(second, 1u);
    float inverse_n = 1.0 / float(n);
    for (uint k = 0; k < d; k++) {
        float v1 = sign1 * V(k, first), v2 = sign2 * V(k, second);
        axes[k] = spread * v1;
        axes[d + k] = spread * v2;
        axes[2u * d + k] = sums[k] * inverse_n;
        axes[3u * d + k] = v1 / spread;
        axes[4u * d + k] = v2 / spread;
    }
}

void main() {
    if (step == STEP_SET_UP) set_up();
    else if (step == STEP_ROTATE) rotate();
    else finish();
}
