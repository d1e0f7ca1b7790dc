namespace VulkanAE.Models.Layers;

/// <summary>
/// The shape of one sample, channels x height x width; a feature vector is (features, 1, 1).
/// A batch of samples is stored NCHW, so reshaping a sample (flatten, unflatten) moves no data.
/// </summary>
internal readonly record struct TensorShape(int Channels, int Height, int Width)
{
    public static TensorShape Vector(int features) => new(features, 1, 1);

    public int Size => Channels * Height * Width;

    /// <summary>The number of values, counted in 64 bits so that a declaration too large for <see cref="Size"/> can be refused.</summary>
    public long Elements => (long)Channels * Height * Width;

    public override string ToString() => Height == 1 && Width == 1 ? $"{Channels}" : $"{Channels}x{Height}x{Width}";
}
