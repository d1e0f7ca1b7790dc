using Silk.NET.Vulkan;
using VulkanAE.Core;
using Semaphore = Silk.NET.Vulkan.Semaphore;
using VkFormat = Silk.NET.Vulkan.Format;

namespace VulkanAE.Viewer;

/// <summary>
/// A window surface's swapchain, fed by copying the frame tensor into the acquired image: one
/// command buffer per image (barrier after the drawing, UNDEFINED -> TRANSFER_DST, copy,
/// TRANSFER_DST -> PRESENT_SRC), the acquire semaphore waited at the transfer stage, a
/// render-finished semaphore per image for the present, and a fence that the next frame waits on.
/// When the surface changes size (or the swapchain goes out of date) it is recreated at the next
/// present; a minimised window (extent 0) presents nothing. A window smaller than the frame gets
/// the frame shrunk to fit (<see cref="ViewerLayout.FramePlacement"/>): a compute pass
/// (<see cref="FrameScaler"/>) submitted before the copy, which then reads its output.
/// </summary>
internal sealed unsafe class Swapchain : IDisposable
{
    private static Vk Vk => VulkanApi.Vk;

    private readonly Gpu _gpu;
    private readonly WindowSystemFunctions _wsi;
    private readonly SurfaceKHR _surface;
    private readonly FrameTarget _frame;
    private readonly Semaphore _acquired;
    private readonly Fence _presented;
    private SwapchainKHR _swapchain;
    private Image[] _images = [];
    private CommandBuffer[] _commandBuffers = [];
    private Semaphore[] _renderFinished = [];
    private bool _stale = true;
    private bool _inFlight;
    private Tensor? _shrunk;
    private Sequence? _shrink;
    private Submission? _shrinking;

    public Swapchain(Gpu gpu, WindowSystemFunctions wsi, SurfaceKHR surface, FrameTarget frame)
    {
        _gpu = gpu;
        _wsi = wsi;
        _surface = surface;
        _frame = frame;
        _acquired = CreateSemaphore();
        var fenceInfo = new FenceCreateInfo { SType = StructureType.FenceCreateInfo };
        Fence fence;
        Vk.CreateFence(gpu.Device, &fenceInfo, null, &fence).Check("vkCreateFence");
        _presented = fence;
    }

    /// <summary>The byte order of the images: the frame's, which <see cref="ChooseFormat"/> picked for this surface.</summary>
    private FramePixelFormat Format => _frame.Format;

    public (uint Width, uint Height) Extent { get; private set; }

    /// <summary>The surface changed size: recreate before the next present.</summary>
    public void Invalidate() => _stale = true;

    /// <summary>
    /// B8G8R8A8_UNORM where offered (X11, most desktop drivers), else R8G8B8A8_UNORM: UNORM, so the
    /// frame's bytes reach the screen unchanged.
    /// </summary>
    public static FramePixelFormat ChooseFormat(Gpu gpu, WindowSystemFunctions wsi, SurfaceKHR surface)
    {
        var formats = SurfaceFormats(gpu, wsi, surface);
        if (formats.Any(f => f.Format == VkFormat.B8G8R8A8Unorm)) return FramePixelFormat.Bgra;
        if (formats.Any(f => f.Format == VkFormat.R8G8B8A8Unorm)) return FramePixelFormat.Rgba;
        throw new VulkanException($"the window surface offers neither B8G8R8A8_UNORM nor R8G8B8A8_UNORM (formats {string.Join(", ", formats.Select(f => f.Format))})");
    }

    private static SurfaceFormatKHR[] SurfaceFormats(Gpu gpu, WindowSystemFunctions wsi, SurfaceKHR surface)
    {
        uint count;
        wsi.GetSurfaceFormats(gpu.PhysicalDevice, surface, &count, null).Check("vkGetPhysicalDeviceSurfaceFormatsKHR");
        var formats = new SurfaceFormatKHR[count];
        fixed (SurfaceFormatKHR* p = formats)
            wsi.GetSurfaceFormats(gpu.PhysicalDevice, surface, &count, p).Check("vkGetPhysicalDeviceSurfaceFormatsKHR");
        return formats;
    }

