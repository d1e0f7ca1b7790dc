// The learning rate of optimizer step t (>= 1, counting from the first step of the run), as the
// schedules of torch.optim.lr_scheduler give it when stepped once per batch (CPU reference:
// LearningRateScheduleReference in C#):
//   warm-up:   for t <= warmup_steps, lr * t / warmup_steps (linear from lr / warmup_steps up to lr);
//   constant:  lr;                      plateau: lr too, times the host's scale (below);
//   cosine:    CosineAnnealingLR after the warm-up, from lr down to 0 over the remaining steps:
//              lr * (1 + cos(pi * (t - warmup_steps - 1) / (total_steps - warmup_steps))) / 2;
//   step:      StepLR: lr * decay_factor ^ floor((t - 1) / decay_every_steps).
// Every schedule is multiplied by `scale` (the host's ReduceLROnPlateau reductions; 1 otherwise).
#define SCHEDULE_CONSTANT 0
#define SCHEDULE_COSINE 1
#define SCHEDULE_STEP 2
#define SCHEDULE_PLATEAU 3

const float PI = 3.14159265358979;

float scheduled_learning_rate(uint schedule, float base_rate, float scale, uint t, uint warmup_steps, uint total_steps,
                              uint decay_every_steps, float decay_factor) {
    t = max(t, 1u);
    float rate = base_rate * scale;
    if (t <= warmup_steps) return rate * float(t) / float(warmup_steps);
    if (schedule == SCHEDULE_COSINE) {
        float progress = float(t - warmup_steps - 1u) / float(max(total_steps - warmup_steps, 1u));
        return rate * 0.5 * (1.0 + cos(PI * min(progress, 1.0)));
    }
    if (schedule == SCHEDULE_STEP) return rate * pow(decay_factor, float((t - 1u) / decay_every_steps));
    return rate;
}
