using VulkanAE.Core;
using VulkanAE.Kernels.Activation;

namespace VulkanAE.Tests.Core;

public class SequenceTests : GpuTest
{
    [Test]
    public void TensorRoundTripsThroughTheDevice()
    {
        var data = RandomArray(new Random(4), 12345);
        using var t = Gpu.CreateTensor("t", data);
        Assert.That(t.ToArray(), Is.EqualTo(data));
        var part = new float[10];
        t.Download<float>(part, elementOffset: 100);
        Assert.That(part, Is.EqualTo(data.Skip(100).Take(10).ToArray()));
    }

    [Test]
    public void CopyAndFillAreOrderedWithDispatches()
    {
        var data = RandomArray(new Random(5), 300);
        using var a = Gpu.CreateTensor("a", data);
        using var b = Gpu.CreateTensor("b", 300);
        using var c = Gpu.CreateTensor("c", 300);
        // fill c, copy a -> b, c = relu(b): each command depends on the one before.
        Gpu.Run(r =>
        {
            r.Fill(c, 7f);
            r.Copy(a, b);
            ActivationKernels.Forward(r, ActivationKind.Relu, b, c, 300);
        });
        Assert.That(c.ToArray(), Is.EqualTo(ActivationReference.Forward(ActivationKind.Relu, data)));
    }

    [Test]
    public void BarriersAreOnlyPlacedAtHazards()
    {
        using var a = Gpu.CreateTensor("a", 64);
        using var b = Gpu.CreateTensor("b", 64);
        using var c = Gpu.CreateTensor("c", 64);
        using var d = Gpu.CreateTensor("d", 64);
        using var sequence = Sequence.Record(Gpu, "hazards", r =>
        {
            ActivationKernels.Forward(r, ActivationKind.Relu, a, b, 64); // writes b
            ActivationKernels.Forward(r, ActivationKind.Relu, a, c, 64); // independent: no barrier
            ActivationKernels.Forward(r, ActivationKind.Relu, b, d, 64); // reads b: barrier
        });
        // leading + one hazard + trailing host barrier
        Assert.That(sequence.BarrierCount, Is.EqualTo(3));
        sequence.Submit().Wait();
    }

    [Test]
    public void RepeatedSubmissionReplaysTheSequence()
    {
        using var x = Gpu.CreateTensor("x", [0.5f, -1f, 2f]);
        using var y = Gpu.CreateTensor("y", 3);
        // y = sigmoid(x); x = y (copy back): replayed n times gives sigmoid applied n times.
        using var sequence = Sequence.Record(Gpu, "iterate", r =>
        {
            ActivationKernels.Forward(r, ActivationKind.Sigmoid, x, y, 3);
            r.Copy(y, x);
        });
        sequence.Submit(repeat: 5).Wait();
        var expected = new[] { 0.5f, -1f, 2f };
        for (int n = 0; n < 5; n++) expected = ActivationReference.Forward(ActivationKind.Sigmoid, expected);
        AssertClose(x.ToArray(), expected, rtol: 1e-6f, what: "x");
    }

    [Test]
    public void ProfilingTimesEveryCommand()
    {
        using var x = Gpu.CreateTensor("x", 4096);
        using var y = Gpu.CreateTensor("y", 4096);
        using var sequence = Sequence.Record(Gpu, "profiled", r =>
        {
            r.Fill(x, 1f);
            ActivationKernels.Forward(r, ActivationKind.Tanh, x, y, 4096);
        }, profile: true);
        sequence.Submit().Wait();
        var times = sequence.CommandTimes();
        Assert.That(times.Select(t => t.Label), Is.EqualTo(new[] { "fill", "activation/activation_forward" }));
        Assert.That(times.All(t => t.Milliseconds >= 0), Is.True);
    }

    [Test]
    public void ReadOfAnUnwrittenRangeIsRejected()
    {
        using var t = Gpu.CreateTensor("t", 8);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => t.Download<float>(new float[4], elementOffset: 6));
        Assert.That(ex!.Message, Does.Contain("tensor t"));
    }
}

/// <summary>The same checks through staging buffers, the path discrete GPUs take.</summary>
public class StagedSequenceTests : SequenceTests
{
    internal override GpuOptions Options => new(Validation: true, ForceStaging: true);

    [Test]
    public void StagingIsInUse() => Assert.That(Gpu.UnifiedMemory, Is.False);
}
