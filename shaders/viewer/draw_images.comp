#version 450
// A grid of images into a panel of the frame: cell i (row-major, `columns` per row) shows image
// i - first_cell of `images` in shown_width x shown_height pixels (nearest neighbour: pixel (cx, cy)
// shows image pixel (cx * width / shown_width, cy * height / shown_height), which scales up or
// down), followed by `gap` background pixels to the right and below. Only cells first_cell .. first_cell + count - 1 are written, so a grid decoded
// in chunks is drawn chunk by chunk.
// images: [count, channels, height, width] floats (NCHW), mapped to bytes as
//   round_even(clamp((v - low) * inverse_range, 0, 1) * 255); 1 channel is gray, 3 are RGB.
// frame: see frame.glsl.
#include "common.glsl"
#include "frame.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;
layout(constant_id = 2) const uint RED_SHIFT = 0; // 0: R8G8B8A8 bytes; 16: B8G8R8A8

layout(set = 0, binding = 0) readonly buffer Images { float images[]; };
layout(set = 0, binding = 1) writeonly buffer Frame { uint frame[]; };
layout(push_constant) uniform Push {
    int frame_width, frame_height, left, top;
    uint columns, first_cell, count, channels, height, width, shown_height, shown_width, gap, background;
    float low, inverse_range;
};

uint to_byte(float v) {
    return uint(roundEven(clamp((v - low) * inverse_range, 0.0, 1.0) * 255.0));
}

void main() {
    uint cell_width = shown_width + gap, cell_height = shown_height + gap;
    uint x = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
    if (x >= columns * cell_width) return;
    uint cell = (y / cell_height) * columns + x / cell_width;
    if (cell < first_cell || cell >= first_cell + count) return;
    int target = frame_index(frame_width, frame_height, left, top, x, y);
    if (target < 0) return;

    uint cx = x % cell_width, cy = y % cell_height;
    if (cx >= shown_width || cy >= shown_height) {
        frame[target] = background;
        return;
    }
    uint plane = height * width;
    uint base = (cell - first_cell) * channels * plane + cy * height / shown_height * width + cx * width / shown_width;
    uint r = to_byte(images[base]);
    uint g = channels == 3 ? to_byte(images[base + plane]) : r;
    uint b = channels == 3 ? to_byte(images[base + 2 * plane]) : r;
    frame[target] = (r << RED_SHIFT) | (g << 8) | (b << (16 - RED_SHIFT)) | (255u << 24);
}