    /// <summary>
    /// Shows the frame tensor, whose drawing was submitted before on the same queue. Returns false when
    /// nothing was shown (minimised, or the swapchain was out of date and is recreated next time).
    /// </summary>
    public bool Present()
    {
        WaitForLastPresent();
        if (_stale && !Recreate()) return false;
        uint index;
        var acquire = _wsi.AcquireNextImage(_gpu.Device, _swapchain, ulong.MaxValue, _acquired, default, &index);
        if (acquire == Result.ErrorOutOfDateKhr)
        {
            _stale = true;
            return false;
        }
        if (acquire != Result.SuboptimalKhr) acquire.Check("vkAcquireNextImageKHR");

        _shrinking = _shrink?.Submit();
        var fence = _presented;
        Vk.ResetFences(_gpu.Device, 1, &fence).Check("vkResetFences");
        var waitSemaphore = _acquired;
        var signalSemaphore = _renderFinished[index];
        var waitStage = PipelineStageFlags.TransferBit;
        var commandBuffer = _commandBuffers[index];
        var submit = new SubmitInfo
        {
            SType = StructureType.SubmitInfo,
            WaitSemaphoreCount = 1,
            PWaitSemaphores = &waitSemaphore,
            PWaitDstStageMask = &waitStage,
            CommandBufferCount = 1,
            PCommandBuffers = &commandBuffer,
            SignalSemaphoreCount = 1,
            PSignalSemaphores = &signalSemaphore,
        };
        Vk.QueueSubmit(_gpu.Queue, 1, &submit, fence).Check("vkQueueSubmit (present copy)");
        _inFlight = true;

        var swapchain = _swapchain;
        var present = new PresentInfoKHR
        {
            SType = StructureType.PresentInfoKhr,
            WaitSemaphoreCount = 1,
            PWaitSemaphores = &signalSemaphore,
            SwapchainCount = 1,
            PSwapchains = &swapchain,
            PImageIndices = &index,
        };
        var result = _wsi.QueuePresent(_gpu.Queue, &present);
        if (result is Result.ErrorOutOfDateKhr or Result.SuboptimalKhr) _stale = true;
        else result.Check("vkQueuePresentKHR");
        _gpu.Instance.ThrowIfValidationFailed();
        return true;
    }

    private void WaitForLastPresent()
    {
        _shrinking?.Wait();
        _shrinking = null;
        if (!_inFlight) return;
        var fence = _presented;
        Vk.WaitForFences(_gpu.Device, 1, &fence, true, ulong.MaxValue).Check("vkWaitForFences (present)");
        _inFlight = false;
    }

