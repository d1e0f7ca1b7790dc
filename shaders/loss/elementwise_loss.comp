#version 450
// An elementwise loss over a [rows, cols] batch (row-major), with its gradient:
//   grad[r, c]  = grad_scale * dL(x[r, c], t[r, c]) / dx
//   row_loss[r] = sum over c of L(x[r, c], t[r, c])   (unscaled)
// L is specialization constant 1 (LOSS_* below). grad_scale picks the caller's reduction
// (1/(rows*cols) for a per-element mean, 1/rows for a per-sample sum averaged over the batch).
// The model's output activation is fused in, so x is always the decoder's output before it:
// binary cross-entropy reads the logits of its sigmoid; the squared error applies
// OUTPUT_ACTIVATION (constant 2, activation.glsl) to x and differentiates through it,
//   p = f(x),  L = (p - t)^2,  grad = grad_scale * 2 (p - t) * f'(p),
// one pass where the activation's forward and backward would be two more.
// Rows are summed as reduce/row_sum.glsl says, chosen by specialization constant 3.
#include "common.glsl"
#include "activation.glsl"

#define LOSS_BINARY_CROSS_ENTROPY_WITH_LOGITS 0
#define LOSS_SQUARED_ERROR 1

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint KIND = LOSS_BINARY_CROSS_ENTROPY_WITH_LOGITS;
layout(constant_id = 2) const uint OUTPUT_ACTIVATION = ACTIVATION_IDENTITY;
layout(constant_id = 3) const bool ONE_WORKGROUP_PER_ROW = true;
#include "binary_cross_entropy.glsl"

layout(set = 0, binding = 0) readonly buffer Input { float x[]; };
layout(set = 0, binding = 1) readonly buffer Target { float t[]; };
layout(set = 0, binding = 2) writeonly buffer Grad { float grad[]; };
layout(set = 0, binding = 3) writeonly buffer RowLoss { float row_loss[]; };
layout(push_constant) uniform Push { uint rows; uint cols; float grad_scale; };
#include "../reduce/row_sum.glsl"

// Binary cross-entropy of sigmoid(z) against t, from the logit z, and its derivative
// dL/dz = sigmoid(z) - t, with e = exp(-|z|) and s = sigmoid(-|z|) = e / (1 + e): s - t for z < 0
// and (1 - t) - s for z >= 0, which keeps the tiny gradient of a saturated logit with t = 1
// (1 - s would round to 1).
void bce_with_logits(float z, float target, out float loss, out float derivative) {
    float e = exp(-abs(z));
    float s = e / (1.0 + e);
    loss = bce_with_logits_loss(z, target);
    derivative = z >= 0.0 ? (1.0 - target) - s : s - target;
}

// Writes the gradient of the row's columns first, first + stride, ... and returns the sum of their losses.
float row_part(uint row, uint first, uint stride) {
    float partial = 0.0;
    for (uint col = first; col < cols; col += stride) {
        uint i = row * cols + col;
        float loss;
        if (KIND == LOSS_BINARY_CROSS_ENTROPY_WITH_LOGITS) {
            float derivative;
            bce_with_logits(x[i], t[i], loss, derivative);
            grad[i] = grad_scale * derivative;
        } else {
            float p = activate(OUTPUT_ACTIVATION, x[i]);
            float difference = p - t[i];
            loss = difference * difference;
            // Scaled before the activation's factor, in the order of the separate passes this replaces.
            grad[i] = grad_scale * (2.0 * difference) * activation_derivative(OUTPUT_ACTIVATION, p);
        }
        partial += loss;
    }
    return partial;
}

void write_row(uint row, float sum) { row_loss[row] = sum; }
