// The frame the viewer draws: width x height pixels, row-major, one uint per pixel holding four
// 8-bit channels. Which byte is red depends on the surface the frame is copied to (B8G8R8A8 or
// R8G8B8A8): colours arrive packed by the host (FramePixelFormat in src/VulkanAE/Viewer), so only a
// kernel that builds a colour from channels needs the byte order, as a specialization constant.
//
// Panel kernels are 2-D: one invocation per pixel of the panel's rectangle, clipped to the frame.
// Each writes every pixel of its rectangle, so panels need no clear between frames.

// The frame pixel of panel pixel (x, y), or -1 when it falls outside the frame.
int frame_index(int frame_width, int frame_height, int left, int top, uint x, uint y) {
    int fx = left + int(x), fy = top + int(y);
    return (fx < 0 || fy < 0 || fx >= frame_width || fy >= frame_height) ? -1 : fy * frame_width + fx;
}
