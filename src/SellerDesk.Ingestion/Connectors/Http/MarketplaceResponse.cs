using System.Net;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// A successful (or accepted) answer from <see cref="ResilientHttpSender"/>, headers read and body not yet: read it
/// with <see cref="ReadStreamAsync"/>, then dispose to free the connection and let the next serial request go.
/// </summary>
public sealed class MarketplaceResponse : IDisposable
{
    private readonly Action? _release;
    private bool _disposed;

    internal MarketplaceResponse(HttpResponseMessage message, int tries, Action? release)
    {
        Message = message;
        Tries = tries;
        _release = release;
    }

    /// <summary>The underlying answer.</summary>
    public HttpResponseMessage Message { get; }

    /// <summary>The answer's status.</summary>
    public HttpStatusCode StatusCode => Message.StatusCode;

    /// <summary>How many tries it took (1 when the first one succeeded).</summary>
    public int Tries { get; }

    /// <summary>The body as a stream, read as it arrives.</summary>
    public Task<Stream> ReadStreamAsync(CancellationToken cancellationToken) => Message.Content.ReadAsStreamAsync(cancellationToken);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Message.Dispose();
        _release?.Invoke();
    }
}
