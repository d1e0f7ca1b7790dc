using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

public class AnomalyPicturesTests
{
    [TestCase("normal/n1.png")]
    [TestCase("anomalous/thirty_six_characters_.png")]
    public void ShortPaths_AreShownWhole(string path)
    {
        Assert.That(AnomalyPictures.Abbreviate(path), Is.EqualTo(path));
    }

    [Test]
    public void ALongPath_KeepsItsFolderAndTheEndOfItsFileName()
    {
        string shown = AnomalyPictures.Abbreviate("anomalous/fashion_item_with_a_long_descriptive_name_0001.png");

        Assert.That(shown, Is.EqualTo("anomalous/...scriptive_name_0001.png"));
        Assert.That(shown, Has.Length.EqualTo(36));
    }

    [TestCase("a_first_folder_too_long_to_keep/image_0001.png")]
    [TestCase("one_file_name_without_any_folder_at_all_0001.png")]
    public void WithoutAShortFolder_OnlyTheEndStays(string path)
    {
        string shown = AnomalyPictures.Abbreviate(path);

        Assert.That(shown, Has.Length.EqualTo(36));
        Assert.That(shown, Is.EqualTo("..." + path[^33..]));
    }
}
