using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed class UploadPageTests(SellerDeskApp app)
{
    [Fact]
    public async Task Importing_a_file_shows_how_many_rows_were_read_inserted_and_updated()
    {
        // Unit costs of a SKU nobody sold: the other tests' figures stay as they are.
        var sku = "E2E-" + Guid.NewGuid().ToString("N")[..8];
        var upload = new UploadPage(await app.NewPageAsync());
        await upload.OpenAsync();

        await upload.ChooseKindAsync("costs");
        await Assertions.Expect(upload.ExpectedHeader).ToHaveTextAsync("sku,valid_from,unit_cost");
        await upload.ChooseFileAsync("costs.csv", $"sku,valid_from,unit_cost\n{sku},2020-01-01,100\n{sku},2021-01-01,120\n");
        await upload.ImportAsync();
        await Screenshots.SaveAsync(upload.Page, "upload-success");

        (await upload.Page.Locator("[data-testid=upload-success]").InnerTextAsync()).Should().Contain("costs.csv");
        (await upload.CountAsync("rows")).Should().Be(2);
        (await upload.CountAsync("inserted")).Should().Be(2);
        (await upload.CountAsync("updated")).Should().Be(0);

        // The same file again replaces nothing new; a changed cost counts as updated.
        await upload.ChooseFileAsync("costs.csv", $"sku,valid_from,unit_cost\n{sku},2020-01-01,100\n{sku},2021-01-01,125\n");
        await upload.ImportAsync();
        (await upload.CountAsync("inserted")).Should().Be(0);
        (await upload.CountAsync("updated")).Should().Be(1);
        (await upload.CountAsync("unchanged")).Should().Be(1);
    }

    [Fact]
    public async Task A_bad_file_lists_every_row_error_with_its_line_and_says_nothing_was_written()
    {
        var before = await app.Reports.MarketplacesAsync(TestLedger.Query);
        var upload = new UploadPage(await app.NewPageAsync());
        await upload.OpenAsync();

        await upload.ChooseKindAsync("sales");
        await Assertions.Expect(upload.ExpectedHeader).ToContainTextAsync("marketplace,order_id");
        await upload.ChooseFileAsync("bad-sales.csv", """
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics
            own_store,E2E-1,1,2026-03-20T12:00:00+03:00,c9,vk_ads,MUG-01,1,500,0,100
            own_store,E2E-2,1,2026-03-20T12:00:00+03:00,c9,vk_ads,MUG-01,two,500,0,100
            own_store,E2E-3,1,2026-13-20T12:00:00+03:00,c9,vk_ads,MUG-01,1,500,0,100
            """);
        await upload.ImportAsync();
        await Screenshots.SaveAsync(upload.Page, "upload-rejected");

        (await upload.NothingWritten.InnerTextAsync()).Should().Contain("ничего не записано");
        var problems = await upload.ProblemsAsync();
        problems.Should().Contain(p => p.Line == "3" && p.Column == "quantity" && p.Message.Contains("two"));
        problems.Should().Contain(p => p.Line == "4" && p.Column == "ordered_at");
        var after = await app.Reports.MarketplacesAsync(TestLedger.Query);
        after.Select(r => r.ToString()).Should().Equal(before.Select(r => r.ToString()), "the valid first row was not written either");
    }
}
