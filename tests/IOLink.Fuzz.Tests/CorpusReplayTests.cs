namespace IOLink.Fuzz.Tests;

/// <summary>
/// Every input of the checked-in fuzzing corpus (fuzz/corpus/TARGET: the seeds and what campaigns found worth
/// keeping, crashes that were fixed among them) replayed through its target: each must end in a documented outcome.
/// </summary>
public sealed class CorpusReplayTests
{
    private static string CorpusFolder() => Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Targets.All.Keys)
        {
            var folder = Path.Combine(CorpusFolder(), target);
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_EndsInADocumentedOutcome(string target, string file) =>
        Targets.All[target](File.ReadAllBytes(Path.Combine(CorpusFolder(), target, file)));

    [Fact]
    public void EveryTarget_HasACorpus()
    {
        foreach (var target in Targets.All.Keys)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(CorpusFolder(), target)));
        }
    }
}
