namespace VulkanAE.Data;

/// <summary>
/// A set of same-sized 8-bit images with optional class labels, in memory or mapped from a packed
/// file (<see cref="PackedDataset"/>). <see cref="Pixels"/> is NCHW: image after image, each channel
/// after channel, each row-major.
/// </summary>
internal sealed class ImageDataset
{
    /// <param name="name">What the set is, for messages and logs (e.g. "mnist/train").</param>
    /// <param name="labels">One class index in [0, <paramref name="classCount"/>) per image, or null when unlabelled.</param>
    public ImageDataset(string name, int count, int channels, int height, int width, ReadOnlyMemory<byte> pixels, int[]? labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(classCount);
        if (pixels.Length != (long)count * channels * height * width)
        {
            throw new ArgumentException($"{name}: {pixels.Length} pixel bytes for {count} images of {channels}x{height}x{width}", nameof(pixels));
        }

        if (labels is not null)
        {
            if (labels.Length != count)
            {
                throw new ArgumentException($"{name}: {labels.Length} labels for {count} images", nameof(labels));
            }

            int outOfRange = Array.FindIndex(labels, label => label < 0 || label >= classCount);
            if (outOfRange >= 0)
            {
                throw new ArgumentException($"{name}: label {labels[outOfRange]} of image {outOfRange} is outside [0, {classCount})", nameof(labels));
            }
        }

        Name = name;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
        Pixels = pixels;
        Labels = labels;
        ClassCount = classCount;
    }

    public string Name { get; }

    public int Count { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Count x Channels x Height x Width bytes, NCHW.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>Class of each image, or null when the set is unlabelled.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of classes the labels range over; 0 when unlabelled.</summary>
    public int ClassCount { get; }

    /// <summary>Values per image: Channels x Height x Width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The CHW bytes of one image.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.Span.Slice(index * ImageSize, ImageSize);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order, as the set <paramref name="name"/>.</summary>
    public ImageDataset Select(string name, IReadOnlyList<int> indices)
    {
        var pixels = new byte[(long)indices.Count * ImageSize];
        for (int i = 0; i < indices.Count; i++) Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
        var labels = Labels is null ? null : indices.Select(index => Labels[index]).ToArray();
        return new ImageDataset(name, indices.Count, Channels, Height, Width, pixels, labels, ClassCount);
    }

    /// <summary>The first <paramref name="count"/> images (for quick runs with --limit).</summary>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return new ImageDataset(Name, count, Channels, Height, Width, Pixels[..(count * ImageSize)], Labels?[..count], ClassCount);
    }
}
