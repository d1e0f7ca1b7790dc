using VulkanAE.Core;
using VulkanAE.Vulkan;

namespace VulkanAE.Tests.Core;

public class ValidationTests : GpuTest
{
    [Test]
    public unsafe void AnInvalidCallIsReportedAsAnException()
    {
        // A zero-sized buffer is invalid usage (VUID-VkBufferCreateInfo-size-00912).
        var info = new VkBufferCreateInfo { sType = VkStructureType.BufferCreateInfo, size = 0, usage = Vk.BUFFER_USAGE_STORAGE_BUFFER_BIT };
        ulong buffer;
        Vk.vkCreateBuffer(Gpu.Device, &info, null, &buffer);
        var error = Assert.Throws<ValidationFailedException>(() => Gpu.Instance.ThrowIfValidationFailed());
        Assert.That(error!.Message, Does.Contain("size"));
        if (buffer != 0) Vk.vkDestroyBuffer(Gpu.Device, buffer, null);
    }

    [Test]
    public void DeviceLimitsAreQueried()
    {
        Assert.That(Gpu.Info.MaxStorageBufferRange, Is.GreaterThanOrEqualTo(1u << 27));
        Assert.That(Gpu.Info.MaxPushConstantsSize, Is.GreaterThanOrEqualTo(128u));
        Assert.That(Gpu.Info.Name, Is.Not.Empty);
    }
}
