#version 450
// Polylines (the loss curves) into a panel of width x height pixels. Points are integer pixel
// coordinates inside the panel (x right, y down), so the test of a pixel against a segment is
// exact integer arithmetic and the CPU reference gives the same pixels bit for bit.
// curves: `series` point counts, then `series` blocks of `capacity` points (x, y), x non-decreasing
//   along each series (a curve over time): a pixel column only tests the segments that span it,
//   found by binary search, so the cost does not grow with the number of points.
// palette: packed colours; series s is drawn in palette[s], later series over earlier ones.
// Series whose bit is set in marked_series also draw each point as a square of side
// 2 * marker_radius + 1 (the per-epoch test loss: one epoch is one point, a segment of length 0).
// frame: see frame.glsl.
#include "common.glsl"
#include "frame.glsl"

layout(local_size_x_id = 0, local_size_y_id = 1) in;

layout(set = 0, binding = 0) readonly buffer Curves { int curves[]; };
layout(set = 0, binding = 1) readonly buffer Palette { uint palette[]; };
layout(set = 0, binding = 2) writeonly buffer Frame { uint frame[]; };
layout(push_constant) uniform Push {
    int frame_width, frame_height, left, top;
    uint width, height, series, capacity, background, marked_series;
    int marker_radius;
};

// Pixel p lies on segment a-b when it is inside the segment's bounding box and its distance from
// the line along the minor axis is at most half a pixel: 2 |cross(p - a, b - a)| <= max(|dx|, |dy|).
bool on_segment(ivec2 p, ivec2 a, ivec2 b) {
    if (p.x < min(a.x, b.x) || p.x > max(a.x, b.x) || p.y < min(a.y, b.y) || p.y > max(a.y, b.y)) return false;
    ivec2 d = b - a, q = p - a;
    return 2 * abs(q.x * d.y - q.y * d.x) <= max(abs(d.x), abs(d.y));
}

void main() {
    uint x = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
    if (x >= width || y >= height) return;
    int target = frame_index(frame_width, frame_height, left, top, x, y);
    if (target < 0) return;

    ivec2 p = ivec2(x, y);
    uint colour = background;
    for (uint s = 0; s < series; s++) {
        int count = curves[s];
        uint base = series + s * capacity * 2;
        // The first segment i whose end point (i + 1, or i itself for the last) reaches column x.
        int low = 0, high = count;
        while (low < high) {
            int middle = (low + high) / 2;
            if (curves[base + 2 * min(middle + 1, count - 1)] < p.x) low = middle + 1; else high = middle;
        }
        for (int i = low; i < count && curves[base + 2 * i] <= p.x; i++) {
            ivec2 a = ivec2(curves[base + 2 * i], curves[base + 2 * i + 1]);
            ivec2 b = i + 1 < count ? ivec2(curves[base + 2 * i + 2], curves[base + 2 * i + 3]) : a;
            if (on_segment(p, a, b)) colour = palette[s];
        }
        if ((marked_series & (1u << s)) == 0) continue;
        // The first point at or right of column x - marker_radius, then every point up to x + marker_radius.
        low = 0; high = count;
        while (low < high) {
            int middle = (low + high) / 2;
            if (curves[base + 2 * middle] < p.x - marker_radius) low = middle + 1; else high = middle;
        }
        for (int i = low; i < count && curves[base + 2 * i] <= p.x + marker_radius; i++)
            if (abs(curves[base + 2 * i + 1] - p.y) <= marker_radius) colour = palette[s];
    }
    frame[target] = colour;
}
