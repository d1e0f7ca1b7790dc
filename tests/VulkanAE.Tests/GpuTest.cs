using VulkanAE.Core;

namespace VulkanAE.Tests;

/// <summary>
/// Base of every test that touches Vulkan: one device per fixture with the validation layer
/// and synchronization validation on. Any validation error throws from the submission that
/// caused it, and the teardown fails a test that left one unreported.
/// </summary>
public abstract class GpuTest
{
    internal Gpu Gpu { get; private set; } = null!;

    /// <summary>Overridden by fixtures that exercise the discrete-GPU (staging) memory path.</summary>
    internal virtual GpuOptions Options => new(Validation: true);

    [OneTimeSetUp]
    public void CreateDevice() => Gpu = new Gpu(Options);

    [TearDown]
    public void NoValidationErrors() => Gpu.Instance.ThrowIfValidationFailed();

    [OneTimeTearDown]
    public void DestroyDevice() => Gpu.Dispose();

    internal static float[] RandomArray(Random random, int length, float min = -1f, float max = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = min + (float)random.NextDouble() * (max - min);
        return values;
    }

    /// <summary>Asserts |actual - expected| &lt;= atol + rtol * |expected| elementwise, naming the first bad index.</summary>
    internal static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, float rtol = 1e-5f, float atol = 1e-6f, string what = "")
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < actual.Length; i++)
        {
            float tolerance = atol + rtol * MathF.Abs(expected[i]);
            if (!(MathF.Abs(actual[i] - expected[i]) <= tolerance))
                Assert.Fail($"{what}[{i}]: got {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance:G3})");
        }
    }
}
