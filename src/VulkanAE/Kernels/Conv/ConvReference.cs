namespace VulkanAE.Kernels.Conv;

/// <summary>
/// CPU reference of the four ops of <see cref="ConvKernels"/>. A layer's definition is the set of
/// terms of its forward sum as (input index, output index, weight index) triples
/// (<see cref="Conv2dTerms"/>, <see cref="ConvTranspose2dTerms"/>); each op accumulates the same
/// terms into a different tensor, in double.
/// </summary>
internal static class ConvReference
{
    private static Action<Conv2dShape, Action<int, int, int>> Terms(Conv2dShape s)
        => s.Transposed ? ConvTranspose2dTerms : Conv2dTerms;

    public static float[] Forward(Conv2dShape s, float[] input, float[] weight, float[] bias)
    {
        var y = new double[s.OutputLength];
        int pixels = s.OutHeight * s.OutWidth;
        for (int o = 0; o < y.Length; o++) y[o] = bias[o / pixels % s.OutChannels];
        Terms(s)(s, (i, o, w) => y[o] += (double)input[i] * weight[w]);
        return ToFloat(y);
    }

    public static float[] BackwardInput(Conv2dShape s, float[] outputGrad, float[] weight)
    {
        var dx = new double[s.InputLength];
        Terms(s)(s, (i, o, w) => dx[i] += (double)outputGrad[o] * weight[w]);
        return ToFloat(dx);
    }

    public static float[] BackwardWeight(Conv2dShape s, float[] input, float[] outputGrad)
    {
        var dw = new double[s.WeightLength];
        Terms(s)(s, (i, o, w) => dw[w] += (double)outputGrad[o] * input[i]);
        return ToFloat(dw);
    }

    public static float[] BackwardBias(Conv2dShape s, float[] outputGrad)
    {
        var db = new double[s.OutChannels];
        int pixels = s.OutHeight * s.OutWidth;
        for (int o = 0; o < s.OutputLength; o++) db[o / pixels % s.OutChannels] += outputGrad[o];
        return ToFloat(db);
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    /// <summary>Calls visit(input index, output index, weight index) once for every term of y = conv(x, w).</summary>
    private static void Conv2dTerms(Conv2dShape s, Action<int, int, int> visit)
    {
        int k = s.Kernel, hOut = s.OutHeight, wOut = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
            for (int co = 0; co < s.OutChannels; co++)
                for (int y = 0; y < hOut; y++)
                    for (int x = 0; x < wOut; x++)
                        for (int ci = 0; ci < s.InChannels; ci++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int iy = y * s.Stride - s.Padding + i, ix = x * s.Stride - s.Padding + j;
                                    if (iy < 0 || iy >= s.InHeight || ix < 0 || ix >= s.InWidth) continue;
                                    visit(((n * s.InChannels + ci) * s.InHeight + iy) * s.InWidth + ix,
                                        ((n * s.OutChannels + co) * hOut + y) * wOut + x,
                                        ((co * s.InChannels + ci) * k + i) * k + j);
                                }
    }

    /// <summary>
    /// Calls visit(input index, output index, weight index) once for every term of y = convT(x, w):
    /// each input pixel spreads w[ci, co] over a k x k window of the output at stride s, as PyTorch defines it.
    /// </summary>
    private static void ConvTranspose2dTerms(Conv2dShape s, Action<int, int, int> visit)
    {
        int k = s.Kernel, hOut = s.OutHeight, wOut = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
            for (int ci = 0; ci < s.InChannels; ci++)
                for (int y = 0; y < s.InHeight; y++)
                    for (int x = 0; x < s.InWidth; x++)
                        for (int co = 0; co < s.OutChannels; co++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int oy = y * s.Stride - s.Padding + i, ox = x * s.Stride - s.Padding + j;
                                    if (oy < 0 || oy >= hOut || ox < 0 || ox >= wOut) continue;
                                    visit(((n * s.InChannels + ci) * s.InHeight + y) * s.InWidth + x,
                                        ((n * s.OutChannels + co) * hOut + oy) * wOut + ox,
                                        ((ci * s.OutChannels + co) * k + i) * k + j);
                                }
    }
}
