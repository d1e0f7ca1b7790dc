using Silk.NET.Vulkan;
using VulkanAE.Core;
using VulkanAE.Kernels;
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
    public unsafe void SynchronizationValidationIsOn()
    {
        // A fill of a buffer and a copy out of it with no barrier between them, which the recorder
        // never produces: synchronization validation must report the read-after-write hazard.
        using var a = Gpu.CreateTensor("a", 64);
        using var b = Gpu.CreateTensor("b", 64);
        var vk = VulkanApi.Vk;
        var commands = Gpu.AllocateCommandBuffer();
        var begin = new CommandBufferBeginInfo { SType = StructureType.CommandBufferBeginInfo };
        vk.BeginCommandBuffer(commands, &begin).Check("vkBeginCommandBuffer");
        vk.CmdFillBuffer(commands, a.Buffer, 0, a.SizeBytes, 0);
        var region = new BufferCopy { Size = a.SizeBytes };
        vk.CmdCopyBuffer(commands, a.Buffer, b.Buffer, 1, &region);
        vk.EndCommandBuffer(commands).Check("vkEndCommandBuffer");
        var error = Assert.Throws<ValidationFailedException>(() => Gpu.Submit(commands, 1).Wait());
        Gpu.FreeCommandBuffer(commands);
        Assert.That(error!.Message, Does.Contain("SYNC-HAZARD"));
    }

    [Test]
    public void AKernelIsMadeOnlyWhenItsShaderMatchesItsSignature()
    {
        var lying = KernelSignature.Of<uint, VectorConstants>("optim/adam", Access.Read, Access.Read, Access.ReadWrite, Access.ReadWrite, Access.Read);
        var error = Assert.Throws<ShaderContractException>(() => Gpu.Kernel(lying, new VectorConstants(64, Vector: false)));
        Assert.That(error!.Message, Does.StartWith("optim/adam: ").And.Contain("binding 0 is Read in C#, but the shader may write it"));
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
