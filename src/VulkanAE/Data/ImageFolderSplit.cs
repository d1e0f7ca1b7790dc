using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace VulkanAE.Data;

/// <summary>
/// Chooses the test images of an image folder. Each image gets a key from its relative path and the
/// seed (SHA-256, so the key depends on nothing else: not the file system's order, not the other
/// files); the images with the lowest keys of each class are the test set. The split is therefore
/// the same on every machine, and adding or removing images leaves the others where they were,
/// except for the few at the boundary when the test count changes.
/// </summary>
internal static class ImageFolderSplit
{
    /// <summary>
    /// Number of test images: <paramref name="testFraction"/> of <paramref name="count"/>, rounded, at least
    /// one when the fraction is positive and there are two images or more, and always leaving one to train on.
    /// </summary>
    public static int TestCount(int count, double testFraction)
    {
        if (testFraction <= 0 || count < 2)
        {
            return 0;
        }

        int rounded = (int)Math.Round(testFraction * count, MidpointRounding.AwayFromZero);
        return Math.Clamp(rounded, 1, count - 1);
    }

    /// <summary>
    /// Which images are test images. Stratified: each class gets its share of <see cref="TestCount"/>
    /// (largest remainder), so a small class is not left out of the test set by chance.
    /// </summary>
    /// <param name="relativePaths">Path of each image inside the folder, '/'-separated.</param>
    /// <param name="labels">Class of each image in [0, <paramref name="classCount"/>), or null (one class).</param>
    public static bool[] ChooseTest(IReadOnlyList<string> relativePaths, int[]? labels, int classCount, double testFraction, int seed)
    {
        int count = relativePaths.Count;
        labels ??= new int[count];
        classCount = Math.Max(classCount, 1);
        var members = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) members[c] = [];
        for (int i = 0; i < count; i++) members[labels[i]].Add(i);

        int[] quotas = ClassQuotas(members.Select(m => m.Count).ToArray(), TestCount(count, testFraction));
        var isTest = new bool[count];
        for (int c = 0; c < classCount; c++)
        {
            var byKey = members[c]
                .OrderBy(i => Key(relativePaths[i], seed))
                .ThenBy(i => relativePaths[i], StringComparer.Ordinal);
            foreach (int i in byKey.Take(quotas[c])) isTest[i] = true;
        }

        return isTest;
    }

    // Each class's exact share is testCount * size / total; its integer part is guaranteed, and the
    // images left over go to the classes with the largest fractional parts (the first class on ties).
    private static int[] ClassQuotas(int[] classSizes, int testCount)
    {
        long total = classSizes.Sum();
        if (total == 0)
        {
            return new int[classSizes.Length];
        }

        int[] quotas = classSizes.Select(size => (int)(testCount * (long)size / total)).ToArray();
        int leftOver = testCount - quotas.Sum();
        var byRemainder = Enumerable.Range(0, classSizes.Length)
            .OrderByDescending(c => testCount * (long)classSizes[c] % total)
            .ThenBy(c => c);
        foreach (int c in byRemainder.Take(leftOver)) quotas[c]++;
        return quotas;
    }

    private static ulong Key(string relativePath, int seed) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{relativePath}")));
}
