namespace VulkanAE.Kernels.Noise;

/// <summary>
/// Philox4x32-10 (J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers:
/// as easy as 1, 2, 3", SC 2011), the C# twin of shaders/include/philox.glsl: the same 32-bit words
/// bit for bit, and the same uniform and Box-Muller mappings (here in double, the oracle of the
/// shaders' float transcendental functions).
/// </summary>
internal static class Philox
{
    private const uint M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    private const uint W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

    public static (uint X, uint Y, uint Z, uint W) Block((uint X, uint Y, uint Z, uint W) counter, (uint X, uint Y) key)
    {
        counter = Round(counter, key);
        for (int round = 1; round < 10; round++)
        {
            key = (key.X + W0, key.Y + W1);
            counter = Round(counter, key);
        }
        return counter;
    }

    private static (uint, uint, uint, uint) Round((uint X, uint Y, uint Z, uint W) counter, (uint X, uint Y) key)
    {
        ulong product0 = (ulong)M0 * counter.X;
        ulong product1 = (ulong)M1 * counter.Z;
        return ((uint)(product1 >> 32) ^ counter.Y ^ key.X, (uint)product1, (uint)(product0 >> 32) ^ counter.W ^ key.Y, (uint)product0);
    }

    /// <summary>(2k + 1) / 2^24 for the top 23 bits k: exact in float, never 0 or 1.</summary>
    public static float UniformOpen01(uint bits) => ((bits >> 9) << 1 | 1u) * (1f / 16777216f);

    /// <summary>Box-Muller: r = sqrt(-2 ln u1), theta = pi (2 u2 - 1); returns (r cos theta, r sin theta).</summary>
    public static (double Cos, double Sin) BoxMuller(uint bits1, uint bits2)
    {
        double radius = BoxMullerRadius(bits1);
        double theta = Math.PI * (2.0 * UniformOpen01(bits2) - 1.0);
        return (radius * Math.Cos(theta), radius * Math.Sin(theta));
    }

    /// <summary>The Box-Muller radius of a word pair, which bounds how far the shader's float result may stray (see the tests).</summary>
    public static double BoxMullerRadius(uint bits1) => Math.Sqrt(-2.0 * Math.Log(UniformOpen01(bits1)));

    public static double[] StandardNormal4((uint, uint, uint, uint) counter, (uint, uint) key)
    {
        var bits = Block(counter, key);
        var (n0, n1) = BoxMuller(bits.X, bits.Y);
        var (n2, n3) = BoxMuller(bits.Z, bits.W);
        return [n0, n1, n2, n3];
    }
}
