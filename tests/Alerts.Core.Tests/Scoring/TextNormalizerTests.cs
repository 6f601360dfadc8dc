using Alerts.Core.Scoring;
using CsCheck;

namespace Alerts.Core.Tests.Scoring;

public class TextNormalizerTests
{
    private static readonly CompiledKeywordLists Lists = CompiledKeywordLists.Compile(KeywordListParser.Parse("""
        list: t
        thresholds: watch 1, warning 3, critical 8
        signal: curfew
          label: Curfew
          weight: 3
          phrase: curfew | état d'urgence | toque de queda
        """));

    [Theory]
    [InlineData("A cur\u200Bfew was declared.")] // zero-width space
    [InlineData("A cur\u00ADfew was declared.")] // soft hyphen
    [InlineData("A cur\u2060few was declared.")] // word joiner
    [InlineData("A cur\u200Dfew was declared.")] // zero-width joiner
    [InlineData("A \u202Ecurfew\u202C was declared.")] // bidi override around the word
    [InlineData("A curfe\uFE0Fw was declared.")] // variation selector
    [InlineData("A ｃｕｒｆｅｗ was declared.")] // full-width letters
    [InlineData("A 𝐜𝐮𝐫𝐟𝐞𝐰 was declared.")] // mathematical bold
    [InlineData("A 𝘤𝘶𝘳𝘧𝘦𝘸 was declared.")] // mathematical sans-serif italic
    [InlineData("A curf\u0435w was declared.")] // Cyrillic е inside a Latin word
    [InlineData("A \u0441urfew was declared.")] // Cyrillic с leading a Latin word
    [InlineData("A curfe\u0301w was declared.")] // combining accent inside a word
    [InlineData("L'e\u0301tat d'urgence est de\u0301cre\u0301te\u0301.")] // French in NFD
    [InlineData("Se impuso el toque de quedа.")] // Cyrillic а at the end of a Latin word
    public void Score_TextAsAReaderSeesIt_FindsTheKeyword(string content)
    {
        var result = KeywordScorer.Score(Lists, "", content);

        Assert.Equal("curfew", Assert.Single(result.Signals).Id);
    }

    [Theory]
    [InlineData("ﬁre", "fire")] // ligature
    [InlineData("ÉTAT", "etat")]
    [InlineData("e\u0301tat", "etat")]
    [InlineData("œuvre", "oeuvre")]
    [InlineData("Straße", "strasse")]
    [InlineData("ｃｕｒｆｅｗ", "curfew")]
    [InlineData("cur\u00ADfew", "curfew")]
    [InlineData("curf\u0435w", "curfew")]
    [InlineData("أعلن", "اعلن")] // alef with hamza above
    [InlineData("إعلان", "اعلان")] // alef with hamza below
    [InlineData("ٱلحكومة", "الحكومه")] // alef wasla, teh marbuta
    [InlineData("حَظْرُ", "حظر")] // harakat
    [InlineData("حـــظر", "حظر")] // tatweel
    [InlineData("مستشفى", "مستشفي")] // alef maqsura
    [InlineData("کشته‌شدگان", "كشتهشدگان")] // Persian kaf, half-space inside a word
    [InlineData("نظامی", "نظامي")] // Persian yeh
    [InlineData("٣٠٠", "300")] // Arabic-Indic digits
    [InlineData("۲۵", "25")] // Persian digits
    [InlineData("İSTANBUL", "istanbul")] // Turkish dotted capital I
    [InlineData("yasağı", "yasagi")] // Turkish dotless i and soft g
    public void Tokens_FoldToPlainLetters(string word, string expected) =>
        Assert.Equal(expected, Assert.Single(TextNormalizer.Tokens(word)));

    [Theory]
    [InlineData("комендантский")] // wholly Cyrillic: left alone
    [InlineData("ελληνικά")]
    public void Tokens_WordsWhollyInAnotherScript_AreNotFolded(string word)
    {
        var token = Assert.Single(TextNormalizer.Tokens(word));

        Assert.DoesNotContain(token, c => c is >= 'a' and <= 'z');
    }

    [Fact]
    public void Tokens_BoundariesStillSplit()
    {
        Assert.Equal(["couvre", "feu"], TextNormalizer.Tokens("couvre‑feu"));
        Assert.Equal(["etat", "d", "urgence"], TextNormalizer.Tokens("l’ÉTAT D’URGENCE")[1..]);
    }

    /// <summary>The scorer's tokenizer and the list tokenizer agree on any text: what a list says and what a feed sends meet.</summary>
    [Fact]
    public void Scorer_AndListTokenizer_ReadAnyWordAlike()
    {
        var alphabet = "curfewCURFEW\u0435\u0441\u0430\u200B\u00AD\u0301éÉœﬁｃ𝐜 -.,'".EnumerateRunes().Select(r => r.ToString()).ToArray();
        Gen.Int[1, 12].SelectMany(n => Gen.Int[0, alphabet.Length - 1].Array[n]).Select(ix => string.Concat(ix.Select(i => alphabet[i]))).Sample(text =>
        {
            var words = TextNormalizer.Tokens(text);
            foreach (var word in words.Distinct())
            {
                if (word.Any(c => c is < 'a' or > 'z') || word.Length < 3)
                {
                    continue; // the list language takes letters a-z here
                }

                var list = CompiledKeywordLists.Compile(KeywordListParser.Parse($"list: p\nthresholds: watch 1, warning 3, critical 8\nsignal: s\n  label: S\n  weight: 3\n  phrase: {word}\n"));
                Assert.True(KeywordScorer.Score(list, "", text).Signals.Count == 1, $"'{word}' not found in '{Escape(text)}'");
            }
        }, iter: 400);
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}
