using System.Globalization;
using System.Text;
using Npgsql;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;
using SellerDesk.Web.Features.Upload;

namespace SellerDesk.Integration.Tests.Upload;

/// <summary>
/// Every sentence the real importer says about bad files has its Russian wording on the upload page
/// (<see cref="ImportProblemText"/>): bad files of every kind go through the importer and each problem and warning
/// must translate, keeping the quoted values.
/// </summary>
public sealed class ImportProblemTextTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string SalesHeader = "marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics";
    private const string ReturnsHeader = "marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason";

    public static TheoryData<string, string> BadFiles => new()
    {
        { "sales", "" },
        { "sales", "marketplace,order_id,,line_id,ordered_at,channel,sku,quantity,revenue,commission,logistics,colour,colour\n" },
        { "sales", "marketplace,order_id,line_id\nown_store,A,1\n" },
        {
            "sales", SalesHeader + "\n" +
            "own_store,A1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,two,1000,0,150\n" +
            "own_store,A2,1,2026-13-10T12:00:00+03:00,c1,VK Ads,MUG-01,1,1000,-5,150\n" +
            "own_store,A3,1,yesterday,c1,vk_ads,MUG-01,0,1 000,0,150\n" +
            "own_store,A4,1,2026-01-10T12:00:00+03:00,c1,vk_ads,,1,1000,0\n" +
            "own_store,A5,1,2026-03-29T02:30:00,c1,vk_ads,MUG-01,1,1000,0,150\n" +
            "own_store,A6,1,2026-01-10T12:00:00+03:00,c1,vk_ads,\"MUG-01,1,1000,0,150\n"
        },
        {
            "sales", SalesHeader + "\n" +
            "own_store,B1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,1,1000,0,150\n" +
            "own_store,B1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,1,1000,0,150\n" +
            "own_store,B2,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,1,1000,0,150\n" +
            "own_store,B2,2,2026-01-11T12:00:00+03:00,c2,referral,MUG-01,1,1000,0,150\n"
        },
        { "returns", ReturnsHeader + "\nown_store,NONE,1,R1,2026-02-05T12:00:00+03:00,1,500,0,50,maybe,size\n" },
        { "returns", ReturnsHeader + "\nown_store,NONE,1,R1,2026-02-05T12:00:00+03:00,1,500,0,50,true,size\n" },
        { "costs", "sku,valid_from,unit_cost\nMUG-01,01/02/2026,200\nMUG-02,2026-01-01,2.000,5\n" },
        {
            "attribution", "date,marketplace,channel,sku,orders\n" +
            "2026-03-01,wildberries,blogger_anna,MUG-01,1.5\n" +
            "2026-03-01,wildberries,blogger_anna,TEA-02,-2\n" +
            "2026-03-01,wildberries,organic,MUG-01,1\n" +
            "2026-03-32,wildberries,Blogger Anna,MUG-01,1\n"
        },
        { "attribution", "date,marketplace,channel,sku,orders\n2026-03-01,wb,blogger_anna,MUG-01,1\n2026-03-01,ozon,promo,TEA-02,1\n2026-03-01,ozon,promo,TEA-02,1\n" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Every_problem_and_warning_the_importer_gives_has_its_russian_wording(string kind, string csv)
    {
        var workspace = Guid.NewGuid();
        await using (var command = database.DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workspace });
            command.Parameters.Add(new NpgsqlParameter { Value = "texts " + workspace.ToString("N", CultureInfo.InvariantCulture) });
            await command.ExecuteNonQueryAsync();
        }

        LedgerFileKinds.TryParse(kind, out var fileKind).Should().BeTrue();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var result = await new LedgerImporter(database.DataSource).ImportAsync(
            workspace, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"), fileKind, stream, null);

        var sentences = result.Errors.Select(e => e.Message).Concat(result.Warnings).ToList();
        sentences.Should().NotBeEmpty();
        sentences.Where(s => ImportProblemText.Russian(s) is null).Should().BeEmpty("every importer sentence has a Russian template");
        foreach (var sentence in sentences)
        {
            var russian = ImportProblemText.Russian(sentence)!;
            foreach (var quoted in System.Text.RegularExpressions.Regex.Matches(sentence, "'[^']*'").Select(m => m.Value))
            {
                russian.Should().Contain(quoted, "quoted values are carried over");
            }
        }
    }

    [Fact]
    public void A_sentence_without_a_template_stays_as_it_is_and_templates_nest()
    {
        ImportProblemText.Russian("something new").Should().BeNull();
        ImportProblemText.Russian("the header is malformed: a quoted value is not closed")
            .Should().Be("заголовок не читается: значение в кавычках не закрыто");
        ImportProblemText.Russian("'two' is not a whole number").Should().Be("'two' — не целое число");
    }
}
