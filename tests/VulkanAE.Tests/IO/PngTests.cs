using System.Buffers.Binary;
using StbImageWriteSharp;
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

    private static byte[] Jpeg(int width, int height)
    {
        using var jpeg = new MemoryStream();
        new ImageWriter().WriteJpg(Pattern(width * height * 3), width, height, ColorComponents.RedGreenBlue, jpeg, quality: 90);
        return jpeg.ToArray();
    }

    // A damaged file must fail, not hang the loader: a decode that has not returned in a minute has hung.
    private static InvalidDataException DecodeFails(byte[] encoded)
    {
        var decode = Task.Run(() => Assert.Throws<InvalidDataException>(() => Png.Decode(encoded))!);
        Assert.That(decode.Wait(TimeSpan.FromMinutes(1)), Is.True, $"decoding {encoded.Length} bytes did not return");
        return decode.Result;
    }

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

    [Test]
    public void Decode_JpegCutAnywhere_Fails()
    {
        byte[] jpeg = Jpeg(16, 12);

        for (int length = 2; length < jpeg.Length; length++)
        {
            Assert.That(DecodeFails(jpeg[..length]).Message, Does.StartWith($"cannot decode image ({length} bytes): "));
        }

        // stb_image alone decodes a JPEG cut in its image data, the rest gray: the missing end marker is what fails it.
        Assert.That(DecodeFails(jpeg[..^2]).Message, Does.EndWith("truncated JPEG, the data ends before its end-of-image marker"));
    }

    [Test]
    public void Decode_JpegCutInItsFirstSegment_GivesStbReason()
    {
        byte[] jpeg = Jpeg(16, 12);

        // SOI, then an APP0 marker whose 16-byte segment is cut after its length: the skip runs past the end.
        Assert.That(jpeg[..6], Is.EqualTo(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 }));
        Assert.That(DecodeFails(jpeg[..6]).Message, Is.EqualTo("cannot decode image (6 bytes): no SOF"));
    }

    [Test]
    public void Decode_JpegWithBytesAfterItsEndMarker_GivesThePixels()
    {
        byte[] jpeg = Jpeg(16, 12);

        RasterImage padded = Png.Decode([.. jpeg, 0, 0x12, 0xFF, 0x00]);

        Assert.That(padded.Pixels, Is.EqualTo(Png.Decode(jpeg).Pixels));
    }

    [Test]
    public void Decode_JpegCutAfterAThumbnailsEndMarker_Fails()
    {
        byte[] jpeg = Jpeg(16, 12);
        // An APP1 segment (as EXIF holds a thumbnail) whose content ends with an end-of-image marker.
        byte[] thumbnail = [0xFF, 0xE1, 0x00, 0x0A, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0xFF, 0xD8, 0xFF, 0xD9];
        byte[] withThumbnail = [.. jpeg[..2], .. thumbnail, .. jpeg[2..]];

        Assert.That(Png.Decode(withThumbnail).Pixels, Is.EqualTo(Png.Decode(jpeg).Pixels));
        Assert.That(DecodeFails(withThumbnail[..^2]).Message, Does.EndWith("truncated JPEG, the data ends before its end-of-image marker"));
    }

    [Test]
    public void Decode_PngCutInItsImageData_RunsOutOfData()
    {
        byte[] png = Png.Encode(new RasterImage(7, 5, 3, Pattern(7 * 5 * 3)));
        // Signature (8), IHDR chunk (25), then IDAT: length, type, data.
        Assert.That(png[37..41], Is.EqualTo("IDAT"u8.ToArray()));
        int cut = 41 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33)) / 2;

        Assert.That(DecodeFails(png[..cut]).Message, Is.EqualTo($"cannot decode image ({cut} bytes): outofdata"));
    }

    [Test]
    public void Decode_PngWithAnUnknownCriticalChunk_NamesIt()
    {
        byte[] png = Png.Encode(new RasterImage(4, 4, 1, Pattern(16)));
        // A chunk of 0 bytes named ABCD (upper-case first letter: critical, so a decoder must refuse it) before IDAT;
        // stb_image does not check CRCs.
        byte[] chunk = [0, 0, 0, 0, (byte)'A', (byte)'B', (byte)'C', (byte)'D', 0, 0, 0, 0];
        byte[] damaged = [.. png[..33], .. chunk, .. png[33..]];

        Assert.That(DecodeFails(damaged).Message, Is.EqualTo($"cannot decode image ({damaged.Length} bytes): unknown PNG chunk 'ABCD'"));
    }
}
