#version 450
// One Adam step (torch.optim.Adam) or AdamW step (torch.optim.AdamW: decoupled weight decay)
// over `count` parameters, in torch's order of operations:
//   p  = p * (1 - lr * weight_decay)                   (AdamW only; decay_factor is 1 otherwise)
//   m  = beta1 m + (1 - beta1) g
//   v  = beta2 v + (1 - beta2) g^2
//   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// The step t (>= 1, counting this one) is read from the training state on the device, not pushed,
// so one recorded training step can be replayed for every step.
// With CLIPPED set, g is first multiplied by the factor gradient_clip_scale.comp left in the
// training state (torch.nn.utils.clip_grad_norm_ scales the gradients in place before the step);
// a factor of 1 leaves every number as without clipping.
// With SCHEDULED set, lr is the step's rate that advance_state.comp left in the training state
// (a learning-rate schedule) instead of the pushed one, and the decay factor 1 - lr * weight_decay
// follows it.
// With VECTOR set (see common.glsl) each invocation updates four parameters.
#include "common.glsl"
#include "training_state.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool VECTOR = false;
layout(constant_id = 2) const bool CLIPPED = false;
layout(constant_id = 3) const bool SCHEDULED = false;

layout(set = 0, binding = 0) buffer Parameters { float p[]; };
layout(set = 0, binding = 1) readonly buffer Gradients { float g[]; };
layout(set = 0, binding = 2) buffer FirstMoment { float m[]; };
layout(set = 0, binding = 3) buffer SecondMoment { float v[]; };
layout(set = 0, binding = 4) readonly buffer TrainingState { uint training_state[]; };
layout(set = 0, binding = 0) buffer Parameters4 { vec4 p4[]; };
layout(set = 0, binding = 1) readonly buffer Gradients4 { vec4 g4[]; };
layout(set = 0, binding = 2) buffer FirstMoment4 { vec4 m4[]; };
layout(set = 0, binding = 3) buffer SecondMoment4 { vec4 v4[]; };
layout(push_constant) uniform Push {
    uint count;
    float learning_rate;
    float beta1;
    float beta2;
    float one_minus_beta1; // from the host in double, as torch computes them (see AdamSettings.AsWritten)
    float one_minus_beta2;
    float epsilon;
    float decay_factor; // 1 - lr * weight_decay, computed by the host
    float log_beta1;    // ln(beta1) and ln(beta2), computed by the host in double:
    float log_beta2;    // a GPU's log (and pow) near 1 has only ~2^-21 absolute accuracy
    float weight_decay; // SCHEDULED only: the decay factor is computed from the step's rate
};

// 1 - beta^t as -expm1(t ln beta). The direct 1 - pow(beta, t) cancels when beta^t is near 1
// (beta2 = 0.999 at small t: 1 - beta2 = 0.001 keeps only the few digits pow got right), so
// small arguments use the Taylor series of expm1, which needs no transcendental at all.
float one_minus_power(float log_beta, uint t) {
    float x = float(t) * log_beta;
    if (x < -0.5) return 1.0 - exp(x);
    // For |x| <= 0.5 the terms after x^9/9! are below float precision relative to the sum.
    float term = x;
    float sum = x;
    [[unroll]] for (uint k = 2; k <= 9; k++) {
        term *= x / float(k);
        sum += term;
    }
    return -sum;
}

// The update of one parameter (or four, as vec4): genType keeps the two paths one piece of code.
#define ADAM_UPDATE(P, G, M, V, I)                                                          \
    {                                                                                       \
        gradient = G[I] * gradient_scale;                                                   \
        first = M[I] * beta1 + one_minus_beta1 * gradient;                                  \
        second = V[I] * beta2 + one_minus_beta2 * gradient * gradient;                      \
        M[I] = first;                                                                       \
        V[I] = second;                                                                      \
        P[I] = P[I] * decay - step_size * (first / (sqrt(second) / bias_correction2_sqrt + epsilon)); \
    }

void main() {
    uint t = training_state[STATE_OPTIMIZER_STEP];
    float rate = SCHEDULED ? uintBitsToFloat(training_state[STATE_LEARNING_RATE]) : learning_rate;
    float decay = SCHEDULED ? 1.0 - rate * weight_decay : decay_factor;
    float step_size = rate / one_minus_power(log_beta1, t);
    float bias_correction2_sqrt = sqrt(one_minus_power(log_beta2, t));
    float gradient_scale = CLIPPED ? uintBitsToFloat(training_state[STATE_GRADIENT_SCALE]) : 1.0;
    if (VECTOR) {
        vec4 gradient, first, second;
        GRID_STRIDE_LOOP(i, count / 4u) ADAM_UPDATE(p4, g4, m4, v4, i)
    } else {
        float gradient, first, second;
        GRID_STRIDE_LOOP(i, count) ADAM_UPDATE(p, g, m, v, i)
    }
}
