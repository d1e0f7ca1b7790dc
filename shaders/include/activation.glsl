// Activation functions and their derivatives, selected by a specialization constant.
// The derivative is written in terms of the output y = f(x) where that is cheaper and exact
// (sigmoid, tanh), and in terms of the input x for ReLU (x > 0 <=> y > 0, so y works as well).
#define ACTIVATION_IDENTITY 0
#define ACTIVATION_RELU 1
#define ACTIVATION_SIGMOID 2
#define ACTIVATION_TANH 3

float activate(uint kind, float x) {
    if (kind == ACTIVATION_RELU) return max(x, 0.0);
    // 1 / (1 + e^-x) overflows gracefully to 0 for very negative x; no NaN for any finite x.
    if (kind == ACTIVATION_SIGMOID) return 1.0 / (1.0 + exp(-x));
    if (kind == ACTIVATION_TANH) return tanh(x);
    return x;
}

// d f(x) / dx, given y = f(x).
float activation_derivative(uint kind, float y) {
    if (kind == ACTIVATION_RELU) return y > 0.0 ? 1.0 : 0.0;
    if (kind == ACTIVATION_SIGMOID) return y * (1.0 - y);
    if (kind == ACTIVATION_TANH) return 1.0 - y * y;
    return 1.0;
}
