namespace VulkanAE.IO;

/// <summary>
/// Encoded image bytes that read the way C stb_image reads a memory buffer, for StbImageSharp, whose port
/// reads through a <see cref="Stream"/>. On a plain <see cref="MemoryStream"/> it goes astray on damaged
/// files: a skip past the end (or a negative one, from a bad segment length) leaves Position beyond Length,
/// where the port's end test (Position == Length) never holds, so a JPEG cut after 6 bytes loops forever;
/// and a short read counts as success, so a PNG cut inside a chunk decodes on into zeros.
/// </summary>
internal sealed class StbMemoryStream(byte[] encoded) : MemoryStream(encoded, writable: false)
{
    /// <summary>All or nothing, as stbi__getn: when fewer than <paramref name="count"/> bytes are left, none are read.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        count > Length - Position ? 0 : base.Read(buffer, offset, count);

    /// <summary>As stbi__skip: a negative skip, or one past the end, lands on the end.</summary>
    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && (offset < 0 || offset > Length - Position) ? Position = Length : base.Seek(offset, origin);
}
