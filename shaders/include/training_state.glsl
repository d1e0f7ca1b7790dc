// The training state tensor (uint[6]) that replayed command buffers read instead of push
// constants, because push constants are frozen when a step is recorded:
//   state[STATE_OPTIMIZER_STEP]:       optimizer steps taken, counting the current one (Adam's t).
//   state[STATE_BATCH]:                batch number within the current pass over a dataset.
//   state[STATE_GRADIENT_NORM]:        with gradient clipping, this step's global gradient norm (float bits);
//   state[STATE_GRADIENT_SCALE]:       and the factor Adam scales the gradients by, both written by
//                                      gradient_clip_scale.comp.
//   state[STATE_LEARNING_RATE]:        the current step's learning rate (float bits), written by
//                                      advance_state.comp from the schedule; Adam reads it.
//   state[STATE_LEARNING_RATE_SCALE]:  a factor on the schedule (float bits) that only the host sets,
//                                      between epochs: ReduceLROnPlateau's reductions, else 1.
// The host sets it between passes; advance_state.comp moves it on at the end of each step.
#define STATE_OPTIMIZER_STEP 0
#define STATE_BATCH 1
#define STATE_GRADIENT_NORM 2
#define STATE_GRADIENT_SCALE 3
#define STATE_LEARNING_RATE 4
#define STATE_LEARNING_RATE_SCALE 5