    private bool Recreate()
    {
        SurfaceCapabilitiesKHR capabilities;
        _wsi.GetSurfaceCapabilities(_gpu.PhysicalDevice, _surface, &capabilities).Check("vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        // currentExtent is the window's size on X11; 0xFFFFFFFF means the swapchain decides: the frame's.
        var extent = capabilities.CurrentExtent.Width == uint.MaxValue
            ? new Extent2D { Width = (uint)_frame.Width, Height = (uint)_frame.Height }
            : capabilities.CurrentExtent;
        if (extent.Width == 0 || extent.Height == 0) return false; // minimised
        if (!capabilities.SupportedUsageFlags.HasFlag(ImageUsageFlags.TransferDstBit))
            throw new VulkanException("the window surface's images cannot be transfer destinations, which the viewer copies its frame into");

        Vk.DeviceWaitIdle(_gpu.Device).Check("vkDeviceWaitIdle");
        DestroyImageResources();
        uint imageCount = capabilities.MaxImageCount == 0 ? capabilities.MinImageCount + 1 : Math.Min(capabilities.MinImageCount + 1, capabilities.MaxImageCount);
        var old = _swapchain;
        var info = new SwapchainCreateInfoKHR
        {
            SType = StructureType.SwapchainCreateInfoKhr,
            Surface = _surface,
            MinImageCount = imageCount,
            ImageFormat = Format == FramePixelFormat.Bgra ? VkFormat.B8G8R8A8Unorm : VkFormat.R8G8B8A8Unorm,
            ImageColorSpace = ColorSpaceKHR.SpaceSrgbNonlinearKhr,
            ImageExtent = extent,
            ImageArrayLayers = 1,
            ImageUsage = ImageUsageFlags.TransferDstBit,
            ImageSharingMode = SharingMode.Exclusive,
            PreTransform = capabilities.CurrentTransform,
            CompositeAlpha = capabilities.SupportedCompositeAlpha.HasFlag(CompositeAlphaFlagsKHR.OpaqueBitKhr)
                ? CompositeAlphaFlagsKHR.OpaqueBitKhr : CompositeAlphaFlagsKHR.InheritBitKhr,
            PresentMode = PresentMode(),
            Clipped = true,
            OldSwapchain = old,
        };
        SwapchainKHR swapchain;
        _wsi.CreateSwapchain(_gpu.Device, &info, null, &swapchain).Check("vkCreateSwapchainKHR");
        if (old.Handle != 0) _wsi.DestroySwapchain(_gpu.Device, old, null);
        _swapchain = swapchain;
        Extent = (extent.Width, extent.Height);
        var placement = ViewerLayout.FramePlacement(((int)extent.Width, (int)extent.Height));
        if (placement.Width != _frame.Width || placement.Height != _frame.Height)
        {
            var shrunk = _gpu.CreateTensor("viewer.shrunk_frame", (long)placement.Width * placement.Height);
            _shrunk = shrunk;
            _shrink = Sequence.Record(_gpu, "viewer frame shrunk to the window", r => FrameScaler.Shrink(r, _frame, shrunk, placement.Width, placement.Height));
        }

        uint count;
        _wsi.GetSwapchainImages(_gpu.Device, swapchain, &count, null).Check("vkGetSwapchainImagesKHR");
        _images = new Image[count];
        fixed (Image* p = _images) _wsi.GetSwapchainImages(_gpu.Device, swapchain, &count, p).Check("vkGetSwapchainImagesKHR");
        _commandBuffers = _images.Select(RecordCopy).ToArray();
        _renderFinished = _images.Select(_ => CreateSemaphore()).ToArray();
        _stale = false;
        _gpu.Instance.ThrowIfValidationFailed();
        return true;
    }

    /// <summary>
    /// Mailbox, else immediate, else FIFO (always there): presenting must not block the training
    /// thread until the display's next refresh.
    /// </summary>
    private PresentModeKHR PresentMode()
    {
        uint count;
        _wsi.GetSurfacePresentModes(_gpu.PhysicalDevice, _surface, &count, null).Check("vkGetPhysicalDeviceSurfacePresentModesKHR");
        var modes = new PresentModeKHR[count];
        fixed (PresentModeKHR* p = modes)
            _wsi.GetSurfacePresentModes(_gpu.PhysicalDevice, _surface, &count, p).Check("vkGetPhysicalDeviceSurfacePresentModesKHR");
        foreach (var preferred in new[] { PresentModeKHR.MailboxKhr, PresentModeKHR.ImmediateKhr })
            if (modes.Contains(preferred)) return preferred;
        return PresentModeKHR.FifoKhr;
    }

    private CommandBuffer RecordCopy(Image image)
    {
        var cb = _gpu.AllocateCommandBuffer();
        var begin = new CommandBufferBeginInfo { SType = StructureType.CommandBufferBeginInfo };
        Vk.BeginCommandBuffer(cb, &begin).Check("vkBeginCommandBuffer");
        var range = new ImageSubresourceRange { AspectMask = ImageAspectFlags.ColorBit, LevelCount = 1, LayerCount = 1 };

        // The frame was drawn by compute (and transfer) commands of earlier submissions.
        var drawn = new MemoryBarrier
        {
            SType = StructureType.MemoryBarrier,
            SrcAccessMask = AccessFlags.ShaderWriteBit | AccessFlags.TransferWriteBit,
            DstAccessMask = AccessFlags.TransferReadBit,
        };
        // Chained to the acquire semaphore, which is waited at the transfer stage.
        var toTransfer = ImageBarrier(image, range, AccessFlags.None, AccessFlags.TransferWriteBit, ImageLayout.Undefined, ImageLayout.TransferDstOptimal);
        Vk.CmdPipelineBarrier(cb, PipelineStageFlags.ComputeShaderBit | PipelineStageFlags.TransferBit, PipelineStageFlags.TransferBit, 0,
            1, &drawn, 0, null, 1, &toTransfer);

        var (width, height) = Extent;
        var placement = ViewerLayout.FramePlacement(((int)width, (int)height));
        if (placement.Width < width || placement.Height < height)
        {
            // The frame does not cover the window: the margin in the frame's background colour.
            var background = ViewerLayout.Background;
            var colour = new ClearColorValue { Float32_0 = background.R / 255f, Float32_1 = background.G / 255f, Float32_2 = background.B / 255f, Float32_3 = 1f };
            Vk.CmdClearColorImage(cb, image, ImageLayout.TransferDstOptimal, &colour, 1, &range);
            var cleared = ImageBarrier(image, range, AccessFlags.TransferWriteBit, AccessFlags.TransferWriteBit,
                ImageLayout.TransferDstOptimal, ImageLayout.TransferDstOptimal);
            Vk.CmdPipelineBarrier(cb, PipelineStageFlags.TransferBit, PipelineStageFlags.TransferBit, 0, 0, null, 0, null, 1, &cleared);
        }
        var source = _shrunk ?? _frame.Pixels;
        var region = new BufferImageCopy
        {
            BufferOffset = source.OffsetBytes,
            BufferRowLength = (uint)placement.Width,
            BufferImageHeight = (uint)placement.Height,
            ImageSubresource = new ImageSubresourceLayers { AspectMask = ImageAspectFlags.ColorBit, LayerCount = 1 },
            ImageOffset = new Offset3D { X = placement.Left, Y = placement.Top },
            ImageExtent = new Extent3D { Width = (uint)placement.Width, Height = (uint)placement.Height, Depth = 1 },
        };
        Vk.CmdCopyBufferToImage(cb, source.Buffer, image, ImageLayout.TransferDstOptimal, 1, &region);

        var toPresent = ImageBarrier(image, range, AccessFlags.TransferWriteBit, AccessFlags.None, ImageLayout.TransferDstOptimal, ImageLayout.PresentSrcKhr);
        Vk.CmdPipelineBarrier(cb, PipelineStageFlags.TransferBit, PipelineStageFlags.BottomOfPipeBit, 0, 0, null, 0, null, 1, &toPresent);
        Vk.EndCommandBuffer(cb).Check("vkEndCommandBuffer");
        return cb;
    }

    private static ImageMemoryBarrier ImageBarrier(Image image, ImageSubresourceRange range, AccessFlags srcAccess, AccessFlags dstAccess,
        ImageLayout oldLayout, ImageLayout newLayout)
        => new()
        {
            SType = StructureType.ImageMemoryBarrier,
            SrcAccessMask = srcAccess,
            DstAccessMask = dstAccess,
            OldLayout = oldLayout,
            NewLayout = newLayout,
            SrcQueueFamilyIndex = Vk.QueueFamilyIgnored,
            DstQueueFamilyIndex = Vk.QueueFamilyIgnored,
            Image = image,
            SubresourceRange = range,
        };

    private Semaphore CreateSemaphore()
    {
        var info = new SemaphoreCreateInfo { SType = StructureType.SemaphoreCreateInfo };
        Semaphore semaphore;
        Vk.CreateSemaphore(_gpu.Device, &info, null, &semaphore).Check("vkCreateSemaphore");
        return semaphore;
    }

    private void DestroyImageResources()
    {
        foreach (var cb in _commandBuffers) _gpu.FreeCommandBuffer(cb);
        foreach (var semaphore in _renderFinished) Vk.DestroySemaphore(_gpu.Device, semaphore, null);
        _commandBuffers = [];
        _renderFinished = [];
        _images = [];
        _shrink?.Dispose();
        _shrunk?.Dispose();
        (_shrink, _shrunk) = (null, null);
    }

    public void Dispose()
    {
        Vk.DeviceWaitIdle(_gpu.Device);
        _shrinking?.Wait();
        DestroyImageResources();
        if (_swapchain.Handle != 0) _wsi.DestroySwapchain(_gpu.Device, _swapchain, null);
        _swapchain = default;
        Vk.DestroySemaphore(_gpu.Device, _acquired, null);
        Vk.DestroyFence(_gpu.Device, _presented, null);
    }
}
