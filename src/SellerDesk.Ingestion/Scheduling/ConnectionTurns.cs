using Npgsql;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// At most one run per connection at a time, across every node: a run holds its connection's turn, a PostgreSQL
/// session advisory lock, on a connection of its own from start to end. A node that dies loses the lock with its
/// session, so there is no lease to expire and nothing to clean up (unlike Hangfire's lock rows, which a long pull
/// could outlive: decision 0012).
/// </summary>
public sealed class ConnectionTurns(NpgsqlDataSource dataSource)
{
    // A key of its own: the pull runner takes 'sellerdesk.pull_connection:' on its session for merge and derivation.
    private const string TurnKey = "hashtextextended('sellerdesk.pull_turn:' || $1::text, 0)";

    /// <summary>
    /// Waits for the connection's turn up to <paramref name="patience"/> and returns it, to be disposed when the run is
    /// over; null when the wait ran out. Waiters are served in the order they asked (PostgreSQL queues lock requests),
    /// so the slots of a schedule that wait for a long run go in their order.
    /// </summary>
    public async Task<IAsyncDisposable?> WaitAsync(Guid connectionId, TimeSpan patience, CancellationToken ct)
    {
        var session = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var timeout = (long)Math.Max(1, patience.TotalMilliseconds);
            await using (var limit = new NpgsqlCommand($"SET lock_timeout = {timeout}", session))
            {
                await limit.ExecuteNonQueryAsync(ct);
            }

            try
            {
                await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({TurnKey})", session) { CommandTimeout = 0 };
                take.Parameters.Add(new NpgsqlParameter { Value = connectionId });
                await take.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                await session.DisposeAsync();
                return null;
            }

            await using (var reset = new NpgsqlCommand("RESET lock_timeout", session))
            {
                await reset.ExecuteNonQueryAsync(ct);
            }

            return new Turn(session, connectionId);
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
