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
    /// <param name="classNames">The name of each class (an image folder's sub-folders), or null when the classes are known by index (MNIST's digits).</param>
    public ImageDataset(string name, int count, int channels, int height, int width, ReadOnlyMemory<byte> pixels, int[]? labels, int classCount,
        IReadOnlyList<string>? classNames = null)
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

        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"{name}: {classNames.Count} class names for {classCount} classes", nameof(classNames));

        Name = name;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
        Pixels = pixels;
        Labels = labels;
        ClassCount = classCount;
        ClassNames = classNames;
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

    /// <summary>The name of each class, or null when classes are known by index.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>How a class is called in tables: its name, else its index.</summary>
    public string ClassName(int label) => ClassNames?[label] ?? label.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
        return new ImageDataset(name, indices.Count, Channels, Height, Width, pixels, labels, ClassCount, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> images (for quick runs with --limit).</summary>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return new ImageDataset(Name, count, Channels, Height, Width, Pixels[..(count * ImageSize)], Labels?[..count], ClassCount, ClassNames);
    }
}
