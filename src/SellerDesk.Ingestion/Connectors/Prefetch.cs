using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SellerDesk.Ingestion.Connectors;

/// <summary>
/// Runs a connector's page source ahead of its consumer: while the runner stages one page into PostgreSQL, the next is
/// fetched and parsed. At most <c>capacity</c> pages wait, so memory stays bounded. The source's exceptions (throttling
/// given up, a revoked token, a bad response, cancellation) reach the consumer as they are, at the page where they
/// happened; when the consumer stops early the source is cancelled and waited for.
/// </summary>
internal static class Prefetch
{
    public static async IAsyncEnumerable<T> AheadAsync<T>(
        IAsyncEnumerable<T> source, int capacity, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                Exception? failure = null;
                try
                {
                    await foreach (var item in source.WithCancellation(stop.Token))
                    {
                        await channel.Writer.WriteAsync(item, stop.Token);
                    }
                }
#pragma warning disable CA1031 // every failure of the source is handed to the consumer, which rethrows it
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failure = ex;
                }

                channel.Writer.TryComplete(failure);
            },
            CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }
}
