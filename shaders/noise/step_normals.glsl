// The standard normals a training step draws for one tensor, shared by the noise kernels.
// Element i of the tensor is component i % 4 of the Philox4x32-10 block (philox.glsl) with
//   key     = (seed, stream)                     one stream per tensor that needs noise
//   counter = (i / 4, optimizer step, batch, 0)  the last two read from the training state
// The counter comes from the device, so a command buffer recorded once draws new numbers at
// every step it is replayed (and for every batch of an evaluation pass, where the optimizer step
// stands still), and the same numbers whenever a run is repeated from the same state.
#include "philox.glsl"
#include "training_state.glsl"

// Elements 4 group .. 4 group + 3 go to invocations one Philox block at a time; count may be any
// size: the last block is partly unused. Written without count + 3 so that no count overflows.
uint normal_blocks(uint count) {
    return (count >> 2u) + ((count & 3u) != 0u ? 1u : 0u);
}

vec4 step_normals(uint seed, uint stream, uint block, uint optimizer_step, uint batch) {
    return philox_standard_normal4(uvec4(block, optimizer_step, batch, 0u), uvec2(seed, stream));
}
