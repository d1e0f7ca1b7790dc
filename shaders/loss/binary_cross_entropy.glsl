// Binary cross-entropy of sigmoid(z) against a target t in [0, 1], from the logit z: shared by
// the training loss (elementwise_loss.comp) and the importance weights of a VAE's log-likelihood
// (vae/importance_log_weight.comp), so both measure -log p(x|z) the same way.

// log(1 + u) for u in [0, 1], accurate also when u is far below float epsilon, where log(1 + u)
// would round to 0 (Goldberg's trick: the rounding error of 1 + u cancels in the ratio).
float log1p_small(float u) {
    float one_plus_u = 1.0 + u;
    return one_plus_u == 1.0 ? u : log(one_plus_u) * u / (one_plus_u - 1.0);
}

// L = max(z, 0) - z t + log(1 + e) with e = exp(-|z|) <= 1: nothing overflows for any finite z.
float bce_with_logits_loss(float z, float target) {
    return max(z, 0.0) - z * target + log1p_small(exp(-abs(z)));
}
