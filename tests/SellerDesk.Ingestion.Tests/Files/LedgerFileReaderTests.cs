using System.Text;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Testing;
using static SellerDesk.Ingestion.Tests.Files.LedgerTestFiles;

namespace SellerDesk.Ingestion.Tests.Files;

public sealed class LedgerFileReaderTests
{
    private const string SalesHeader = "marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees";

    [Fact]
    public async Task Reads_the_tiny_sales_file_into_sale_lines_with_their_line_numbers()
    {
        var read = await ReadAsync<SaleLine>(await File.ReadAllTextAsync(SharedExamples.Tiny("sales.csv")));

        read.Problems.Should().BeEmpty();
        read.Warnings.Should().BeEmpty();
        read.Rows.Should().HaveCount(13);
        read.Rows[0].Line.Should().Be(2);
        read.Rows[0].Record.Should().Be(new SaleLine(
            "own_store", "S1", "1", new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.FromHours(3)), "c1", "vk_ads", "MUG-01",
            2, 1000m, 0m, 150m, 20m, 0m));
        read.Rows[6].Record.CustomerId.Should().BeNull("an empty customer_id means the buyer is not identified");
        read.Rows[3].Record.OrderedAt.Should().Be(new DateTimeOffset(2026, 1, 31, 22, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Applies_the_defaults_of_optional_sales_columns()
    {
        var read = await ReadAsync<SaleLine>(Lines(
            "marketplace,order_id,ordered_at,sku,quantity,revenue,commission,logistics",
            "ozon,O1,2026-01-05T08:00:00+03:00,MUG-01,1,600,90,80"));

        read.Records.Should().ContainSingle().Which.Should().Be(new SaleLine(
            "ozon", "O1", "MUG-01", new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.FromHours(3)), null,
            LedgerNames.OrganicChannel, "MUG-01", 1, 600m, 90m, 80m, 0m, 0m));
    }

    [Fact]
    public async Task An_empty_channel_is_organic()
    {
        var read = await ReadAsync<SaleLine>(Lines(SalesHeader, "ozon,O1,1,2026-01-05T08:00:00+03:00,,,MUG-01,1,600,90,80,,"));

        read.Problems.Should().BeEmpty();
        read.Records.Single().Channel.Should().Be("organic");
        read.Records.Single().Acquiring.Should().Be(0m);
    }

    [Fact]
    public async Task Applies_the_defaults_of_optional_returns_columns()
    {
        var read = await ReadAsync<ReturnEvent>(Lines(
            "marketplace,order_id,sku,returned_at,quantity,refund",
            "wildberries,W2,MUG-01,2026-02-05T12:00:00,1,500"));

        read.Problems.Should().BeEmpty();
        read.Records.Single().Should().Be(new ReturnEvent(
            "wildberries", "W2", "MUG-01", "2026-02-05T09:00:00.0000000Z",
            new DateTimeOffset(2026, 2, 5, 12, 0, 0, TimeSpan.FromHours(3)), 1, 500m, 0m, 0m, true, null));
    }

    [Fact]
    public async Task Returns_without_line_id_or_sku_column_are_rejected_on_line_1()
    {
        var read = await ReadAsync<ReturnEvent>(Lines("marketplace,order_id,returned_at,quantity,refund", "wildberries,W2,2026-02-05,1,500"));

        read.Problems.Should().ContainSingle().Which.Should().Be(
            new ImportProblem(1, "line_id", "required column 'line_id' is missing (or an sku column naming the line)"));
    }

    [Fact]
    public async Task Reads_the_semicolon_dialect_with_decimal_commas()
    {
        var read = await ReadAsync<SaleLine>(Lines(
            SalesHeader.Replace(',', ';'),
            "own_store;S1;1;10.01.2026 12:00;c1;vk_ads;MUG-01;2;1000,50;0;150,25;20;0,5"));

        read.Delimiter.Should().Be(';');
        read.Problems.Should().BeEmpty();
        var line = read.Records.Single();
        (line.Revenue, line.Logistics, line.OtherFees).Should().Be((1000.50m, 150.25m, 0.5m));
        line.OrderedAt.Should().Be(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.FromHours(3)));
    }

