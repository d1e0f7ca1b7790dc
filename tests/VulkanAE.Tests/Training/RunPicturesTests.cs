using VulkanAE.IO;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

public class RunPicturesTests
{
    [TestCase(15, 3f, 0f, 56)]
    [TestCase(4, 1.5f, 0.25f, 28)]
    [TestCase(2, 3f, -1f, 128)]
    public void LatentGridSpan_PutsEachCellCentreAtTheZItWasDecodedFrom(int size, float range, float center, int cellPixels)
    {
        var (low, high) = RunPictures.LatentGridSpan(size, range, center, cellPixels);
        int gridPixels = size * (cellPixels + ImageGrid.SeparatorPixels) + ImageGrid.SeparatorPixels;
        for (int cell = 0; cell < size; cell++)
        {
            double centrePixel = ImageGrid.SeparatorPixels + cell * (cellPixels + ImageGrid.SeparatorPixels) + cellPixels / 2.0;
            double z = low + centrePixel / gridPixels * (high - low);
            Assert.That(z, Is.EqualTo(center - range + cell * 2.0 * range / (size - 1)).Within(1e-9), $"cell {cell}");
        }
    }
}
