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

    /// <summary>PyTorch's default for Linear and Conv layers: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    public static float[] UniformFanIn(Random random, int count, int fanIn)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * bound;
        return values;
    }

    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
        FirstMoment.Dispose();
        SecondMoment.Dispose();
    }
}