    [Theory]
    [InlineData(",", "1,234.50")]
    [InlineData(",", "1 234.50")]
    [InlineData(",", "1234,50")]
    [InlineData(";", "1 234,50")]
    [InlineData(";", "1.234,50")]
    [InlineData(";", "1234.50")]
    [InlineData(",", "12e3")]
    [InlineData(",", "abc")]
    public async Task Rejects_thousands_separators_and_the_other_dialects_decimal_mark(string delimiter, string amount)
    {
        var read = await ReadAsync<UnitCost>(
            Lines($"sku{delimiter}valid_from{delimiter}unit_cost", $"MUG-01{delimiter}2025-01-01{delimiter}\"{amount}\""));

        var example = delimiter == ";" ? "1234,5" : "1234.5";
        read.Problems.Should().ContainSingle().Which.Should().Be(new ImportProblem(
            2, "unit_cost", $"'{amount}' is not a number (write it like {example}, without thousands separators)"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("Yes", true)]
    [InlineData("да", true)]
    [InlineData("ДА", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("Нет", false)]
    [InlineData("", true)]
    public async Task Reads_booleans_in_every_spelling(string text, bool expected)
    {
        var read = await ReadAsync<ReturnEvent>(Lines(
            "marketplace,order_id,line_id,returned_at,quantity,refund,restockable",
            $"wildberries,W1,1,2026-01-20T12:00:00+03:00,1,1000,{text}"));

        read.Problems.Should().BeEmpty();
        read.Records.Single().Restockable.Should().Be(expected);
    }

    [Fact]
    public async Task Rejects_a_boolean_it_does_not_know()
    {
        var read = await ReadAsync<ReturnEvent>(Lines(
            "marketplace,order_id,line_id,returned_at,quantity,refund,restockable",
            "wildberries,W1,1,2026-01-20T12:00:00+03:00,1,1000,maybe"));

        read.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "line 2, column restockable: 'maybe' is not a yes/no value (use true/false, 1/0, yes/no or да/нет)");
    }

    [Theory]
    [InlineData("2026-01-31")]
    [InlineData("31.01.2026")]
    public async Task Reads_dates_as_year_month_day_or_day_month_year(string text)
    {
        var read = await ReadAsync<PeriodFee>(Lines("date,marketplace,kind,amount", $"{text},wildberries,storage,320"));

        read.Records.Single().Date.Should().Be(new DateOnly(2026, 1, 31));
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("31/01/2026")]
    [InlineData("2026-1-31")]
    [InlineData("yesterday")]
    [InlineData("2026-01-31T00:00:00")]
    public async Task Rejects_a_bad_date(string text)
    {
        var read = await ReadAsync<AdSpend>(Lines("date,marketplace,channel,amount", $"{text},ozon,ozon_ads,700"));

        read.Problems.Should().ContainSingle().Which.Should().Be(
            new ImportProblem(2, "date", $"'{text}' is not a date (use YYYY-MM-DD or DD.MM.YYYY)"));
    }

    [Theory]
    [InlineData("2026-01-31T22:30:00Z", "2026-01-31T22:30:00Z")]
    [InlineData("2026-02-01T01:30:00+03:00", "2026-01-31T22:30:00Z")]
    [InlineData("2026-02-01T01:30:00", "2026-01-31T22:30:00Z")]
    [InlineData("2026-02-01 01:30", "2026-01-31T22:30:00Z")]
    [InlineData("01.02.2026 01:30:00", "2026-01-31T22:30:00Z")]
    [InlineData("2026-02-01T01:30:00.5+0300", "2026-01-31T22:30:00.5Z")]
    [InlineData("2026-02-01T02:30:00+04", "2026-01-31T22:30:00Z")]
    [InlineData("2026-02-01", "2026-01-31T21:00:00Z")]
    public async Task Reads_timestamps_without_an_offset_in_the_workspace_zone(string text, string expectedUtc)
    {
        var read = await ReadAsync<SaleLine>(Lines(
            "marketplace,order_id,ordered_at,sku,quantity,revenue,commission,logistics",
            $"own_store,S3,{text},TEE-02,1,950,0,120"));

        read.Problems.Should().BeEmpty();
        read.Records.Single().OrderedAt.Should().Be(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-01-31T25:00:00")]
    [InlineData("2026-01-31T12:00:00+3")]
    [InlineData("2026-01-31T12")]
    [InlineData("2026-01-31T12:00:00 MSK")]
    public async Task Rejects_a_bad_timestamp(string text)
    {
        var read = await ReadAsync<SaleLine>(Lines(
            "marketplace,order_id,ordered_at,sku,quantity,revenue,commission,logistics",
            $"own_store,S3,{text},TEE-02,1,950,0,120"));

        read.Problems.Should().ContainSingle().Which.Should().Be(new ImportProblem(
            2, "ordered_at", $"'{text}' is not a timestamp (use ISO 8601, such as 2026-01-10T12:00:00+03:00)"));
    }

    [Fact]
    public async Task Reads_offset_less_timestamps_in_another_zone_by_its_own_offset()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var read = await ReadAsync<SaleLine>(
            Lines("marketplace,order_id,ordered_at,sku,quantity,revenue,commission,logistics", "own_store,S1,2026-07-01T12:00:00,A,1,1,0,0"),
            berlin);

        read.Records.Single().OrderedAt.Should().Be(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_trimmed_and_in_any_order()
    {
        var read = await ReadAsync<UnitCost>(Lines(" Unit_Cost ,SKU,\"Valid_From\"", "250.5,MUG-01,2026-02-01"));

        read.Problems.Should().BeEmpty();
        read.Records.Single().Should().Be(new UnitCost("MUG-01", new DateOnly(2026, 2, 1), 250.5m));
    }

    [Fact]
    public async Task Warns_about_unknown_columns_and_ignores_them()
    {
        var read = await ReadAsync<UnitCost>(Lines("sku,valid_from,unit_cost,supplier", "MUG-01,2026-02-01,250,Acme"));

        read.Problems.Should().BeEmpty();
        read.Warnings.Should().Equal("unknown column 'supplier' was ignored");
        read.Records.Should().HaveCount(1);
    }

    [Fact]
    public async Task Reports_each_missing_required_column_on_line_1()
    {
        var read = await ReadAsync<SaleLine>(Lines("marketplace,order_id,ordered_at,sku,revenue,commission", "ozon,O1,2026-01-05,MUG-01,600,90"));

        read.Problems.Should().Equal(
            new ImportProblem(1, "quantity", "required column 'quantity' is missing"),
            new ImportProblem(1, "logistics", "required column 'logistics' is missing"));
        read.Rows.Should().BeEmpty();
    }

    [Fact]
    public async Task Reports_a_column_named_twice()
    {
        var read = await ReadAsync<UnitCost>(Lines("sku,valid_from,unit_cost,SKU", "A,2026-01-01,1,B"));

        read.Problems.Should().ContainSingle().Which.Should().Be(new ImportProblem(1, "sku", "column 'sku' appears more than once"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public async Task Reports_an_empty_file_with_one_clear_problem(string text)
    {
        var read = await ReadAsync<AdSpend>(text);

        read.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "line 1: the file is empty; a ad_spend file starts with a header line such as date,marketplace,channel,amount");
    }

    [Fact]
    public async Task Reads_a_file_with_only_a_header_as_no_rows()
    {
        var read = await ReadAsync<SaleLine>(SalesHeader);

        read.Problems.Should().BeEmpty();
        read.Rows.Should().BeEmpty();
    }

    [Fact]
    public async Task Reads_a_file_with_a_byte_order_mark()
    {
        var read = await ReadAsync<UnitCost>(Lines("sku,valid_from,unit_cost", "MUG-01,2026-02-01,250"), byteOrderMark: true);

        read.Problems.Should().BeEmpty();
        read.Records.Single().Sku.Should().Be("MUG-01");
    }

    [Fact]
    public async Task Reads_quoted_values_with_delimiters_and_line_breaks()
    {
        var read = await ReadAsync<ReturnEvent>(Lines(
            "marketplace,order_id,line_id,returned_at,quantity,refund,reason",
            "ozon,\"O,1\",1,2026-01-20T12:00:00+03:00,1,\"1000\",\"too \"\"small\"\",",
            "see photo\"",
            "ozon,O2,1,2026-01-21T12:00:00+03:00,1,10,"));

        read.Problems.Should().BeEmpty();
        read.Records[0].OrderId.Should().Be("O,1");
        read.Records[0].Reason.Should().Be("too \"small\",\nsee photo");
        read.Rows[1].Line.Should().Be(4);
        read.Records[1].Reason.Should().BeNull();
    }

    [Fact]
    public async Task Every_value_problem_names_its_line_and_column_in_a_plain_message()
    {
        var read = await ReadAsync<SaleLine>(Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,two,1000,0,150,20,0",
            "Own Store,S2,1,soon,c1,VK Ads,,0,-5,abc,150,20,0",
            "own_store,,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,-1,1000,0,-150,20,0",
            "own_store,S4,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,1,1000"));

        read.Rows.Should().BeEmpty();
        read.Problems.Select(p => p.ToString()).Should().Equal(
            "line 2, column quantity: 'two' is not a whole number",
            "line 3, column ordered_at: 'soon' is not a timestamp (use ISO 8601, such as 2026-01-10T12:00:00+03:00)",
            "line 3, column sku: a value is required",
            "line 3, column commission: 'abc' is not a number (write it like 1234.5, without thousands separators)",
            "line 4, column order_id: a value is required",
            "line 5: has 9 values but the header has 13 columns");

        var semantic = await ReadAsync<SaleLine>(Lines(
            SalesHeader,
            "Own Store,S2,1,2026-01-10T12:00:00+03:00,c1,VK Ads,MUG-01,0,-5,0,150,20,0"));
        semantic.Problems.Select(p => p.ToString()).Should().Equal(
            "line 2, column marketplace: 'Own Store' is not a code (use lowercase letters, digits, '_', '-' or '.')",
            "line 2, column channel: 'VK Ads' is not a code (use lowercase letters, digits, '_', '-' or '.')",
            "line 2, column quantity: '0' is not a positive whole number",
            "line 2, column revenue: '-5' is negative (fees, costs and amounts are positive numbers)");
        semantic.Problems.Should().OnlyContain(p => p.Line == 2 && p.Column != null);
    }

    [Fact]
    public async Task Lists_at_most_100_problems_and_counts_the_rest()
    {
        var text = new StringBuilder("sku,valid_from,unit_cost\n");
        for (var i = 0; i < 250; i++)
        {
            text.Append("MUG-").Append(i).Append(",2026-01-01,free\n");
        }

        var read = await ReadAsync<UnitCost>(text.ToString());

        read.Problems.Should().HaveCount(101);
        read.Problems[99].Should().Be(new ImportProblem(101, "unit_cost", "'free' is not a number (write it like 1234.5, without thousands separators)"));
        read.Problems[100].ToString().Should().Be("line 102: and 150 more problems not listed");
    }

    [Fact]
    public async Task Keeps_line_ids_and_skus_as_written()
    {
        var read = await ReadAsync<SaleLine>(Lines(SalesHeader, "ozon,O1,Line-A,2026-01-05T08:00:00+03:00,K1,ozon_ads,Mug 01,1,600.00,90,80,0,0"));

        read.Records.Single().Should().Match<SaleLine>(l => l.LineId == "Line-A" && l.Sku == "Mug 01" && l.CustomerId == "K1");
    }
}
