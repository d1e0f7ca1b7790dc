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
        var rows = new[] { new EpochMetrics(1, 130.5, 120.25, 10, 100, [("recon", 120, 110), ("kl", 10.5, 10.25)]) { LearningRate = 1e-3 },
                           new EpochMetrics(2, 110.5, 105.25, 9, 110, [("recon", 100, 95), ("kl", 10.5, 10.25)]) { LearningRate = 1e-3 } };
        File.WriteAllText(file, EpochMetrics.Csv(["recon", "kl"], validation: false, rows));
        var read = EpochMetrics.ReadCsv(file);
        Assert.That(read.Select(r => (r.Epoch, r.TestLoss, r.Terms[1].Test)), Is.EqualTo(new[] { (1, 120.25, 10.25), (2, 105.25, 10.25) }));
    }

    [Test]
    public void ValidationLossAndLearningRateReadBack()
    {
        var file = System.IO.Path.Combine(Directory.CreateTempSubdirectory("metrics").FullName, "metrics.csv");
        var rows = new[] { new EpochMetrics(1, 0.25, 0.2, 10, 100, []) { ValidationLoss = 0.22, LearningRate = 1e-3 },
                           new EpochMetrics(2, 0.125, 0.1, 9, 110, []) { ValidationLoss = 0.11, LearningRate = 5e-4 } };
        File.WriteAllText(file, EpochMetrics.Csv([], validation: true, rows));
        Assert.That(File.ReadLines(file).First(), Is.EqualTo("epoch,train_loss,validation_loss,test_loss,learning_rate,seconds,images_per_second"));
        var read = EpochMetrics.ReadCsv(file);
        Assert.That(read.Select(r => (r.TrainLoss, r.ValidationLoss, r.TestLoss, r.LearningRate)),
            Is.EqualTo(new (double, double?, double, double?)[] { (0.25, 0.22, 0.2, 1e-3), (0.125, 0.11, 0.1, 5e-4) }));
    }

    [TestCase(false, "epoch,train_loss,test_loss,train_recon,test_recon,train_kl,test_kl,learning_rate,seconds,images_per_second")]
    [TestCase(true, "epoch,train_loss,validation_loss,test_loss,train_recon,test_recon,train_kl,test_kl,learning_rate,seconds,images_per_second")]
    public void TheRunDecidesTheColumnsBeforeItHasEpochs(bool validation, string header)
        => Assert.That(EpochMetrics.Csv(["recon", "kl"], validation, []), Is.EqualTo(header + "\n"));

    [Test]
    public void ARowWithoutTheRunsColumnsIsRefused()
    {
        var plain = new EpochMetrics(1, 0.25, 0.2, 10, 100, []) { LearningRate = 1e-3 };
        Assert.Throws<ArgumentException>(() => EpochMetrics.Csv([], validation: true, [plain]), "no validation loss in a run that holds images out");
        Assert.Throws<ArgumentException>(() => EpochMetrics.Csv([], validation: false, [plain with { ValidationLoss = 0.22 }]), "a validation loss in a run that holds none out");
        Assert.Throws<ArgumentException>(() => EpochMetrics.Csv([], validation: false, [plain with { LearningRate = null }]), "no learning rate");
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
