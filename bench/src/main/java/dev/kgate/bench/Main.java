package dev.kgate.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs kgate's benchmarks briefly and prints one line per benchmark. With arguments it is JMH's
 * own command line instead ({@code -h} lists the options), for longer or filtered runs:
 * {@code java -jar bench/target/kgate-bench.jar -f 2 -wi 5 -i 10 TokenVerification}, or
 * {@code java -jar bench/target/kgate-bench.jar PolicyDecision -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    print(briefly());
  }

  private static Collection<RunResult> briefly() throws RunnerException {
    Options options = new OptionsBuilder()
        .include(TokenVerificationBenchmark.class.getName())
        .include(PolicyDecisionBenchmark.class.getName())
        .forks(1)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(1))
        .timeUnit(TimeUnit.MICROSECONDS)
        .build();
    return new Runner(options).run();
  }

  private static void print(Collection<RunResult> results) {
    System.out.println();
    System.out.println("kgate benchmarks (average time per call, 99.9% confidence error):");
    String benchmarkClass = "";
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      String owner = name.substring(0, name.lastIndexOf('.'));
      if (!owner.equals(benchmarkClass)) {
        benchmarkClass = owner;
        String policySize = result.getParams().getParam("roles");
        System.out.println(owner.substring(owner.lastIndexOf('.') + 1)
            + (policySize == null ? "" : " (" + policySize + " roles)") + ":");
      }
      var score = result.getPrimaryResult();
      System.out.printf(Locale.ROOT, "  %-20s %10.2f ± %.2f %s%n",
          name.substring(name.lastIndexOf('.') + 1), score.getScore(), score.getScoreError(), score.getScoreUnit());
    }
  }
}
