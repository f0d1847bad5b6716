using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.ProfitAndLoss;
using static SellerDesk.Integration.Tests.Exports.ExportFiles;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>The CSV dialects: what Russian Excel opens into columns, and the international form.</summary>
public sealed class CsvExportTests
{
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    [Fact]
    public async Task The_russian_dialect_has_semicolons_decimal_commas_a_byte_order_mark_and_russian_words()
    {
        var bytes = await CsvAsync(PnlExport.Table(ExportLedger.Reports(), null), CsvDialect.Semicolon, Russian);

        bytes.Take(3).Should().Equal(ByteOrderMark);
        var lines = Decode(bytes[3..]).TrimEnd('\n').Split('\n');
        lines[0].Should().Be("Маркетплейс;Строка;Код;2026-01;2026-02;Итого");
        lines.Should().Contain("все;Выручка;revenue;1700,00;500,00;2200,00");
        lines.Should().Contain("все;    · хранение;period_fees.storage;100,00;33,34;133,34");
        lines.Should().Contain("ozon;Прибыль;profit;-75,00;-313,84;-388,84");
    }

    [Fact]
    public async Task The_international_dialect_has_commas_decimal_dots_no_byte_order_mark_and_english_words()
    {
        var bytes = await CsvAsync(PnlExport.Table(ExportLedger.Reports(), "ozon"), CsvDialect.Comma, English);

        bytes.Take(3).Should().NotEqual(ByteOrderMark);
        var lines = Decode(bytes).TrimEnd('\n').Split('\n');
        lines[0].Should().Be("Marketplace,Line,Code,2026-01,2026-02,Total");
        lines.Should().Contain("ozon,Revenue,revenue,1000.00,500.00,1500.00");
        lines.Should().Contain("ozon,    · given back on returns,commission.commission_refunded,0.00,-75.00,-75.00");
        lines.Should().OnlyContain(l => !l.StartsWith("all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_holding_the_delimiter_or_a_quote_is_quoted()
    {
        var table = new ExportTable(
            new ExportRequest("t", new("T", "Т"), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), new DateOnly(2026, 1, 31), []),
            new("T", "Т"),
            [ExportColumn.Code("name", ExportKind.Text, new("n", "n")), ExportColumn.Code("share", ExportKind.Ratio, new("s", "s"))],
            ExportTable.Of([new ExportRow(["a;b \"c\"", 0.1234m]), new ExportRow(["x,y", null])]));

        Decode((await CsvAsync(table, CsvDialect.Semicolon, Russian))[3..]).Should().Be("name;share\n\"a;b \"\"c\"\"\";0,1234\nx,y;\n");
        Decode(await CsvAsync(table, CsvDialect.Comma, English)).Should().Be("name,share\n\"a;b \"\"c\"\"\",0.1234\n\"x,y\",\n");
    }

    [Fact]
    public void The_dialect_follows_the_ui_language_unless_asked()
    {
        CsvDialect.Of(Russian).Should().Be(CsvDialect.Semicolon);
        CsvDialect.Of(English).Should().Be(CsvDialect.Comma);
        CsvDialect.Parse("semicolon").Should().Be(CsvDialect.Semicolon);
        CsvDialect.Parse("comma").Should().Be(CsvDialect.Comma);
        CsvDialect.Parse("tab").Should().BeNull();
    }
}
