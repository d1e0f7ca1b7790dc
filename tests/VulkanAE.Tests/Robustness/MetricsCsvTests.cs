using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>metrics.csv is read back on resume: a damaged one is named with its line and field, never half-read.</summary>
public class MetricsCsvTests
{
    private const string Path = "runs/x/metrics.csv";
    private const string Header = "epoch,train_loss,test_loss,train_recon,test_recon,train_kl,test_kl,seconds,images_per_second";

    [Test]
    public void WhatIsWrittenReadsBack()
    {
        var file = System.IO.Path.Combine(Directory.CreateTempSubdirectory("metrics").FullName, "metrics.csv");
        var rows = new[] { new EpochMetrics(1, 130.5, 120.25, 10, 100, [("recon", 120, 110), ("kl", 10.5, 10.25)]),
                           new EpochMetrics(2, 110.5, 105.25, 9, 110, [("recon", 100, 95), ("kl", 10.5, 10.25)]) };
        File.WriteAllText(file, EpochMetrics.Csv(["recon", "kl"], rows));
        var read = EpochMetrics.ReadCsv(file);
        Assert.That(read.Select(r => (r.Epoch, r.TestLoss, r.Terms[1].Test)), Is.EqualTo(new[] { (1, 120.25, 10.25), (2, 105.25, 10.25) }));
    }

    [TestCase("", "empty")]
    [TestCase("\u0001\u00ff\u0013garbage,,", "line 1 is not the header")]
    [TestCase("epoch,loss", "line 1 is not the header")]
    [TestCase(Header + "\n1,130,120,120,110,10", "line 2: 6 fields, the header has 9")]
    [TestCase(Header + "\n1,130,abc,120,110,10,10,9,100", "test_loss is 'abc'")]
    [TestCase(Header + "\n2,130,120,120,110,10,10,9,100", "epoch is 2, expected 1")]
    [TestCase(Header + "\n1,130,120,120,110,10,10,9,100\n1,130,120,120,110,10,10,9,100", "line 3: epoch is 1, expected 2")]
    public void ADamagedFileIsNamedWithItsLineAndField(string text, string problem)
    {
        var error = Assert.Throws<UserInputException>(() => EpochMetrics.ParseCsv(text.Split('\n'), Path))!;
        Assert.That(error.Message, Does.StartWith(Path).And.Contain(problem).And.Contain("train the run again"));
    }

    [Test]
    public void AHeaderAloneHasNoRows() => Assert.That(EpochMetrics.ParseCsv([Header], Path), Is.Empty);
}
