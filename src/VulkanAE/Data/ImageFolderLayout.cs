namespace VulkanAE.Data;

/// <summary>
/// Which images of a folder's listing are test images, and each set's images (indices into the
/// listing) in path order: the order of their pixels in memory and in a packed file.
/// </summary>
internal sealed record ImageFolderLayout(bool[] IsTest, int[] TrainImages, int[] TestImages)
{
    public static ImageFolderLayout Of(ImageFolderListing listing, ImageFolderOptions options)
    {
        bool[] isTest = ImageFolderSplit.ChooseTest(
            listing.RelativePaths, listing.Labels, listing.ClassNames.Count, options.TestFraction, options.SplitSeed);
        int[] all = Enumerable.Range(0, listing.RelativePaths.Count).ToArray();
        return new ImageFolderLayout(isTest, all.Where(i => !isTest[i]).ToArray(), all.Where(i => isTest[i]).ToArray());
    }
}
