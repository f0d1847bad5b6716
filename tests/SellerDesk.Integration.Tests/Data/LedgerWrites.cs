using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>Writing a batch of records into a test database through the ledger's one writer, as the demo seeder does.</summary>
internal static class LedgerWrites
{
    /// <summary>Writes <paramref name="batch"/> as files' rows and fails the test on any row the writer refuses.</summary>
    public static async Task WriteLedgerAsync(this TestDatabase database, Guid workspace, LedgerBatch batch)
    {
        var result = await new LedgerImporter(database.DataSource).WriteAsync(workspace, batch, CancellationToken.None);
        result.Errors.Should().BeEmpty(string.Join("; ", result.Errors.Take(5)));
    }
}
