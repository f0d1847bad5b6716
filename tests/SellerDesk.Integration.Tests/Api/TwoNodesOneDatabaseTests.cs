using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>
/// Two app hosts on one database (two web nodes, decision 0016): a write through either is in the very next report of
/// both, though each has just served and kept the figures of the ledger before it. Nothing a node keeps can go stale.
/// </summary>
public sealed class TwoNodesOneDatabaseTests(ApiHost first) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private const string Range = "from=2026-01-01&to=2026-03-31&as_of=2026-03-31";

    private WebApplicationFactory<Program> _second = null!;
    private HttpClient _secondClient = null!;

    public async Task InitializeAsync()
    {
        _second = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", first.Database.ConnectionString);
            builder.UseSetting("Bootstrap:Workspace", "tiny");
            builder.UseSetting("Bootstrap:ApiToken", ApiHost.Token);
            builder.UseEnvironment("Production");
        });
        _secondClient = _second.CreateClient();
        _secondClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await _secondClient.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the second node becomes healthy");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        _secondClient.Dispose();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task A_write_on_either_node_is_in_the_next_report_of_both()
    {
        await UploadAsync(first.Client, "costs");
        await UploadAsync(first.Client, "sales");

        // Both nodes serve, and keep, the figures of sales without returns, spend or fees.
        var before = await ReportsAsync(first.Client);
        (await ReportsAsync(_secondClient)).Should().Be(before);

        // The second node writes the rest; the first answers with it at once, and so does the second.
        foreach (var kind in new[] { "returns", "ad_spend", "fees" })
        {
            await UploadAsync(_secondClient, kind);
        }

        var onFirst = await ReportsAsync(first.Client);
        var onSecond = await ReportsAsync(_secondClient);
        onFirst.Should().NotBe(before);
        onSecond.Should().Be(onFirst);
        foreach (var report in new[] { "channels", "marketplaces", "cohorts" })
        {
            var json = JsonDocument.Parse(await GetAsync(first.Client, report)).RootElement;
            JsonAssert.Differences(SharedExamples.TinyApiExpected().GetProperty(report), json.GetProperty(report)).Should().BeEmpty(report);
        }

        // And the other way round: a write on the first node (the same sales again with one order restated) is in the
        // second node's next report.
        var sales = (await File.ReadAllTextAsync(SharedExamples.Tiny("sales.csv"))).Split('\n');
        var restated = string.Join('\n', sales.Select((line, i) => i == 1 ? Restate(line) : line));
        using (var content = new StringContent(restated, Encoding.UTF8, "text/csv"))
        using (var response = await first.Client.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), content))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var afterRestatement = await ReportsAsync(_secondClient);
        afterRestatement.Should().NotBe(onSecond);
        (await ReportsAsync(first.Client)).Should().Be(afterRestatement);
    }

    // The first data line with its revenue (the ninth column) raised by 100.
    private static string Restate(string line)
    {
        var cells = line.TrimEnd('\r').Split(',');
        cells[8] = (decimal.Parse(cells[8], System.Globalization.CultureInfo.InvariantCulture) + 100m).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(',', cells);
    }

    private static async Task UploadAsync(HttpClient client, string kind)
    {
        using var content = new StringContent(await File.ReadAllTextAsync(SharedExamples.Tiny(kind + ".csv")), Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync(new Uri($"/api/v1/imports/{kind}", UriKind.Relative), content);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ReportsAsync(HttpClient client) =>
        string.Join("\n", await Task.WhenAll(new[] { "channels", "marketplaces", "cohorts" }.Select(r => GetAsync(client, r))));

    private static async Task<string> GetAsync(HttpClient client, string report)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/reports/{report}?{Range}", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }
}
