using VulkanAE.Core;
using VulkanAE.Vulkan;

namespace VulkanAE.Viewer;

/// <summary>
/// A window surface's swapchain, fed by copying the frame tensor into the acquired image: one
/// command buffer per image (barrier after the drawing, UNDEFINED -> TRANSFER_DST, copy,
/// TRANSFER_DST -> PRESENT_SRC), the acquire semaphore waited at the transfer stage, a
/// render-finished semaphore per image for the present, and a fence that the next frame waits on.
/// When the surface changes size (or the swapchain goes out of date) it is recreated at the next
/// present; a minimised window (extent 0) presents nothing.
/// </summary>
internal sealed unsafe class Swapchain : IDisposable
{
    private readonly Gpu _gpu;
    private readonly ulong _surface;
    private readonly FrameTarget _frame;
    private readonly ulong _acquired;
    private readonly ulong _presented;
    private ulong _swapchain;
    private ulong[] _images = [];
    private nint[] _commandBuffers = [];
    private ulong[] _renderFinished = [];
    private bool _stale = true;
    private bool _inFlight;

    public Swapchain(Gpu gpu, ulong surface, FrameTarget frame)
    {
        _gpu = gpu;
        _surface = surface;
        _frame = frame;
        _acquired = CreateSemaphore();
        var fenceInfo = new VkFenceCreateInfo { sType = VkStructureType.FenceCreateInfo };
        ulong fence;
        Vk.Check(Vk.vkCreateFence(gpu.Device, &fenceInfo, null, &fence), "vkCreateFence");
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
    public static FramePixelFormat ChooseFormat(Gpu gpu, ulong surface)
    {
        var formats = SurfaceFormats(gpu, surface);
        if (formats.Any(f => f.format == Vk.FORMAT_B8G8R8A8_UNORM)) return FramePixelFormat.Bgra;
        if (formats.Any(f => f.format == Vk.FORMAT_R8G8B8A8_UNORM)) return FramePixelFormat.Rgba;
        throw new VulkanException($"the window surface offers neither B8G8R8A8_UNORM nor R8G8B8A8_UNORM (formats {string.Join(", ", formats.Select(f => f.format))})");
    }

    private static VkSurfaceFormatKHR[] SurfaceFormats(Gpu gpu, ulong surface)
    {
        uint count;
        Vk.Check(Vk.vkGetPhysicalDeviceSurfaceFormatsKHR(gpu.PhysicalDevice, surface, &count, null), "vkGetPhysicalDeviceSurfaceFormatsKHR");
        var formats = new VkSurfaceFormatKHR[count];
        fixed (VkSurfaceFormatKHR* p = formats)
            Vk.Check(Vk.vkGetPhysicalDeviceSurfaceFormatsKHR(gpu.PhysicalDevice, surface, &count, p), "vkGetPhysicalDeviceSurfaceFormatsKHR");
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
        var acquire = Vk.vkAcquireNextImageKHR(_gpu.Device, _swapchain, ulong.MaxValue, _acquired, 0, &index);
        if (acquire == VkResult.ErrorOutOfDateKHR)
        {
            _stale = true;
            return false;
        }
        if (acquire != VkResult.SuboptimalKHR) Vk.Check(acquire, "vkAcquireNextImageKHR");

        var fence = _presented;
        Vk.Check(Vk.vkResetFences(_gpu.Device, 1, &fence), "vkResetFences");
        var waitSemaphore = _acquired;
        var signalSemaphore = _renderFinished[index];
        uint waitStage = Vk.PIPELINE_STAGE_TRANSFER_BIT;
        var commandBuffer = _commandBuffers[index];
        var submit = new VkSubmitInfo
        {
            sType = VkStructureType.SubmitInfo,
            waitSemaphoreCount = 1,
            pWaitSemaphores = &waitSemaphore,
            pWaitDstStageMask = &waitStage,
            commandBufferCount = 1,
            pCommandBuffers = &commandBuffer,
            signalSemaphoreCount = 1,
            pSignalSemaphores = &signalSemaphore,
        };
        Vk.Check(Vk.vkQueueSubmit(_gpu.Queue, 1, &submit, fence), "vkQueueSubmit (present copy)");
        _inFlight = true;

        var swapchain = _swapchain;
        var present = new VkPresentInfoKHR
        {
            sType = VkStructureType.PresentInfoKHR,
            waitSemaphoreCount = 1,
            pWaitSemaphores = &signalSemaphore,
            swapchainCount = 1,
            pSwapchains = &swapchain,
            pImageIndices = &index,
        };
        var result = Vk.vkQueuePresentKHR(_gpu.Queue, &present);
        if (result is VkResult.ErrorOutOfDateKHR or VkResult.SuboptimalKHR) _stale = true;
        else Vk.Check(result, "vkQueuePresentKHR");
        _gpu.Instance.ThrowIfValidationFailed();
        return true;
    }

    private void WaitForLastPresent()
    {
        if (!_inFlight) return;
        var fence = _presented;
        Vk.Check(Vk.vkWaitForFences(_gpu.Device, 1, &fence, 1, ulong.MaxValue), "vkWaitForFences (present)");
        _inFlight = false;
    }

    private bool Recreate()
    {
        VkSurfaceCapabilitiesKHR capabilities;
        Vk.Check(Vk.vkGetPhysicalDeviceSurfaceCapabilitiesKHR(_gpu.PhysicalDevice, _surface, &capabilities), "vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        // currentExtent is the window's size on X11; 0xFFFFFFFF means the swapchain decides: the frame's.
        var extent = capabilities.currentExtent.width == uint.MaxValue
            ? new VkExtent2D { width = (uint)_frame.Width, height = (uint)_frame.Height }
            : capabilities.currentExtent;
        if (extent.width == 0 || extent.height == 0) return false; // minimised
        if ((capabilities.supportedUsageFlags & Vk.IMAGE_USAGE_TRANSFER_DST_BIT) == 0)
            throw new VulkanException("the window surface's images cannot be transfer destinations, which the viewer copies its frame into");

        Vk.Check(Vk.vkDeviceWaitIdle(_gpu.Device), "vkDeviceWaitIdle");
        DestroyImageResources();
        uint imageCount = capabilities.maxImageCount == 0 ? capabilities.minImageCount + 1 : Math.Min(capabilities.minImageCount + 1, capabilities.maxImageCount);
        var old = _swapchain;
        var info = new VkSwapchainCreateInfoKHR
        {
            sType = VkStructureType.SwapchainCreateInfoKHR,
            surface = _surface,
            minImageCount = imageCount,
            imageFormat = Format == FramePixelFormat.Bgra ? Vk.FORMAT_B8G8R8A8_UNORM : Vk.FORMAT_R8G8B8A8_UNORM,
            imageColorSpace = Vk.COLOR_SPACE_SRGB_NONLINEAR_KHR,
            imageExtent = extent,
            imageArrayLayers = 1,
            imageUsage = Vk.IMAGE_USAGE_TRANSFER_DST_BIT,
            imageSharingMode = Vk.SHARING_MODE_EXCLUSIVE,
            preTransform = capabilities.currentTransform,
            compositeAlpha = (capabilities.supportedCompositeAlpha & Vk.COMPOSITE_ALPHA_OPAQUE_BIT_KHR) != 0
                ? Vk.COMPOSITE_ALPHA_OPAQUE_BIT_KHR : Vk.COMPOSITE_ALPHA_INHERIT_BIT_KHR,
            presentMode = PresentMode(),
            clipped = 1,
            oldSwapchain = old,
        };
        ulong swapchain;
        Vk.Check(Vk.vkCreateSwapchainKHR(_gpu.Device, &info, null, &swapchain), "vkCreateSwapchainKHR");
        if (old != 0) Vk.vkDestroySwapchainKHR(_gpu.Device, old, null);
        _swapchain = swapchain;
        Extent = (extent.width, extent.height);

        uint count;
        Vk.Check(Vk.vkGetSwapchainImagesKHR(_gpu.Device, swapchain, &count, null), "vkGetSwapchainImagesKHR");
        _images = new ulong[count];
        fixed (ulong* p = _images) Vk.Check(Vk.vkGetSwapchainImagesKHR(_gpu.Device, swapchain, &count, p), "vkGetSwapchainImagesKHR");
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
    private uint PresentMode()
    {
        uint count;
        Vk.Check(Vk.vkGetPhysicalDeviceSurfacePresentModesKHR(_gpu.PhysicalDevice, _surface, &count, null), "vkGetPhysicalDeviceSurfacePresentModesKHR");
        var modes = new uint[count];
        fixed (uint* p = modes) Vk.Check(Vk.vkGetPhysicalDeviceSurfacePresentModesKHR(_gpu.PhysicalDevice, _surface, &count, p), "vkGetPhysicalDeviceSurfacePresentModesKHR");
        foreach (var preferred in new[] { Vk.PRESENT_MODE_MAILBOX_KHR, Vk.PRESENT_MODE_IMMEDIATE_KHR })
            if (modes.Contains(preferred)) return preferred;
        return Vk.PRESENT_MODE_FIFO_KHR;
    }

    private nint RecordCopy(ulong image)
    {
        var cb = _gpu.AllocateCommandBuffer();
        var begin = new VkCommandBufferBeginInfo { sType = VkStructureType.CommandBufferBeginInfo };
        Vk.Check(Vk.vkBeginCommandBuffer(cb, &begin), "vkBeginCommandBuffer");
        var range = new VkImageSubresourceRange { aspectMask = Vk.IMAGE_ASPECT_COLOR_BIT, levelCount = 1, layerCount = 1 };

        // The frame was drawn by compute (and transfer) commands of earlier submissions.
        var drawn = new VkMemoryBarrier
        {
            sType = VkStructureType.MemoryBarrier,
            srcAccessMask = Vk.ACCESS_SHADER_WRITE_BIT | Vk.ACCESS_TRANSFER_WRITE_BIT,
            dstAccessMask = Vk.ACCESS_TRANSFER_READ_BIT,
        };
        // Chained to the acquire semaphore, which is waited at the transfer stage.
        var toTransfer = ImageBarrier(image, range, 0, Vk.ACCESS_TRANSFER_WRITE_BIT, Vk.IMAGE_LAYOUT_UNDEFINED, Vk.IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
        Vk.vkCmdPipelineBarrier(cb, Vk.PIPELINE_STAGE_COMPUTE_SHADER_BIT | Vk.PIPELINE_STAGE_TRANSFER_BIT, Vk.PIPELINE_STAGE_TRANSFER_BIT, 0,
            1, &drawn, 0, null, 1, &toTransfer);

        var (width, height) = Extent;
        if (width > _frame.Width || height > _frame.Height)
        {
            // A window larger than the frame: the margin gets the frame's background colour.
            var background = ViewerLayout.Background;
            var colour = stackalloc float[4] { background.R / 255f, background.G / 255f, background.B / 255f, 1f };
            Vk.vkCmdClearColorImage(cb, image, Vk.IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, colour, 1, &range);
            var cleared = ImageBarrier(image, range, Vk.ACCESS_TRANSFER_WRITE_BIT, Vk.ACCESS_TRANSFER_WRITE_BIT,
                Vk.IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, Vk.IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
            Vk.vkCmdPipelineBarrier(cb, Vk.PIPELINE_STAGE_TRANSFER_BIT, Vk.PIPELINE_STAGE_TRANSFER_BIT, 0, 0, null, 0, null, 1, &cleared);
        }
        var region = new VkBufferImageCopy
        {
            bufferRowLength = (uint)_frame.Width,
            bufferImageHeight = (uint)_frame.Height,
            imageSubresource = new VkImageSubresourceLayers { aspectMask = Vk.IMAGE_ASPECT_COLOR_BIT, layerCount = 1 },
            imageExtent = new VkExtent3D { width = Math.Min(width, (uint)_frame.Width), height = Math.Min(height, (uint)_frame.Height), depth = 1 },
        };
        Vk.vkCmdCopyBufferToImage(cb, _frame.Pixels.Buffer, image, Vk.IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);

        var toPresent = ImageBarrier(image, range, Vk.ACCESS_TRANSFER_WRITE_BIT, 0, Vk.IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, Vk.IMAGE_LAYOUT_PRESENT_SRC_KHR);
        Vk.vkCmdPipelineBarrier(cb, Vk.PIPELINE_STAGE_TRANSFER_BIT, Vk.PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0, null, 0, null, 1, &toPresent);
        Vk.Check(Vk.vkEndCommandBuffer(cb), "vkEndCommandBuffer");
        return cb;
    }

    private static VkImageMemoryBarrier ImageBarrier(ulong image, VkImageSubresourceRange range, uint srcAccess, uint dstAccess, uint oldLayout, uint newLayout)
        => new()
        {
            sType = VkStructureType.ImageMemoryBarrier,
            srcAccessMask = srcAccess,
            dstAccessMask = dstAccess,
            oldLayout = oldLayout,
            newLayout = newLayout,
            srcQueueFamilyIndex = Vk.QUEUE_FAMILY_IGNORED,
            dstQueueFamilyIndex = Vk.QUEUE_FAMILY_IGNORED,
            image = image,
            subresourceRange = range,
        };

    private ulong CreateSemaphore()
    {
        var info = new VkSemaphoreCreateInfo { sType = VkStructureType.SemaphoreCreateInfo };
        ulong semaphore;
        Vk.Check(Vk.vkCreateSemaphore(_gpu.Device, &info, null, &semaphore), "vkCreateSemaphore");
        return semaphore;
    }

    private void DestroyImageResources()
    {
        foreach (var cb in _commandBuffers) _gpu.FreeCommandBuffer(cb);
        foreach (var semaphore in _renderFinished) Vk.vkDestroySemaphore(_gpu.Device, semaphore, null);
        _commandBuffers = [];
        _renderFinished = [];
        _images = [];
    }

    public void Dispose()
    {
        Vk.vkDeviceWaitIdle(_gpu.Device);
        DestroyImageResources();
        if (_swapchain != 0) Vk.vkDestroySwapchainKHR(_gpu.Device, _swapchain, null);
        _swapchain = 0;
        Vk.vkDestroySemaphore(_gpu.Device, _acquired, null);
        Vk.vkDestroyFence(_gpu.Device, _presented, null);
    }
}
