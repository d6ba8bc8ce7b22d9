using Medic.Core.Logs.Parsing;

namespace Medic.Core.Tests.Logs;

public sealed class LogMaskerTests
{
    [Theory]
    [InlineData("10.251.73.220:50010", "<*>:<*>")]
    [InlineData("/10.251.73.220:50010", "<*>:<*>")]
    [InlineData("uid=0", "uid=<*>")]
    [InlineData("vCores:-1>", "vCores:<*>>")]
    [InlineData("blk_-6952295868487656571", "<*>")]
    [InlineData("msra-sa-41", "<*>")]
    [InlineData("core.2275", "core.<*>")]
    [InlineData("0x0ffea4c8", "<*>")]
    [InlineData("eth0", "eth0")]
    [InlineData("tty2", "tty2")]
    [InlineData("i-fetch......0", "i-fetch......<*>")]
    [InlineData("/var/log/messages", "<*>")]
    [InlineData("(/home/x/prog)", "(<*>)")]
    [InlineData("/etc/xinetd.d/chargen:", "<*>:")]
    [InlineData("[file=/etc/xinetd.conf]", "[file=<*>]")]
    [InlineData("hdfs://10.10.34.11:9000/pjhe/test", "hdfs://<*>")]
    [InlineData("PacketResponder", "PacketResponder")]
    [InlineData("Jun", "<*>")]
    public void A_token_is_masked_where_it_varies(string token, string masked)
    {
        var masker = new LogMasker();
        masker.Mask(token);

        Assert.Equal(masked, masker.Text.ToString());
    }

    [Fact]
    public void A_size_and_its_unit_are_one_value()
    {
        var masker = new LogMasker();
        masker.Mask("stored (estimated size 5.2 KB, free 17.7 GB)");

        Assert.Equal("stored (estimated size <*>, free <*>)", masker.Text.ToString());
        Assert.Equal(6, masker.Count);
        Assert.Equal("size", masker[2].ToString());
    }

    [Fact]
    public void Whitespace_runs_separate_tokens_and_the_buffer_reads_as_the_masked_line()
    {
        var masker = new LogMasker();
        masker.Mask("  New election. My id =  1, proposed zxid=0x700000000 ");

        Assert.Equal("New election. My id = <*>, proposed zxid=<*>", masker.Text.ToString());
        Assert.Equal(8, masker.Count);
    }

    [Fact]
    public void Extra_delimiters_split_tokens_like_whitespace()
    {
        var masker = new LogMasker(",;");
        masker.Mask("user=alice,action=login;status=ok");

        Assert.Equal("user=alice action=login status=ok", masker.Text.ToString());
    }

    [Fact]
    public void A_message_that_masks_to_more_than_its_length_fits_after_a_shorter_one()
    {
        var masker = new LogMasker();
        masker.Mask(new string('a', 1000));
        masker.Mask(string.Concat(Enumerable.Repeat("/'", 600)));

        Assert.Equal(string.Concat(Enumerable.Repeat("<*>'", 600)), masker.Text.ToString());
    }

    [Fact]
    public void A_huge_message_is_masked_up_to_the_limit()
    {
        var masker = new LogMasker();
        masker.Mask(string.Join(' ', Enumerable.Repeat("word", 10_000)));

        Assert.Equal((LogMasker.MaxMessageLength + 1) / 5, masker.Count); // "word " repeated, cut after 16 KiB
    }

    [Fact]
    public void A_long_message_grows_the_buffers()
    {
        var masker = new LogMasker();
        var message = string.Join(' ', Enumerable.Range(0, 2000).Select(i => $"/p{i}"));
        masker.Mask(message);

        Assert.Equal(2000, masker.Count);
        Assert.Equal("<*>", masker[1999].ToString());
    }
}
