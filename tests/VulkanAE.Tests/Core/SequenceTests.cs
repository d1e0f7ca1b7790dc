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

    /// <summary>Elements per minStorageBufferOffsetAlignment: where views may start.</summary>
    private long AlignedElements => (long)Math.Max(1, Gpu.Info.MinStorageBufferOffsetAlignment / 4);

    [Test]
    public void AViewIsBoundFilledAndTransferredWithinItsRange()
    {
        var data = RandomArray(new Random(6), 300);
        using var x = Gpu.CreateTensor("x", data);
        using var y = Gpu.CreateTensor("y", 300);
        long offset = 5 * AlignedElements;
        const int length = 101;
        var xPart = x.View("x.part", offset, length);
        var yPart = y.View("y.part", offset, length);
        Gpu.Run(r =>
        {
            r.Fill(y, 7f);
            ActivationKernels.Forward(r, ActivationKind.Relu, xPart, yPart, length);
        });
        var expected = Enumerable.Repeat(7f, 300).ToArray();
        ActivationReference.Forward(ActivationKind.Relu, data.AsSpan((int)offset, length).ToArray()).CopyTo(expected, offset);
        Assert.That(y.ToArray(), Is.EqualTo(expected));

        var part = new float[3];
        yPart.Download<float>(part, elementOffset: 2);
        Assert.That(part, Is.EqualTo(expected.Skip((int)offset + 2).Take(3).ToArray()));
        yPart.Upload<float>([-1f, -2f], elementOffset: length - 2);
        Gpu.Run(r => r.Fill(x.View("x.head", 0, AlignedElements), 9f));
        Assert.That(y.ToArray().Skip((int)offset + length - 2).Take(3), Is.EqualTo(new[] { -1f, -2f, 7f }));
        Assert.That(x.ToArray().Take((int)AlignedElements + 1), Is.EqualTo(Enumerable.Repeat(9f, (int)AlignedElements).Append(data[AlignedElements])));
    }

    [Test]
    public void ViewsOfOneTensorNeedABarrierOnlyWhereTheyOverlap()
    {
        long n = 2 * AlignedElements;
        using var source = Gpu.CreateTensor("source", RandomArray(new Random(7), (int)n));
        using var whole = Gpu.CreateTensor("whole", 2 * n);
        var low = whole.View("low", 0, n);
        var high = whole.View("high", n, n);
        var middle = whole.View("middle", n / 2, n);
        using var sequence = Sequence.Record(Gpu, "views", r =>
        {
            ActivationKernels.Forward(r, ActivationKind.Tanh, source, low, n);    // writes the first half
            ActivationKernels.Forward(r, ActivationKind.Tanh, source, high, n);   // the second half: no barrier
            ActivationKernels.Forward(r, ActivationKind.Relu, source, middle, n); // overlaps both: barrier
        });
        // leading + one hazard + trailing host barrier; synchronization validation checks that none is missing.
        Assert.That(sequence.BarrierCount, Is.EqualTo(3));
        sequence.Submit().Wait();
    }

    [Test]
    public void AViewOutsideItsTensorOrMisalignedIsRejected()
    {
        using var t = Gpu.CreateTensor("t", 64);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => t.View("tail", 60, 8));
        Assert.That(outside!.Message, Does.Contain("view tail of t[64]: elements [60, 68) are outside its 64 elements"));
        Assume.That(Gpu.Info.MinStorageBufferOffsetAlignment, Is.GreaterThan(4), "every offset is aligned on this device");
        var misaligned = Assert.Throws<ArgumentException>(() => t.View("odd", 1, 8));
        Assert.That(misaligned!.Message, Does.Contain("view odd of t[64]: byte offset 4 is not a multiple of this device's minStorageBufferOffsetAlignment"));
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
