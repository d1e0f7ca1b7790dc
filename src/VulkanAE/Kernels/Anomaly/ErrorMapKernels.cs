using VulkanAE.Core;

namespace VulkanAE.Kernels.Anomaly;

/// <summary>What an error map measures per pixel between an image and its reconstruction (shaders/anomaly/error_map.comp).</summary>
internal enum PixelError
{
    /// <summary>The squared difference, averaged over channels.</summary>
    Squared = 0,

    /// <summary>The squared difference of the horizontal and vertical steps to the next pixel, averaged over channels: edges, not levels.</summary>
    Gradient = 1,
}

/// <summary>
/// Per-pixel error maps and their local means (shaders/anomaly/error_map.comp, box_mean.comp): where in an
/// image its reconstruction is wrong, and how wrong a neighbourhood is on average. Maps are [images, height, width]
/// row-major; images NCHW.
/// </summary>
internal static class ErrorMapKernels
{
    private readonly record struct ErrorPush(uint Images, uint Channels, uint Height, uint Width, uint Measure);

    private readonly record struct BoxPush(uint Maps, uint Height, uint Width, int Radius);

    private static readonly KernelSignature<WorkgroupConstants> ErrorSignature
        = KernelSignature.Of<ErrorPush, WorkgroupConstants>("anomaly/error_map", Access.Read, Access.Read, Access.Write);

    private static readonly KernelSignature<WorkgroupConstants> BoxSignature
        = KernelSignature.Of<BoxPush, WorkgroupConstants>("anomaly/box_mean", Access.Read, Access.Write);

    /// <summary>map [images, height, width] = <paramref name="measure"/> between x and y [images, channels, height, width], averaged over channels.</summary>
    public static void ErrorMap(SequenceRecorder r, Tensor x, Tensor y, Tensor map, PixelError measure, int images, int channels, int height, int width)
    {
        long pixels = CheckedSize("ErrorMap", images, height, width, 0);
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), $"ErrorMap: channels {channels} must be positive");
        foreach (var tensor in new[] { x, y })
            if (tensor.Length < pixels * channels)
                throw new ArgumentException($"ErrorMap: {tensor} has {tensor.Length} elements, [{images}, {channels}, {height}, {width}] needs {pixels * channels}");
        if (map.Length < pixels) throw new ArgumentException($"ErrorMap: {map} has {map.Length} elements, [{images}, {height}, {width}] needs {pixels}");
        var kernel = r.Gpu.Kernel(ErrorSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        double perElement = measure == PixelError.Squared ? 3 : 12;
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, pixels), new ErrorPush((uint)images, (uint)channels, (uint)height, (uint)width, (uint)measure),
            new CommandWork(perElement * pixels * channels, 4.0 * (2 * channels + 1) * pixels), x, y, map);
    }

    /// <summary>smoothed [maps, height, width] = the mean of <paramref name="map"/> over the (2 radius + 1)^2 window around each pixel, clipped to the image.</summary>
    public static void BoxMean(SequenceRecorder r, Tensor map, Tensor smoothed, int maps, int height, int width, int radius)
    {
        long pixels = CheckedSize("BoxMean", maps, height, width, radius);
        foreach (var tensor in new[] { map, smoothed })
            if (tensor.Length < pixels) throw new ArgumentException($"BoxMean: {tensor} has {tensor.Length} elements, [{maps}, {height}, {width}] needs {pixels}");
        var kernel = r.Gpu.Kernel(BoxSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        long window = (long)Math.Min(2 * radius + 1, height) * Math.Min(2 * radius + 1, width);
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, pixels), new BoxPush((uint)maps, (uint)height, (uint)width, radius),
            new CommandWork(window * pixels, 4.0 * 2 * pixels), map, smoothed);
    }

    private static long CheckedSize(string kernel, int count, int height, int width, int radius)
    {
        if (count <= 0 || height <= 0 || width <= 0 || radius < 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"{kernel}: {count} maps of {height}x{width} and radius {radius} must be positive (radius 0 or more)");
        long pixels = (long)count * height * width;
        if (pixels > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(count), $"{kernel}: {pixels} pixels are too many for 32-bit indices");
        return pixels;
    }
}

/// <summary>CPU reference of <see cref="ErrorMapKernels"/>, in double precision.</summary>
internal static class ErrorMapReference
{
    public static float[] ErrorMap(ReadOnlySpan<float> x, ReadOnlySpan<float> y, PixelError measure, int images, int channels, int height, int width)
    {
        int pixels = height * width;
        var map = new float[images * pixels];
        for (int n = 0; n < images; n++)
        for (int h = 0; h < height; h++)
        for (int w = 0; w < width; w++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++)
            {
                int at = (n * channels + c) * pixels + h * width + w;
                if (measure == PixelError.Squared)
                {
                    double d = x[at] - y[at];
                    sum += d * d;
                    continue;
                }
                double ex = w + 1 < width ? (x[at + 1] - (double)x[at]) - (y[at + 1] - (double)y[at]) : 0;
                double ey = h + 1 < height ? (x[at + width] - (double)x[at]) - (y[at + width] - (double)y[at]) : 0;
                sum += ex * ex + ey * ey;
            }
            map[n * pixels + h * width + w] = (float)(sum / channels);
        }
        return map;
    }

    public static float[] BoxMean(ReadOnlySpan<float> map, int maps, int height, int width, int radius)
    {
        var smoothed = new float[maps * height * width];
        for (int m = 0; m < maps; m++)
        for (int h = 0; h < height; h++)
        for (int w = 0; w < width; w++)
        {
            int top = Math.Max(h - radius, 0), bottom = Math.Min(h + radius, height - 1), left = Math.Max(w - radius, 0), right = Math.Min(w + radius, width - 1);
            double sum = 0;
            for (int r = top; r <= bottom; r++)
            for (int c = left; c <= right; c++)
                sum += map[(m * height + r) * width + c];
            smoothed[(m * height + h) * width + w] = (float)(sum / ((bottom - top + 1) * (right - left + 1)));
        }
        return smoothed;
    }
}
