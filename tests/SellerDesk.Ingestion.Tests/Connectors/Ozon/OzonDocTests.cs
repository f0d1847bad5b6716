using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>docs/connectors/ozon.md lists exactly the marketplace methods the connector calls, and when they were checked.</summary>
public sealed class OzonDocTests
{
    private const string Doc = "ozon.md";

    [Fact]
    public async Task A_full_pull_calls_only_methods_the_connector_doc_lists_and_every_method_it_lists()
    {
        var methods = ConnectorDocs.MethodsListed(Doc);
        await using var ozon = await OzonHarness.StartAsync(OzonFixtures.HandChecked);
        ozon.Fake.Performance.Campaigns = [new FakeOzonCampaign("9001", "Кружки")];
        ozon.Fake.Performance.Statistics = [new FakeOzonStatistic("9001", OzonFixtures.From, OzonFixtures.Mug.Sku, 1, 10m)];

        await ozon.FetchAsync(OzonFixtures.From, OzonFixtures.To, ozon.Fake.ConnectionWithAds());

        var called = ozon.Fake.Requests.Concat(ozon.Fake.Performance.Requests).Select(r => (r.Method, r.Path)).Distinct().ToList();
        called.Should().NotBeEmpty().And.OnlyContain(c => ConnectorDocs.Lists(methods, c.Method, c.Path), "the doc must list every method the connector calls");
        methods.Should().OnlyContain(m => called.Any(c => m.Verb == c.Method && m.Matches(c.Path)), "the doc lists no method the connector does not call");
        methods.Should().NotContain(m => FakeOzon.RetiredPaths.Any(m.Matches), "methods Ozon switched off are not in the list");
    }

    [Fact]
    public void The_connector_doc_says_when_its_methods_were_last_checked_against_Ozons_reference()
    {
        ConnectorDocs.LastChecked(Doc).Should().Be(new DateOnly(2026, 12, 5));
    }
}
