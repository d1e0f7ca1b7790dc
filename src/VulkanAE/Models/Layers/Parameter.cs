using VulkanAE.Core;

namespace VulkanAE.Models.Layers;

/// <summary>
/// A trainable tensor with its gradient and Adam's two moments, all on the device.
/// Names follow PyTorch's state_dict ("encoder.0.weight"), so saved weights load there as they are.
/// </summary>
internal sealed class Parameter : IDisposable
{
    public string Name { get; }
    public int[] Shape { get; }
    public int Count { get; }
    public Tensor Value { get; }
    public Tensor Gradient { get; }
    public Tensor FirstMoment { get; }
    public Tensor SecondMoment { get; }

    public Parameter(Gpu gpu, string name, int[] shape, float[] initialValues)
    {
        Name = name;
        Shape = shape;
        Count = shape.Aggregate(1, (a, b) => a * b);
        if (initialValues.Length != Count)
            throw new ArgumentException($"{name}: {initialValues.Length} initial values for shape [{string.Join(", ", shape)}]");
        Value = gpu.CreateTensor(name, initialValues);
        Gradient = gpu.CreateTensor(name + ".grad", Count);
        FirstMoment = gpu.CreateTensor(name + ".adam_m", Count);
        SecondMoment = gpu.CreateTensor(name + ".adam_v", Count);
        gpu.Run(r =>
        {
            r.Fill(Gradient);
            r.Fill(FirstMoment);
            r.Fill(SecondMoment);
        });
    }

    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
        FirstMoment.Dispose();
        SecondMoment.Dispose();
    }
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
