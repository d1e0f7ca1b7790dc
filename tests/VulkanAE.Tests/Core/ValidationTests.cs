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
    public void SynchronizationValidationIsOn()
    {
        // A signature that hides a write from the recorder: no barrier is placed between a write
        // and the read that follows, and synchronization validation must notice.
        var lying = new KernelSignature([Access.Read, Access.Read], PushConstantBytes: 4);
        var kernel = Gpu.Kernel("activation/activation_forward", lying, 64u, 0u);
        using var a = Gpu.CreateTensor("a", 64);
        using var b = Gpu.CreateTensor("b", 64);
        using var c = Gpu.CreateTensor("c", 64);
        var error = Assert.Throws<ValidationFailedException>(() => Gpu.Run(r =>
        {
            r.Dispatch(kernel, (1, 1, 1), 64u, a, b);
            r.Dispatch(kernel, (1, 1, 1), 64u, b, c);
        }));
        Assert.That(error!.Message, Does.Contain("SYNC-HAZARD"));
    }

    [Test]
    public void DeviceLimitsAreQueried()
    {
        Assert.That(Gpu.Info.MaxStorageBufferRange, Is.GreaterThanOrEqualTo(1u << 27));
        Assert.That(Gpu.Info.MaxPushConstantsSize, Is.GreaterThanOrEqualTo(128u));
        Assert.That(Gpu.Info.Name, Is.Not.Empty);
    }
}
