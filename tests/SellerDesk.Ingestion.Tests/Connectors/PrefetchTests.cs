using System.Runtime.CompilerServices;
using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Tests.Connectors;

public sealed class PrefetchTests
{
    [Fact]
    public async Task Pages_come_in_order_and_the_source_runs_at_most_the_capacity_ahead()
    {
        var produced = 0;
        var seen = new List<(int Page, int ProducedThen)>();

        await foreach (var page in Prefetch.AheadAsync(Source(10, () => Interlocked.Increment(ref produced)), 1, CancellationToken.None))
        {
            await Task.Delay(20); // the consumer is the slow side, as staging into PostgreSQL is
            seen.Add((page, Volatile.Read(ref produced)));
        }

        seen.Select(s => s.Page).Should().Equal(Enumerable.Range(1, 10));
        seen.Should().OnlyContain(s => s.ProducedThen <= s.Page + 2, "one page waits and one is being made, no more");
    }

    [Fact]
    public async Task A_failure_of_the_source_reaches_the_consumer_as_it_is_after_the_pages_before_it()
    {
        var pages = new List<int>();
        var act = async () =>
        {
            await foreach (var page in Prefetch.AheadAsync(Failing(after: 2), 1, CancellationToken.None))
            {
                pages.Add(page);
            }
        };

        (await act.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        pages.Should().Equal(1, 2);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_cancels_the_source_and_waits_for_it()
    {
        var cancelled = new TaskCompletionSource();
        await foreach (var page in Prefetch.AheadAsync(Endless(cancelled), 1, CancellationToken.None))
        {
            if (page == 3)
            {
                break;
            }
        }

        cancelled.Task.IsCompleted.Should().BeTrue("the source saw its cancellation before the enumeration ended");
    }

    [Fact]
    public async Task Cancelling_the_consumer_ends_the_enumeration_with_a_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var act = async () =>
        {
            await foreach (var page in Prefetch.AheadAsync(Endless(new TaskCompletionSource()), 1, cancel.Token))
            {
                if (page == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static async IAsyncEnumerable<int> Source(int count, Action made, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            made();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> Failing(int after, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 1; i <= after; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new ConnectorException(ConnectorFailure.Unauthorized, "token rejected");
    }

    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource cancelled, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                await Task.Delay(5, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            yield return i;
        }
    }
}
