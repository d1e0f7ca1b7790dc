#version 450
// One line of text into the frame with the 5x8 bitmap font of src/VulkanAE/Plots/BitmapFont.cs:
// characters text[first .. first + length), each a cell of 6 x 8 pixels (the glyph and one blank
// column) scaled `scale` times; set glyph pixels get `foreground`, the rest of the cell `background`.
// glyphs: 8 row bytes (one per uint) per character from ' ' (32) to '~' (126); bit 4 of a row is
//   the leftmost pixel. Other character codes show as '?'.
// text: character codes, one per uint. frame: see frame.glsl.
#include "common.glsl"
#include "frame.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;

layout(set = 0, binding = 0) readonly buffer Glyphs { uint glyphs[]; };
layout(set = 0, binding = 1) readonly buffer Text { uint text[]; };
layout(set = 0, binding = 2) writeonly buffer Frame { uint frame[]; };
layout(push_constant) uniform Push {
    int frame_width, frame_height, left, top;
    uint first, length, scale, foreground, background;
};

const uint GLYPH_WIDTH = 5, GLYPH_HEIGHT = 8, CELL_WIDTH = GLYPH_WIDTH + 1;
const uint FIRST_CHARACTER = 32, LAST_CHARACTER = 126, UNKNOWN_CHARACTER = 63; // ' ', '~', '?'

void main() {
    uint x = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
    if (x >= length * CELL_WIDTH * scale || y >= GLYPH_HEIGHT * scale) return;
    int target = frame_index(frame_width, frame_height, left, top, x, y);
    if (target < 0) return;

    uint character = text[first + x / (CELL_WIDTH * scale)];
    if (character < FIRST_CHARACTER || character > LAST_CHARACTER) character = UNKNOWN_CHARACTER;
    uint column = (x / scale) % CELL_WIDTH, row = y / scale;
    uint bits = glyphs[(character - FIRST_CHARACTER) * GLYPH_HEIGHT + row];
    bool set = column < GLYPH_WIDTH && ((bits >> (GLYPH_WIDTH - 1 - column)) & 1u) != 0;
    frame[target] = set ? foreground : background;
}
