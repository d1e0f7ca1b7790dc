using VulkanAE.IO;

namespace VulkanAE.Tests.IO;

[TestFixture]
public class PngTests
{
    // Encoded by Pillow 9.4 (an independent PNG encoder): 3x2 RGB, rows (255,0,0) (0,255,0) (0,0,255) / (10,20,30) (40,50,60) (70,80,90).
    private const string PillowRgb3x2 = "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAGElEQVR4nGP4z8DA8J+BgeE/I5eIHAQAADEzA++e06gjAAAAAElFTkSuQmCC";

    // Encoded by Pillow 9.4: 2x2 gray, rows 0 85 / 170 255.
    private const string PillowGray2x2 = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgCGVY9R8AA60B/2f7ygkAAAAASUVORK5CYII=";

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void EncodeThenDecode_GivesBackThePixels(int channels)
    {
        var image = new RasterImage(width: 7, height: 5, channels, Pattern(7 * 5 * channels));

        byte[] png = Png.Encode(image);
        RasterImage decoded = Png.Decode(png);

        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }));
        Assert.That((decoded.Width, decoded.Height, decoded.Channels), Is.EqualTo((7, 5, channels)));
        Assert.That(decoded.Pixels, Is.EqualTo(image.Pixels));
    }

    [Test]
    public void WriteThenRead_GoesThroughTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vulkanae-{Guid.NewGuid():N}.png");
        byte[] gray = Pattern(28 * 28);
        try
        {
            Png.Write(path, gray, width: 28, height: 28, channels: 1);
            RasterImage read = Png.Read(path);

            Assert.That((read.Width, read.Height, read.Channels), Is.EqualTo((28, 28, 1)));
            Assert.That(read.Pixels, Is.EqualTo(gray));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Decode_PngFromAnotherEncoder()
    {
        RasterImage rgb = Png.Decode(Convert.FromBase64String(PillowRgb3x2));
        RasterImage gray = Png.Decode(Convert.FromBase64String(PillowGray2x2));

        Assert.That((rgb.Width, rgb.Height, rgb.Channels), Is.EqualTo((3, 2, 3)));
        Assert.That(rgb.Pixels, Is.EqualTo(new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90 }));
        Assert.That((gray.Width, gray.Height, gray.Channels), Is.EqualTo((2, 2, 1)));
        Assert.That(gray.Pixels, Is.EqualTo(new byte[] { 0, 85, 170, 255 }));
    }

    [Test]
    public void Decode_NotAnImage_GivesStbReason()
    {
        var error = Assert.Throws<InvalidDataException>(() => Png.Decode("not an image at all"u8.ToArray()))!;

        Assert.That(error.Message, Does.StartWith("cannot decode image (19 bytes): "));
        Assert.That(error.Message, Does.Not.EndWith(": "));
    }

    [Test]
    public void Read_CorruptFile_NamesIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vulkanae-{Guid.NewGuid():N}.png");
        byte[] png = Png.Encode(new RasterImage(4, 4, 1, Pattern(16)));
        File.WriteAllBytes(path, png[..20]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => Png.Read(path))!;

            Assert.That(error.Message, Does.StartWith($"{path}: cannot decode image"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
