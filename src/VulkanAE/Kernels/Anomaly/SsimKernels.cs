using VulkanAE.Core;

namespace VulkanAE.Kernels.Anomaly;

/// <summary>
/// The structural similarity map of two batches of images (shaders/anomaly/ssim_map.comp): per pixel and
/// channel, SSIM over a square window clipped to the image. An anomaly score that compares local means,
/// contrasts and correlations, so a feature missing or moved counts as much as its few pixels' squared
/// error does not. NCHW row-major; planes = images * channels.
/// </summary>
internal static class SsimKernels
{
    /// <summary>The window is 7x7, as scikit-image's structural_similarity: small enough for a 64x64 face's features.</summary>
    public const int DefaultRadius = 3;

    private readonly record struct Push(uint Planes, uint Height, uint Width, int Radius, float C1, float C2);

    private static readonly KernelSignature<WorkgroupConstants> Signature
        = KernelSignature.Of<Push, WorkgroupConstants>("anomaly/ssim_map", Access.Read, Access.Read, Access.Write);

    /// <summary>ssim [planes, height, width] = SSIM of x and y around each pixel; <paramref name="dataRange"/> is the span L of the pixel values (1 for [0, 1], 2 for [-1, 1]).</summary>
    public static void SsimMap(SequenceRecorder r, Tensor x, Tensor y, Tensor ssim, int planes, int height, int width, float dataRange, int radius = DefaultRadius)
    {
        if (planes <= 0 || height <= 0 || width <= 0 || radius < 0)
            throw new ArgumentOutOfRangeException(nameof(planes), $"SsimMap: planes {planes}, {height}x{width}, radius {radius} must be positive (radius 0 or more)");
        long elements = (long)planes * height * width;
        if (elements > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(planes), $"SsimMap: {elements} pixels are too many for 32-bit indices");
        foreach (var tensor in new[] { x, y, ssim })
            if (tensor.Length < elements) throw new ArgumentException($"SsimMap: {tensor} has {tensor.Length} elements, [{planes}, {height}, {width}] needs {elements}");
        var (c1, c2) = Constants(dataRange);
        var push = new Push((uint)planes, (uint)height, (uint)width, radius, (float)c1, (float)c2);
        var kernel = r.Gpu.Kernel(Signature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        long window = (long)Math.Min(2 * radius + 1, height) * Math.Min(2 * radius + 1, width);
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, elements), push, new CommandWork(10.0 * window * elements, 4.0 * 3 * elements), x, y, ssim);
    }

    /// <summary>C1 = (0.01 L)^2 and C2 = (0.03 L)^2, the constants of Wang et al. 2004.</summary>
    public static (double C1, double C2) Constants(float dataRange) => (Math.Pow(0.01 * dataRange, 2), Math.Pow(0.03 * dataRange, 2));
}

/// <summary>CPU reference of <see cref="SsimKernels"/>: the same windows, in double precision, with two-pass variances.</summary>
internal static class SsimReference
{
    public static float[] SsimMap(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int planes, int height, int width, float dataRange, int radius = SsimKernels.DefaultRadius)
    {
        var (c1, c2) = SsimKernels.Constants(dataRange);
        var ssim = new float[planes * height * width];
        for (int p = 0; p < planes; p++)
        for (int h = 0; h < height; h++)
        for (int w = 0; w < width; w++)
        {
            int top = Math.Max(h - radius, 0), bottom = Math.Min(h + radius, height - 1), left = Math.Max(w - radius, 0), right = Math.Min(w + radius, width - 1);
            int n = (bottom - top + 1) * (right - left + 1);
            double mx = 0, my = 0;
            for (int r = top; r <= bottom; r++)
            for (int c = left; c <= right; c++)
            {
                mx += x[(p * height + r) * width + c];
                my += y[(p * height + r) * width + c];
            }
            mx /= n;
            my /= n;
            double vx = 0, vy = 0, cxy = 0;
            for (int r = top; r <= bottom; r++)
            for (int c = left; c <= right; c++)
            {
                double a = x[(p * height + r) * width + c] - mx, b = y[(p * height + r) * width + c] - my;
                vx += a * a;
                vy += b * b;
                cxy += a * b;
            }
            vx /= n;
            vy /= n;
            cxy /= n;
            ssim[(p * height + h) * width + w] = (float)((2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2)));
        }
        return ssim;
    }
}
