using VulkanAE.Core;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Tests.Models;

public class ParameterArenaTests : GpuTest
{
    /// <summary>Sizes 7, 33, 1, 90 and 33: none a multiple of the alignment, so every parameter is followed by padding.</summary>
    private static readonly int[][] OddShapes = [[7], [3, 11], [1], [5, 2, 3, 3], [33]];

    private (ParameterArena Arena, float[][] Initial) DeclareAndAllocate(Random random)
    {
        var builder = new ParameterArenaBuilder(Gpu.Info, "test model");
        var initial = OddShapes.Select(shape => RandomArray(random, shape.Aggregate(1, (a, b) => a * b))).ToArray();
        for (int i = 0; i < OddShapes.Length; i++) builder.Declare($"layer.{i}", OddShapes[i], initial[i]);
        return (builder.Allocate(Gpu), initial);
    }

    [Test]
    public void ParametersAreAlignedDisjointViewsHoldingTheirInitialValues()
    {
        var (arena, initial) = DeclareAndAllocate(new Random(31));
        using var _ = arena;
        Assert.That(arena.Parameters.Select(p => p.Name), Is.EqualTo(OddShapes.Select((_, i) => $"layer.{i}")), "declaration order");
        long end = 0;
        for (int i = 0; i < arena.Parameters.Count; i++)
        {
            var p = arena.Parameters[i];
            Assert.That(p.Offset * 4 % (long)Gpu.Info.MinStorageBufferOffsetAlignment, Is.Zero, $"{p.Name} starts at a bindable offset");
            Assert.That(p.Offset % 4, Is.Zero, $"{p.Name} starts at a vec4");
            Assert.That(p.Offset, Is.GreaterThanOrEqualTo(end), $"{p.Name} starts after the one before it ends");
            end = p.Offset + p.Count;
            Assert.That(p.Value.ToArray(), Is.EqualTo(initial[i]), $"{p.Name} holds its initial values");
            Assert.That(p.Gradient.ToArray(), Is.All.Zero, $"{p.Name}'s gradient starts at zero");
        }
        Assert.That(arena.Length % 4, Is.Zero, "the arena's length suits Adam's vec4 path");
        Assert.That(arena.Length, Is.GreaterThanOrEqualTo(end));
        Assert.That(arena.FirstMoments.ToArray().Concat(arena.SecondMoments.ToArray()), Is.All.Zero);
    }

    [Test]
    public void OneAdamPassOverTheArenaMatchesAdamPerParameterAndKeepsThePaddingZero()
    {
        var settings = new AdamSettings(LearningRate: 1e-2f, WeightDecay: 0.05f); // AdamW: decay must not move the padding either
        var random = new Random(32);
        var (arena, parameters) = DeclareAndAllocate(random);
        using var _ = arena;
        using var state = new TrainingState(Gpu);
        var m = parameters.Select(p => new float[p.Length]).ToArray();
        var v = parameters.Select(p => new float[p.Length]).ToArray();
        using var step = Sequence.Record(Gpu, "adam over the arena", r => arena.RecordAdamStep(r, state.Tensor, settings));
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                var gradient = RandomArray(random, parameters[i].Length, -0.5f, 0.5f);
                arena.Parameters[i].Gradient.Upload<float>(gradient);
                AdamReference.Step(parameters[i], gradient, m[i], v[i], t, settings);
            }
            state.OptimizerStep = (uint)t;
            step.Submit().Wait();
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            var p = arena.Parameters[i];
            AssertClose(p.Value.ToArray(), parameters[i], rtol: 1e-6f, atol: 1e-7f, what: p.Name);
            AssertClose(p.FirstMoment.ToArray(), m[i], rtol: 1e-6f, atol: 1e-9f, what: p.Name + " m");
            AssertClose(p.SecondMoment.ToArray(), v[i], rtol: 1e-6f, atol: 1e-12f, what: p.Name + " v");
        }
        var padding = Enumerable.Range(0, (int)arena.Length).Where(e => !arena.Parameters.Any(p => e >= p.Offset && e < p.Offset + p.Count)).ToArray();
        Assert.That(padding, Is.Not.Empty, "the shapes leave padding to check");
        foreach (var buffer in new[] { arena.Values, arena.Gradients, arena.FirstMoments, arena.SecondMoments })
        {
            var all = buffer.ToArray();
            Assert.That(padding.Select(e => all[e]), Is.All.Zero, $"padding of {buffer.Name}");
        }
    }

    [Test]
    public void AModelsParametersStartAsDrawnInLayerOrderFromOneGenerator()
    {
        // Odd sizes (a 3x3 conv of 3 channels, dense layers to 5 and a latent of 3), so parameters sit at padded offsets.
        var spec = ModelSpecFile.Parse("""
            name odd
            input 1 6 6
            loss bce
            latent 3
            encoder
              conv2d 3 kernel=3 stride=2 padding=1
              relu
              flatten
              dense 5
            decoder
              dense 36
              sigmoid
            """, "odd.model");
        using var model = spec.Build(Gpu, maxRows: 4, seed: 5);
        var random = new Random(5);
        (int Weights, int Biases, int FanIn, int FanOut)[] layers = [(3 * 9, 3, 9, 27), (5 * 27, 5, 27, 5), (3 * 5, 3, 5, 3), (3 * 5, 3, 5, 3), (36 * 3, 36, 3, 36)];
        var expected = layers.SelectMany(l =>
        {
            var (weight, bias) = Initialization.Draw(WeightInit.PyTorch, random, l.Weights, l.Biases, l.FanIn, l.FanOut);
            return new[] { weight, bias };
        }).ToArray();
        Assert.That(model.Parameters.Select(p => p.Name), Is.EqualTo(new[]
        {
            "encoder.0.weight", "encoder.0.bias", "encoder.3.weight", "encoder.3.bias", "latent.z_mean.weight", "latent.z_mean.bias",
            "latent.z_log_var.weight", "latent.z_log_var.bias", "decoder.0.weight", "decoder.0.bias",
        }));
        for (int i = 0; i < expected.Length; i++)
            Assert.That(model.Parameters[i].Value.ToArray(), Is.EqualTo(expected[i]), model.Parameters[i].Name);
    }

    [Test]
    public void AnArenaLargerThanOneBufferNamesTheModelAndItsSize()
    {
        var builder = new ParameterArenaBuilder(Gpu.Info with { MaxStorageBufferRange = 256 }, "model big");
        builder.Declare("encoder.0.weight", [10, 10], new float[100]);
        var error = Assert.Throws<OutOfDeviceMemoryException>(() => builder.Allocate(Gpu))!;
        Assert.That(error.Message, Does.Contain("model big").And.Contain("100 parameters").And.Contain("maxStorageBufferRange"));
    }
}
