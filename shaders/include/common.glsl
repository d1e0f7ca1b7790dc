// Shared by every kernel: the GLSL version, and the conventions the host relies on.
//
// - Tensors are storage buffers of 32-bit elements at set 0, bindings 0..n-1, in the order the
//   host's KernelSignature lists them. Matrices are row-major: element (r, c) of an R x C matrix
//   lives at r * C + c.
// - The workgroup size is specialization constant 0 (and 1 for 2-D kernels), chosen by the host
//   per device, so no shader assumes a subgroup or warp width.
// - 1-D kernels walk their elements with GRID_STRIDE_LOOP, so any element count fits in a
//   dispatch whatever the device's maxComputeWorkGroupCount.
// - Elementwise kernels may take a VECTOR specialization constant: when the element count and
//   every tensor length are multiples of 4 (LinearDispatch.Vectorizable), each invocation handles
//   four elements through vec4 views of the same bindings. A CPU driver such as lavapipe pays per
//   load instruction, lane by lane, so this runs several times faster there; on a GPU it is a
//   plain 16-byte access.
#extension GL_EXT_control_flow_attributes : enable

#define GRID_STRIDE_LOOP(i, n) \
    for (uint i = gl_GlobalInvocationID.x; i < (n); i += gl_NumWorkGroups.x * gl_WorkGroupSize.x)
