#version 450
// CutPaste (Li, Sohn, Yoon, Pfister, CVPR 2021): the made-up anomaly a classifier learns to tell from
// normal images. A batch [2 images, channels, height, width] holds images clean ones; for each
// n < images this writes its pasted copy after them:
//   batch[images + n] = batch[n], except that a patch of ph x pw pixels (every channel) copied
//                       from (sy, sx) covers (ty, tx)
// with the sides drawn uniformly from min_side..max_side (capped at the image's height and width)
// and both corners uniformly from every position that keeps the patch inside the image, so patches
// at the edges are as likely as anywhere else. The six numbers are two Philox blocks (philox.glsl)
//   key = (seed, stream), counter = (n, optimizer step, batch, 0 or 1)
// with the last two read from the training state, so a recorded step draws new patches at every
// replay and a rerun from the same state draws the same ones (step_normals.glsl's scheme).
// A uniform draw from k values is bits % k: its bias, under k / 2^32, is far below anything a
// patch position could show.
//
// One workgroup per image: invocation 0 draws the patch, every invocation then copies a stride of
// the image's elements. Reads stay in the first half and writes in the second, so one binding
// serves both.
#include "common.glsl"
#include "philox.glsl"
#include "training_state.glsl"

layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0) buffer Batch { float batch[]; };
layout(set = 0, binding = 1) readonly buffer TrainingState { uint training_state[]; };
layout(push_constant) uniform Push { uint images; uint channels; uint height; uint width; uint min_side; uint max_side; uint seed; uint stream; };

shared uvec2 patch_size; // (ph, pw)
shared uvec4 corners;    // (sy, sx, ty, tx)

uint draw_between(uint bits, uint low, uint high) { return low + bits % (high - low + 1u); }

void main() {
    uint n = gl_WorkGroupID.x;
    if (gl_LocalInvocationID.x == 0u) {
        uvec2 key = uvec2(seed, stream);
        uvec4 counter = uvec4(n, training_state[STATE_OPTIMIZER_STEP], training_state[STATE_BATCH], 0u);
        uvec4 a = philox4x32_10(counter, key);
        uvec4 b = philox4x32_10(uvec4(counter.xyz, 1u), key);
        uint ph = draw_between(a.x, min_side, min(max_side, height));
        uint pw = draw_between(a.y, min_side, min(max_side, width));
        patch_size = uvec2(ph, pw);
        corners = uvec4(a.z % (height - ph + 1u), a.w % (width - pw + 1u), b.x % (height - ph + 1u), b.y % (width - pw + 1u));
    }
    barrier();
    uvec2 size = patch_size;
    uvec4 at = corners;
    uint plane = height * width;
    uint image_size = channels * plane;
    uint clean = n * image_size, pasted = (images + n) * image_size;
    for (uint j = gl_LocalInvocationID.x; j < image_size; j += gl_WorkGroupSize.x) {
        uint c = j / plane, y = (j % plane) / width, x = j % width;
        bool inside = y >= at.z && y < at.z + size.x && x >= at.w && x < at.w + size.y;
        uint from = inside ? (c * height + at.x + (y - at.z)) * width + at.y + (x - at.w) : j;
        batch[pasted + j] = batch[clean + from];
    }
}
