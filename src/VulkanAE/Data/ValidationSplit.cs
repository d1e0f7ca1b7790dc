namespace VulkanAE.Data;

/// <summary>
/// --val-split: a fraction of the training set held out for validation, chosen by the seed alone,
/// so a resumed run (same seed, same images) holds out the same images. Both parts keep the
/// training set's order.
/// </summary>
internal static class ValidationSplit
{
    public static (ImageDataset Train, ImageDataset Validation) Split(ImageDataset train, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentException($"--val-split must be a fraction between 0 and 1, got {fraction}");
        int held = (int)Math.Round(fraction * train.Count);
        if (held < 1 || held >= train.Count)
            throw new ArgumentException($"--val-split {fraction} of the {train.Count} training images holds out {held}: it must leave at least one image on each side");
        // The epochs shuffle with seed * 1_000_003 + epoch (epoch >= 1): "epoch 0" is a stream of its own.
        var random = new Random(unchecked(seed * 1_000_003));
        var order = Enumerable.Range(0, train.Count).ToArray();
        for (int i = 0; i < held; i++)
        {
            int j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var validation = order[..held].Order().ToArray();
        var rest = order[held..].Order().ToArray();
        return (train.Select(train.Name, rest), train.Select(train.Name + ".validation", validation));
    }
}
