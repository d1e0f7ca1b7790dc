namespace VulkanAE.Data;

/// <summary>
/// The images of a folder and their classes.
/// </summary>
/// <param name="RelativePaths">Path of each image inside the folder, '/'-separated, in ordinal order.</param>
/// <param name="Labels">Index into <paramref name="ClassNames"/> of each image, or null when the folder has no classes.</param>
/// <param name="ClassNames">The first-level sub-folders that hold the images, in ordinal order; empty when unlabelled.</param>
internal sealed record ImageFolderListing(IReadOnlyList<string> RelativePaths, int[]? Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Extensions of the files read as images, compared ignoring case; other files are skipped.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg"];

    /// <summary>
    /// Lists the images under <paramref name="directory"/>, sub-folders included. Files with another
    /// extension (notes.txt, Thumbs.db) and hidden files and folders (names starting with '.': .DS_Store,
    /// macOS's ._photo.jpg) are skipped. When every image sits in a sub-folder and there are two
    /// sub-folders or more, the first-level sub-folder of an image is its class (cats/a.png, dogs/b.png);
    /// images directly in the folder, or all in one sub-folder (celeba/img_align_celeba/), mean no classes.
    /// </summary>
    /// <exception cref="DatasetException">The folder is missing, unreadable, or holds no image.</exception>
    public static ImageFolderListing Scan(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasetException($"{directory}: folder not found");
        }

        List<string> images = [];
        int skipped = 0;
        try
        {
            var everything = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false };
            foreach (string path in Directory.EnumerateFiles(directory, "*", everything))
            {
                if (ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
                {
                    images.Add(Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/'));
                }
                else
                {
                    skipped++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{directory}: cannot list the images: {e.Message}", e);
        }

        if (images.Count == 0)
        {
            string others = skipped == 0 ? "the folder is empty" : $"{skipped} files of other types were skipped";
            throw new DatasetException(
                $"{directory}: no {string.Join(", ", ImageExtensions)} image found in the folder or its sub-folders ({others})");
        }

        images.Sort(StringComparer.Ordinal);
        return WithClasses(images);
    }

    private static ImageFolderListing WithClasses(List<string> images)
    {
        string?[] folders = images.Select(FirstLevelFolder).ToArray();
        string[] classNames = folders.Distinct().Order(StringComparer.Ordinal).ToArray()!;
        if (folders.Contains(null) || classNames.Length < 2)
        {
            return new ImageFolderListing(images, Labels: null, ClassNames: []);
        }

        int[] labels = folders.Select(folder => Array.BinarySearch(classNames, folder, StringComparer.Ordinal)).ToArray();
        return new ImageFolderListing(images, labels, classNames);
    }

    private static string? FirstLevelFolder(string relativePath)
    {
        int separator = relativePath.IndexOf('/');
        return separator < 0 ? null : relativePath[..separator];
    }
}
