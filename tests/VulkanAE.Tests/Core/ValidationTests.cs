using Silk.NET.Vulkan;
using VulkanAE.Core;
using Buffer = Silk.NET.Vulkan.Buffer;

namespace VulkanAE.Tests.Core;

public class ValidationTests : GpuTest
{
    [Test]
    public unsafe void AnInvalidCallIsReportedAsAnException()
    {
        // A zero-sized buffer is invalid usage (VUID-VkBufferCreateInfo-size-00912).
        var info = new BufferCreateInfo { SType = StructureType.BufferCreateInfo, Size = 0, Usage = BufferUsageFlags.StorageBufferBit };
        Buffer buffer;
        VulkanApi.Vk.CreateBuffer(Gpu.Device, &info, null, &buffer);
        var error = Assert.Throws<ValidationFailedException>(() => Gpu.Instance.ThrowIfValidationFailed());
        Assert.That(error!.Message, Does.Contain("size"));
        if (buffer.Handle != 0) VulkanApi.Vk.DestroyBuffer(Gpu.Device, buffer, null);
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
    public void AMissingLoaderNamesThePackageToInstall()
    {
        var error = Assert.Throws<VulkanUnavailableException>(() => VulkanApi.Load(["libvulkan-missing.so.9"]));
        Assert.That(error!.Message, Does.Contain("libvulkan-missing.so.9").And.Contain("apt-get install libvulkan1"));
    }

    [Test]
    public void DeviceLimitsAreQueried()
    {
        Assert.That(Gpu.Info.MaxStorageBufferRange, Is.GreaterThanOrEqualTo(1u << 27));
        Assert.That(Gpu.Info.MaxPushConstantsSize, Is.GreaterThanOrEqualTo(128u));
        Assert.That(Gpu.Info.Name, Is.Not.Empty);
    }
}
