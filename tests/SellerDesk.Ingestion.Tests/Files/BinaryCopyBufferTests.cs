using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Ledger;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Files;

/// <summary>The importer's own binary COPY encoding stores exactly what Npgsql's binary importer stores for the same values.</summary>
public sealed class BinaryCopyBufferTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Columns = "line integer, n numeric, t timestamptz, d date, s text, b boolean";

    private static readonly decimal[] Decimals =
    [
        0m, 0.00m, -0.00m, 1m, -1m, 9999m, 10000m, 10001m, 0.5m, 0.05m, 0.0001m, 0.00001m, 12.50m, 1234.5678m, 12345.6789m,
        100000000.01m, 1234567890123.45m, -987654.321m, 0.1234567890123456789012345678m, decimal.MaxValue, decimal.MinValue,
        79228162514264337593543.950335m, 1e-28m, 18446744073709551615m, 18446744073709551616m, 184467440737095516.15m,
        42.000000m, 7m / 3m,
    ];

    private static readonly DateTimeOffset[] Instants =
    [
        new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 1, 31, 22, 30, 0, TimeSpan.Zero), new(1999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
        new(2025, 3, 30, 2, 30, 0, TimeSpan.FromHours(3)), new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567),
        new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-15), DateTimeOffset.MaxValue, DateTimeOffset.MinValue,
    ];

    private static readonly DateOnly[] Dates = [new(2000, 1, 1), new(1999, 12, 31), new(2026, 2, 28), new DateOnly(1, 1, 1).AddDays(1), DateOnly.MaxValue, DateOnly.MinValue];

    private static readonly string?[] Texts = [null, "a", "wildberries", "заказ-№5", "😀 emoji", new string('x', 100_000)];

    [Fact]
    public async Task Every_value_is_stored_as_Npgsql_stores_it()
    {
        var rows = Enumerable.Range(0, Decimals.Length * 2).Select(i => (
            Line: i + 1,
            Number: Decimals[i % Decimals.Length],
            Instant: Instants[i % Instants.Length],
            Date: Dates[i % Dates.Length],
            Text: Texts[i % Texts.Length],
            Flag: i % 3 == 0)).ToList();

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TEMP TABLE by_npgsql ({Columns}); CREATE TEMP TABLE by_buffer ({Columns})");

        await using (var importer = await connection.BeginBinaryImportAsync("COPY by_npgsql FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(row.Line, NpgsqlDbType.Integer);
                await importer.WriteAsync(row.Number, NpgsqlDbType.Numeric);
                await importer.WriteAsync(row.Instant.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(row.Date, NpgsqlDbType.Date);
                await importer.WriteAsync(row.Text, NpgsqlDbType.Text);
                await importer.WriteAsync(row.Flag, NpgsqlDbType.Boolean);
            }

            await importer.CompleteAsync();
        }

        // A small flush size is not needed: the long text makes the buffer grow and flush mid-stream.
        await using (var copy = await connection.BeginRawBinaryCopyAsync("COPY by_buffer FROM STDIN (FORMAT BINARY)"))
        {
            var buffer = new BinaryCopyBuffer();
            buffer.Header();
            foreach (var row in rows)
            {
                buffer.StartRow(6);
                buffer.Integer(row.Line);
                buffer.Numeric(row.Number);
                buffer.Timestamp(row.Instant);
                buffer.Date(row.Date);
                buffer.Text(row.Text);
                buffer.Boolean(row.Flag);
                if (buffer.Full)
                {
                    await buffer.FlushAsync(copy, CancellationToken.None);
                }
            }

            buffer.Trailer();
            await buffer.FlushAsync(copy, CancellationToken.None);
        }

        var expected = await ReadAsync(connection, "by_npgsql");
        var actual = await ReadAsync(connection, "by_buffer");
        actual.Should().HaveCount(rows.Count).And.Equal(expected);
        actual.Select(r => r.Split('|')[1]).Should().Contain(["0", "0.00", "12.50", "1234567890123.45", "79228162514264337593543950335", "-79228162514264337593543950335"]);
        actual[0].Split('|')[2].Should().Be("2000-01-01 00:00:00+00");
    }

    [Fact]
    public void Numerics_are_encoded_in_base_10000_with_the_decimal_scale()
    {
        var buffer = new BinaryCopyBuffer();
        buffer.Numeric(-12345.6789m);

        // length 14; ndigits 3, weight 1, sign negative, dscale 4; digits 1, 2345, 6789.
        Convert.ToHexString(buffer.Encoded).Should().Be("0000000E" + "0003" + "0001" + "4000" + "0004" + "0001" + "0929" + "1A85");
    }

    [Fact]
    public async Task Uuids_are_stored_as_Npgsql_stores_them()
    {
        Guid[] ids = [Guid.Empty, Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Guid.NewGuid(), Guid.NewGuid()];
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, "CREATE TEMP TABLE uuids (line integer, id uuid)");
        await using (var copy = await connection.BeginRawBinaryCopyAsync("COPY uuids FROM STDIN (FORMAT BINARY)"))
        {
            var buffer = new BinaryCopyBuffer();
            buffer.Header();
            for (var i = 0; i < ids.Length; i++)
            {
                buffer.StartRow(2);
                buffer.Integer(i);
                buffer.Uuid(ids[i]);
            }

            buffer.Trailer();
            await buffer.FlushAsync(copy, CancellationToken.None);
        }

        var stored = new List<(string Text, Guid Read)>();
        await using (var command = new NpgsqlCommand("SELECT id::text, id FROM uuids ORDER BY line", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetString(0), reader.GetGuid(1)));
            }
        }

        stored.Select(s => s.Read).Should().Equal(ids);
        stored.Select(s => s.Text).Should().Equal(ids.Select(id => id.ToString("D")));
    }

    private static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand(
            $"SET LOCAL TimeZone = 'UTC'; SELECT concat_ws('|', line, n::text, t::text, d::text, coalesce(md5(s), 'null'), b::text) FROM {table} ORDER BY line",
            connection);
        await using var transaction = await connection.BeginTransactionAsync();
        command.Transaction = transaction;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
