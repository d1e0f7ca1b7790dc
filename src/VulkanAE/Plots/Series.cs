namespace VulkanAE.Plots;

/// <summary>One named curve of a <see cref="LineChart"/>; non-finite points are left out, breaking the curve there.</summary>
internal sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);
