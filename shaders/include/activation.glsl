// Activation functions and their derivatives, selected by a specialization constant.
// The derivative is written in terms of the output y = f(x) where that is cheaper and exact
// (sigmoid, tanh), and in terms of the input x for ReLU (x > 0 <=> y > 0, so y works as well).
#define ACTIVATION_IDENTITY 0
#define ACTIVATION_RELU 1
#define ACTIVATION_SIGMOID 2
#define ACTIVATION_TANH 3

// Defined for float and for vec4 (four elements per invocation, see common.glsl's VECTOR note).
#define DEFINE_ACTIVATION(T)                                                                   \
    T activate(uint kind, T x) {                                                               \
        /* max() may return the non-NaN operand: keep a NaN, as PyTorch does, so a diverging */ \
        /* run shows in its loss rather than hiding behind a ReLU. */                          \
        if (kind == ACTIVATION_RELU) return mix(max(x, T(0.0)), x, isnan(x));                  \
        /* 1 / (1 + e^-x) overflows gracefully to 0 for very negative x: no NaN for finite x. */ \
        if (kind == ACTIVATION_SIGMOID) return T(1.0) / (T(1.0) + exp(-x));                    \
        if (kind == ACTIVATION_TANH) return tanh(x);                                           \
        return x;                                                                              \
    }                                                                                          \
    /* d f(x) / dx, given y = f(x); for ReLU y >= 0, so sign(y) is 1 exactly where x > 0. */   \
    T activation_derivative(uint kind, T y) {                                                  \
        if (kind == ACTIVATION_RELU) return sign(y);                                           \
        if (kind == ACTIVATION_SIGMOID) return y * (T(1.0) - y);                               \
        if (kind == ACTIVATION_TANH) return T(1.0) - y * y;                                    \
        return T(1.0);                                                                         \
    }

DEFINE_ACTIVATION(float)
DEFINE_ACTIVATION(vec4)
