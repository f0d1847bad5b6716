using Npgsql;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// At most one run per connection at a time, across every node: a run holds its connection's turn, a PostgreSQL
/// session advisory lock, on a connection of its own from start to end. A node that dies loses the lock with its
/// session, so there is no lease to expire and nothing to clean up (unlike Hangfire's lock rows, which a long pull
/// could outlive: decision 0012).
/// </summary>
public sealed class ConnectionTurns(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // A key of its own: the pull runner takes 'sellerdesk.pull_connection:' on its session for merge and derivation.
    private const string TurnKey = "hashtextextended('sellerdesk.pull_turn:' || $1::text, 0)";

    /// <summary>How often a waiting run asks again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits for the connection's turn up to <paramref name="patience"/> (null: as long as it takes, until
    /// <paramref name="ct"/>) and returns it, to be disposed when the run is over; null when the wait ran out.
    /// </summary>
    public async Task<IAsyncDisposable?> WaitAsync(Guid connectionId, TimeSpan? patience, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var session = await dataSource.OpenConnectionAsync(ct);
        try
        {
            while (true)
            {
                await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({TurnKey})", session))
                {
                    take.Parameters.Add(new NpgsqlParameter { Value = connectionId });
                    if (await take.ExecuteScalarAsync(ct) is true)
                    {
                        return new Turn(session, connectionId);
                    }
                }

                if (patience is { } limit && clock.GetElapsedTime(started) >= limit)
                {
                    await session.DisposeAsync();
                    return null;
                }

                await Task.Delay(PollInterval, clock, ct);
            }
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private sealed class Turn(NpgsqlConnection session, Guid connectionId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({TurnKey})", session);
                release.Parameters.Add(new NpgsqlParameter { Value = connectionId });
                await release.ExecuteScalarAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // A broken session has lost its lock with it.
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
    }
}
