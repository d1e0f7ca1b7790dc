using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

[TestFixture]
public class ImageFolderSplitTests
{
    private static string[] Paths(int count, string prefix = "img") =>
        Enumerable.Range(0, count).Select(i => $"{prefix}_{i:D4}.png").ToArray();

    private static string[] TestPaths(IReadOnlyList<string> paths, int[]? labels, int classCount, double fraction, int seed)
    {
        bool[] isTest = ImageFolderSplit.ChooseTest(paths, labels, classCount, fraction, seed);
        return paths.Where((_, i) => isTest[i]).ToArray();
    }

    [TestCase(10, 0.1, 1)]
    [TestCase(10, 0.25, 3)] // 2.5 rounds up
    [TestCase(2, 0.01, 1)] // at least one test image
    [TestCase(3, 0.9, 2)] // at least one training image
    [TestCase(1, 0.5, 0)] // a single image trains
    [TestCase(5, 0.0, 0)]
    public void TestCount_RoundsTheFractionWithinBounds(int count, double fraction, int expected)
    {
        Assert.That(ImageFolderSplit.TestCount(count, fraction), Is.EqualTo(expected));
    }

    [Test]
    public void ChooseTest_SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        string[] paths = Paths(50);

        string[] first = TestPaths(paths, null, 0, 0.2, seed: 1);

        Assert.That(first, Has.Length.EqualTo(10));
        Assert.That(TestPaths(paths, null, 0, 0.2, seed: 1), Is.EqualTo(first));
        Assert.That(TestPaths(paths, null, 0, 0.2, seed: 2), Is.Not.EquivalentTo(first));
    }

    [Test]
    public void ChooseTest_DependsOnThePathsNotTheirOrder()
    {
        string[] paths = Paths(30);
        string[] reversed = paths.Reverse().ToArray();

        Assert.That(TestPaths(reversed, null, 0, 0.3, seed: 5), Is.EquivalentTo(TestPaths(paths, null, 0, 0.3, seed: 5)));
    }

    [Test]
    public void ChooseTest_AddingImages_KeepsTheOtherTestImages()
    {
        string[] paths = Paths(100);
        string[] more = [.. paths, "new_1.png", "new_2.png", "new_3.png", "new_4.png"];

        string[] before = TestPaths(paths, null, 0, 0.1, seed: 0);
        string[] after = TestPaths(more, null, 0, 0.1, seed: 0);

        // 10 test images both times: at most the new files take some places, nothing else moves.
        Assert.That(after, Has.Length.EqualTo(10));
        Assert.That(after.Where(p => !p.StartsWith("new_")), Is.SubsetOf(before));
        Assert.That(before.Except(after).Count(), Is.EqualTo(after.Count(p => p.StartsWith("new_"))));
    }

    [Test]
    public void ChooseTest_Labelled_GivesEachClassItsShare()
    {
        // 20 images, fraction 0.2: 4 test images shared 10:5:5 between the classes.
        string[] paths = [.. Paths(10, "a"), .. Paths(5, "b"), .. Paths(5, "c")];
        int[] labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 5), .. Enumerable.Repeat(2, 5)];

        bool[] isTest = ImageFolderSplit.ChooseTest(paths, labels, classCount: 3, testFraction: 0.2, seed: 3);

        int[] testPerClass = Enumerable.Range(0, 3).Select(c => labels.Where((l, i) => l == c && isTest[i]).Count()).ToArray();
        Assert.That(testPerClass, Is.EqualTo(new[] { 2, 1, 1 }));
    }

    [Test]
    public void ChooseTest_SharesThatAreNotWhole_GoToTheLargestRemainders()
    {
        // 10 images, fraction 0.25: 3 test images; exact shares 7 * 3 / 10 = 2.1 and 3 * 3 / 10 = 0.9.
        string[] paths = [.. Paths(7, "a"), .. Paths(3, "b")];
        int[] labels = [.. Enumerable.Repeat(0, 7), .. Enumerable.Repeat(1, 3)];

        bool[] isTest = ImageFolderSplit.ChooseTest(paths, labels, classCount: 2, testFraction: 0.25, seed: 0);

        Assert.That(isTest[..7].Count(t => t), Is.EqualTo(2));
        Assert.That(isTest[7..].Count(t => t), Is.EqualTo(1));
    }
}
