namespace VulkanAE;

/// <summary>The shape of one image a model takes and gives: channels x height x width, stored NCHW (row-major, channel planes).</summary>
/// <param name="Channels">1 (gray) or 3 (RGB).</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Pixels per row.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Floats per image: Channels x Height x Width.</summary>
    public int Size => Channels * Height * Width;
}
