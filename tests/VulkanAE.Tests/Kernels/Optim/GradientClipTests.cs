using VulkanAE.Core;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Reduce;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Tests.Kernels.Optim;

public class GradientClipTests : GpuTest
{
    /// <summary>The norm and clip factor the device left in the training state.</summary>
    private static (float Norm, float Scale) ReadClip(TrainingState state)
    {
        var bits = new uint[2];
        state.Tensor.Download<uint>(bits, TrainingState.GradientNormIndex);
        return (BitConverter.UInt32BitsToSingle(bits[0]), BitConverter.UInt32BitsToSingle(bits[1]));
    }

    // Odd counts take the scalar path, multiples of 4 the vec4 one; 4,194,305 needs more workgroups
    // than the first pass launches, so invocations visit several strides.
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(1001)]
    [TestCase(70001)]
    [TestCase(1024)]
    [TestCase(262148)]
    [TestCase(4194305)]
    public void NormAndScaleMatchTheReference(int count)
    {
        var gradients = RandomArray(new Random(count), count, -2f, 2f);
        int groups = GradientClipKernels.PartialCount(Gpu, count);
        uint workgroupSize = ReductionKernels.WorkgroupSize(Gpu);
        var expectedPartials = GradientClipReference.Partials(gradients, workgroupSize, groups, vector: count % 4 == 0);
        double exactNorm = Math.Sqrt(gradients.Sum(g => (double)g * g));
        float maxNorm = (float)(exactNorm / 3);
        var (expectedNorm, expectedScale) = GradientClipReference.Scale(expectedPartials, workgroupSize, maxNorm);
        Assert.That(expectedNorm, Is.EqualTo(exactNorm).Within(1e-3).Percent, "the reference's norm against a double-precision sum");

        using var g = Gpu.CreateTensor("gradients", gradients);
        using var partials = Gpu.CreateTensor("partials", groups);
        using var state = new TrainingState(Gpu);
        Gpu.Run(r => GradientClipKernels.RecordScale(r, g, partials, state.Tensor, count, maxNorm));

        Assert.That(partials.ToArray(), Is.EqualTo(expectedPartials), "partial sums of squares, bit for bit");
        var (norm, scale) = ReadClip(state);
        Assert.That(norm, Is.EqualTo(expectedNorm).Within(1e-4).Percent, "norm");
        Assert.That(scale, Is.EqualTo(expectedScale).Within(1e-4).Percent, "scale");
        Assert.That(scale, Is.EqualTo(maxNorm / (exactNorm + 1e-6)).Within(1e-3).Percent, "clip_grad_norm_'s factor, in double");
    }

    /// <summary>Adam over one flat array of parameters, with or without clipping before it.</summary>
    private sealed class ClippedAdamRun : IDisposable
    {
        public readonly Tensor Parameters, Gradients, FirstMoment, SecondMoment;
        public readonly TrainingState State;
        private readonly Tensor _partials;
        private readonly Sequence _step;

        public ClippedAdamRun(Gpu gpu, float[] initial, AdamSettings settings, float? maxNorm)
        {
            Parameters = gpu.CreateTensor("parameters", initial);
            Gradients = gpu.CreateTensor("gradients", initial.Length);
            FirstMoment = gpu.CreateTensor("m", new float[initial.Length]);
            SecondMoment = gpu.CreateTensor("v", new float[initial.Length]);
            State = new TrainingState(gpu);
            _partials = gpu.CreateTensor("partials", GradientClipKernels.PartialCount(gpu, initial.Length));
            _step = Sequence.Record(gpu, "clip and adam", r =>
            {
                if (maxNorm is float norm) GradientClipKernels.RecordScale(r, Gradients, _partials, State.Tensor, initial.Length, norm);
                AdamKernels.Step(r, Parameters, Gradients, FirstMoment, SecondMoment, State.Tensor, initial.Length, settings, clippedGradients: maxNorm is not null);
            });
        }

        public void Step(float[] gradients, uint t)
        {
            Gradients.Upload<float>(gradients);
            State.OptimizerStep = t;
            _step.Submit().Wait();
        }

        public void Dispose()
        {
            _step.Dispose();
            foreach (var tensor in new[] { Parameters, Gradients, FirstMoment, SecondMoment, _partials }) tensor.Dispose();
            State.Dispose();
        }
    }

    [TestCase(1001)]
    [TestCase(1024)]
    public void AHugeMaxNormGivesExactlyTheUnclippedStep(int count)
    {
        var settings = new AdamSettings(LearningRate: 1e-2f, WeightDecay: 0.01f);
        var initial = RandomArray(new Random(41), count);
        using var plain = new ClippedAdamRun(Gpu, initial, settings, maxNorm: null);
        using var clipped = new ClippedAdamRun(Gpu, initial, settings, maxNorm: 1e30f);
        var random = new Random(42);
        for (uint t = 1; t <= 3; t++)
        {
            var gradients = RandomArray(random, count, -3f, 3f);
            plain.Step(gradients, t);
            clipped.Step(gradients, t);
        }
        Assert.That(ReadClip(clipped.State).Scale, Is.EqualTo(1f));
        Assert.That(clipped.Parameters.ToArray(), Is.EqualTo(plain.Parameters.ToArray()), "parameters");
        Assert.That(clipped.FirstMoment.ToArray(), Is.EqualTo(plain.FirstMoment.ToArray()), "m");
        Assert.That(clipped.SecondMoment.ToArray(), Is.EqualTo(plain.SecondMoment.ToArray()), "v");
    }

    [TestCase(1001)]
    [TestCase(1024)]
    public void AClippedStepMatchesTheReference(int count)
    {
        // clip_grad_norm_ then torch.optim.Adam, on the CPU: the gradients scaled in place, then the step.
        var settings = new AdamSettings(LearningRate: 1e-2f);
        var parameters = RandomArray(new Random(43), count);
        var m = new float[count];
        var v = new float[count];
        using var run = new ClippedAdamRun(Gpu, parameters, settings, maxNorm: 2f);
        uint workgroupSize = ReductionKernels.WorkgroupSize(Gpu);
        int groups = GradientClipKernels.PartialCount(Gpu, count);
        var random = new Random(44);
        for (int t = 1; t <= 3; t++)
        {
            var gradients = RandomArray(random, count, -1f, 1f);
            run.Step(gradients, (uint)t);
            var (norm, scale) = GradientClipReference.Scale(GradientClipReference.Partials(gradients, workgroupSize, groups, count % 4 == 0), workgroupSize, 2f);
            Assert.That(scale, Is.LessThan(0.2f), "the gradients' norm (about 18) is clipped to 2");
            Assert.That(ReadClip(run.State).Norm, Is.EqualTo(norm).Within(1e-4).Percent, $"norm at step {t}");
            AdamReference.Step(parameters, gradients.Select(g => g * scale).ToArray(), m, v, t, settings);
        }
        AssertClose(run.Parameters.ToArray(), parameters, rtol: 1e-6f, atol: 1e-7f, what: "parameters after 3 clipped steps");
        AssertClose(run.FirstMoment.ToArray(), m, rtol: 1e-5f, atol: 1e-9f, what: "m");
        AssertClose(run.SecondMoment.ToArray(), v, rtol: 1e-5f, atol: 1e-12f, what: "v");
    }
}
