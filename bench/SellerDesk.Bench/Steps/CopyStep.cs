using System.Diagnostics;
using Npgsql;

namespace SellerDesk.Bench.Steps;

/// <summary>Step 2: PostgreSQL's own COPY of the big sales.csv into a bare table, best of two: the import rate's yardstick.</summary>
internal static class CopyStep
{
    public static async Task<CopyMeasurement> RunAsync(BenchContext context, GeneratedLedger big)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(big);
        BenchContext.Section("2. PostgreSQL COPY of sales.csv into a bare table (no keys, no indexes; text, timestamptz, integer, numeric)");
        await using var connection = new NpgsqlConnection(context.BenchConnection);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE bare (
                marketplace text, order_id text, line_id text, ordered_at timestamptz, customer_id text, channel text,
                sku text, quantity integer, revenue numeric, commission numeric, logistics numeric, acquiring numeric, other_fees numeric)
            """,
            connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var runs = new List<(double Seconds, double PgCpu)>();
        for (var run = 1; run <= 2; run++)
        {
            await using (var truncate = new NpgsqlCommand("TRUNCATE bare", connection))
            {
                await truncate.ExecuteNonQueryAsync();
            }

            await context.QuietAsync($"COPY run {run}");
            var pg = ProcStats.PostgresCpuSeconds(context.Database);
            var machineCpu = ProcStats.MachineBusySeconds();
            var benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds;
            var clock = Stopwatch.StartNew();
            await using (var writer = await connection.BeginTextImportAsync("COPY bare FROM STDIN (FORMAT csv, HEADER true)"))
            {
                using var reader = new StreamReader(big.SalesPath, System.Text.Encoding.UTF8, false, 1 << 20);
                var buffer = new char[1 << 16];
                int read;
                while ((read = await reader.ReadAsync(buffer)) > 0)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read));
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var pgCpu = ProcStats.PostgresCpuSeconds(context.Database) - pg;
            benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds - benchCpu;
            var otherCpu = ProcStats.Others(ProcStats.MachineBusySeconds() - machineCpu, 0, pgCpu, benchCpu);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM bare", connection);
            var rows = (long)(await count.ExecuteScalarAsync())!;
            if (rows != big.SalesLines)
            {
                throw new InvalidOperationException($"COPY loaded {rows} rows, expected {big.SalesLines}.");
            }

            runs.Add((seconds, pgCpu));
            Console.WriteLine($"  run {run}: {rows:N0} rows in {seconds:0.00} s = {rows / seconds:N0} lines/s [CPU s: PostgreSQL {pgCpu:0.0}, bench {benchCpu:0.0}, other processes {otherCpu:0.0}]");
        }

        await using (var drop = new NpgsqlCommand("DROP TABLE bare", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var best = runs.MinBy(r => r.Seconds);
        Console.WriteLine($"  best: {big.SalesLines / best.Seconds:N0} lines/s (the ratio below uses the best run)");
        return new CopyMeasurement(big.SalesLines, best.Seconds, best.PgCpu);
    }
}
