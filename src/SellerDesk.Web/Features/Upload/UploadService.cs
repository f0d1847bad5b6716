using SellerDesk.Data.Ledger;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Workspace;
using SellerDesk.Web.Infrastructure;

namespace SellerDesk.Web.Features.Upload;

/// <summary>Imports a ledger file into the browser's workspace: the same importer and audit entry as POST /api/v1/imports/{kind}.</summary>
public sealed class UploadService(UiWorkspace workspaces, AuditedActions actions, UploadLimiter limiter)
{
    /// <summary>The largest file the page accepts (the API's limit too).</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Streams <paramref name="csv"/> into the ledger; null when start-up has not created the workspace yet.</summary>
    public async Task<ImportResult?> ImportAsync(
        Actor actor,
        LedgerFileKind kind,
        string? fileName,
        Stream csv,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        if (workspace is null)
        {
            return null;
        }

        // Counted like the API's imports (RateLimits:Imports per workspace): refused before a byte is read.
        if (limiter.TryTake(workspace.Id) is { } wait)
        {
            throw new ImportsRateLimitedException(wait);
        }

        return await actions.ImportAsync(actor, workspace, kind, csv, fileName, progress, cancellationToken);
    }
}

/// <summary>Counts the bytes read through it, so the page can show how far the upload has come.</summary>
public sealed class CountingReadStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Counted(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

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

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int Counted(int read)
    {
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }
}
