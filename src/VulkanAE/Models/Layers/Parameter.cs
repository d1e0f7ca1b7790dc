using VulkanAE.Core;

namespace VulkanAE.Models.Layers;

/// <summary>
/// A trainable tensor of a model, named as in PyTorch's state_dict ("encoder.0.weight") so saved
/// weights load there as they are. It owns no memory: its value, gradient and Adam's two moments
/// are views of the same range of its model's <see cref="ParameterArena"/> buffers, placed there
/// when the arena is allocated (see <see cref="ParameterArenaBuilder"/>).
/// </summary>
internal sealed class Parameter
{
    private (Tensor Value, Tensor Gradient, Tensor FirstMoment, Tensor SecondMoment)? _views;

    internal Parameter(string name, int[] shape, long offset)
    {
        Name = name;
        Shape = shape;
        Count = shape.Aggregate(1, (a, b) => a * b);
        Offset = offset;
    }

    public string Name { get; }
    public int[] Shape { get; }
    public int Count { get; }

    /// <summary>Where the parameter starts in each of the arena's four buffers, in elements.</summary>
    public long Offset { get; }

    public Tensor Value => Views.Value;
    public Tensor Gradient => Views.Gradient;
    public Tensor FirstMoment => Views.FirstMoment;
    public Tensor SecondMoment => Views.SecondMoment;

    private (Tensor Value, Tensor Gradient, Tensor FirstMoment, Tensor SecondMoment) Views
        => _views ?? throw new InvalidOperationException($"parameter {Name} is declared, but its arena is not allocated yet");

    /// <summary>Called once by the arena that holds this parameter, when its buffers exist.</summary>
    internal void Place(ParameterArena arena)
        => _views = (arena.Values.View(Name, Offset, Count), arena.Gradients.View(Name + ".grad", Offset, Count),
            arena.FirstMoments.View(Name + ".adam_m", Offset, Count), arena.SecondMoments.View(Name + ".adam_v", Offset, Count));
}

/// <summary>How a layer's weights and biases start: as PyTorch's layers do, or as Keras's (the reference write-ups use both).</summary>
public enum WeightInit
{
    /// <summary>torch.nn.Linear / Conv2d: weight and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    PyTorch,

    /// <summary>Keras's default: Glorot (Xavier) uniform weights U(+-sqrt(6 / (fan_in + fan_out))), zero bias.</summary>
    Glorot,
}

internal static class Initialization
{
    /// <summary>Initial weight and bias values of a layer with the given fans (a conv layer's include k*k).</summary>
    public static (float[] Weight, float[] Bias) Draw(WeightInit init, Random random, int weightCount, int biasCount, int fanIn, int fanOut)
    {
        if (init == WeightInit.Glorot)
            return (Uniform(random, weightCount, MathF.Sqrt(6f / (fanIn + fanOut))), new float[biasCount]);
        float bound = 1f / MathF.Sqrt(fanIn);
        return (Uniform(random, weightCount, bound), Uniform(random, biasCount, bound));
    }

    private static float[] Uniform(Random random, int count, float bound)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * bound;
        return values;
    }
}
