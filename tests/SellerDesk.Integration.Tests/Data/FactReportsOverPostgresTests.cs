using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// <see cref="ReportService.LoadFactsAsync"/> over the tiny example imported into PostgreSQL: every report of
/// expected.json and expected-extended.json to the kopeck.
/// </summary>
public sealed class FactReportsOverPostgresTests(FactReportsOverPostgresTests.TinyWorkspace tiny) : IClassFixture<FactReportsOverPostgresTests.TinyWorkspace>
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly JsonElement Expected = SharedExamples.TinyExpected();
    private static readonly JsonElement Extended = SharedExamples.TinyExpectedExtended();

    /// <summary>The tiny example's five files imported once into a fresh workspace.</summary>
    public sealed class TinyWorkspace : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();

        public WorkspaceContext Workspace { get; } = new(Guid.NewGuid(), "tiny", "Europe/Moscow");

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            await using (var command = Database.DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, 'tiny')"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = Workspace.Id });
                await command.ExecuteNonQueryAsync();
            }

            var importer = new LedgerImporter(Database.DataSource);
            foreach (var (kind, file) in new[]
            {
                (LedgerFileKind.Costs, "costs.csv"), (LedgerFileKind.Sales, "sales.csv"), (LedgerFileKind.Returns, "returns.csv"),
                (LedgerFileKind.AdSpend, "ad_spend.csv"), (LedgerFileKind.Fees, "fees.csv"),
            })
            {
                await using var stream = File.OpenRead(SharedExamples.Tiny(file));
                var result = await importer.ImportAsync(Workspace.Id, Workspace.Zone, kind, stream, null, CancellationToken.None);
                result.Errors.Should().BeEmpty();
            }
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private async Task<FactReports> LoadAsync(LedgerSource? source = null)
    {
        var request = Expected.GetProperty("request");
        var service = new ReportService(new ReportQueries(tiny.Database.DataSource), TimeProvider.System);
        return await service.LoadFactsAsync(
            tiny.Workspace,
            new ReportRequest(Date(request, "from"), Date(request, "to"), Date(request, "as_of")) { Source = source });
    }

    [Fact]
    public async Task Channels_marketplaces_and_cohorts_match_expected_json()
    {
        var reports = await LoadAsync();

        Differences(Expected.GetProperty("channels"), reports.Channels().Select(r => r.Rounded())).Should().BeEmpty();
        Differences(Expected.GetProperty("marketplaces"), reports.Marketplaces().Select(r => r.Rounded())).Should().BeEmpty();
        Differences(
            Expected.GetProperty("cohorts"),
            reports.Cohorts().Select(r => r.Rounded()).Select(r => new { r.Marketplace, Cohort = r.Cohort.ToString(), r.Customers, r.Spend, r.Cac, r.Ltv, r.RevenueLtv, r.Retention, r.PaybackMonth }))
            .Should().BeEmpty();
    }

    [Fact]
    public async Task Skus_pnl_channel_revenue_and_concentration_match_expected_extended_json()
    {
        var reports = await LoadAsync();

        Differences(Extended.GetProperty("skus"), reports.Skus().Select(r => r.Rounded())).Should().BeEmpty();
        Differences(Extended.GetProperty("channels_extra"), reports.ChannelRevenue().Select(r => r.Rounded())).Should().BeEmpty();
        Differences(Extended.GetProperty("concentration"), reports.Concentration().Rounded()).Should().BeEmpty();
        Differences(
            Extended.GetProperty("pnl"),
            reports.ProfitAndLoss().Select(r => r.Rounded()).Select(r => new
            {
                Month = r.Month.ToString(), r.Marketplace, r.Revenue, r.Refunds, r.Commission, r.Logistics, r.Acquiring, r.OtherFees, r.Cogs,
                r.ContributionMargin, r.PeriodFees, r.AdSpend, r.Profit,
            }))
            .Should().BeEmpty();
    }

    [Fact]
    public async Task The_file_source_alone_is_the_whole_tiny_ledger_and_a_connection_without_rows_has_nothing()
    {
        var files = await LoadAsync(LedgerSource.File);
        var none = await LoadAsync(LedgerSource.Connection(Guid.NewGuid()));

        Differences(Expected.GetProperty("marketplaces"), files.Marketplaces().Select(r => r.Rounded())).Should().BeEmpty();
        none.Marketplaces().Should().BeEmpty();
        none.Skus().Should().BeEmpty();
    }

    private static IReadOnlyList<string> Differences<T>(JsonElement expected, T actual) =>
        JsonAssert.Differences(expected, JsonSerializer.SerializeToElement(actual, Json), exactFields: false);

    private static DateOnly Date(JsonElement request, string field) =>
        DateOnly.ParseExact(request.GetProperty(field).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
