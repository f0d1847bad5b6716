using System.Globalization;
using System.Net;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// A response body that may be read up to a limit only: the bytes are counted as they arrive (whether streamed,
/// buffered or read as a string), and the read that would pass the limit fails with a
/// <see cref="ConnectorFailure.BadResponse"/> saying so, instead of the server reading without end.
/// </summary>
internal sealed class LimitedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly long _limit;
    private readonly string _marketplace;

    public LimitedContent(HttpContent inner, long limit, string marketplace)
    {
        _inner = inner;
        _limit = limit;
        _marketplace = marketplace;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>The failure of a body beyond <paramref name="limit"/> bytes, in both languages.</summary>
    public static ConnectorException TooLarge(string marketplace, long limit) => new(
        ConnectorFailure.BadResponse,
        new LocalText(
            $"{marketplace} sent an answer larger than {Size(limit)}, the most SellerDesk reads (Connectors:Http:MaxResponseBytes); it was not read",
            $"{marketplace} прислал ответ больше {Size(limit, ru: true)} — это предел, который читает SellerDesk (Connectors:Http:MaxResponseBytes); ответ не прочитан"));

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        if (_inner.Headers.ContentLength is { } length && length > _limit)
        {
            throw TooLarge(_marketplace, _limit);
        }

        return new CountingStream(await _inner.ReadAsStreamAsync(cancellationToken), _limit, _marketplace);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string Size(long bytes, bool ru = false)
    {
        const long MiB = 1024 * 1024;
        return bytes >= MiB && bytes % MiB == 0
            ? (bytes / MiB).ToString(CultureInfo.InvariantCulture) + (ru ? " МиБ" : " MiB")
            : bytes.ToString(CultureInfo.InvariantCulture) + (ru ? " байт" : " bytes");
    }

    /// <summary>Passes reads through, failing the one that goes beyond the limit.</summary>
    private sealed class CountingStream(Stream inner, long limit, string marketplace) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw TooLarge(marketplace, limit);
            }

            return read;
        }
    }
}
