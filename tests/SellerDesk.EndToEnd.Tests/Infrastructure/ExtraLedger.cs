using System.Net;
using System.Text;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Small ledgers for single defects, each in a month of 2025 that the test ledger, the default period (the last
/// twelve months) and the connections test (October 2025) leave alone, uploaded through the API. Uploads are
/// idempotent (keyed by order and line ids), so a test may load its ledger again.
/// </summary>
public static class ExtraLedger
{
    /// <summary>
    /// May 2025: one order on Ozon and one on Wildberries, three mugs each, one returned: each return loss is
    /// 10 × 1/3 = 3.333…, shown as 3,33 ₽ twice, while the exact total 6.666… rounds to 6,67 ₽.
    /// </summary>
    public const string RoundingQuery = "from=2025-05-01&to=2025-05-31&as_of=2025-05-31";

    /// <summary>July 2025: the demo's sandbox marketplace beside an own-store order.</summary>
    public const string DemoQuery = "from=2025-07-01&to=2025-07-31&as_of=2025-07-31";

    public static async Task LoadRoundingAsync(HttpClient api)
    {
        await PostAsync(api, "sales", """
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
            ozon,RND-1,1,2025-05-10T12:00:00+03:00,r1,organic,RND-MUG,3,300,10,0,0,0
            wildberries,RND-2,1,2025-05-11T12:00:00+03:00,,organic,RND-MUG,3,300,10,0,0,0
            """);
        await PostAsync(api, "returns", """
            marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason
            ozon,RND-1,1,RND-R1,2025-05-20T12:00:00+03:00,1,100,0,0,true,size
            wildberries,RND-2,1,RND-R2,2025-05-21T12:00:00+03:00,1,100,0,0,true,size
            """);
    }

    public static async Task LoadDemoAsync(HttpClient api) =>
        await PostAsync(api, "sales", """
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
            sandbox,DEMO-1,1,2025-07-10T12:00:00+03:00,d1,sandbox_ads,DEMO-MUG,1,700,70,50,0,0
            own_store,OWN-1,1,2025-07-11T12:00:00+03:00,o1,organic,DEMO-MUG,1,500,0,60,10,0
            """);

    private static async Task PostAsync(HttpClient api, string kind, string csv)
    {
        using var content = new StringContent(csv.ReplaceLineEndings("\n") + "\n", Encoding.UTF8, "text/csv");
        using var response = await api.PostAsync(new Uri($"api/v1/imports/{kind}", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Loading {kind} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
