package dev.kgate.cli.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit report}: one self-contained HTML page ({@link ReportPage}) on what each user
 * did in a period. The page is written to a temporary file next to {@code --out} and moved over it
 * in one step, so a reader never sees half a report and a failed run leaves the previous one. It
 * is created readable by its owner only: who read which Secret is not for everyone. It is never
 * written inside the audit directory, which {@code kgate audit} only reads.
 */
@Command(name = "report", description = "Write an HTML page on what each user did: requests per cluster and verb,"
    + " denials, exec sessions, first access to each cluster, reads of secrets.")
final class ReportCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;
  @ParentCommand private AuditCommand parent;
  @Mixin private AuditDirectory directory;
  @Mixin private ScopeOptions scope;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write (replaced if it exists).")
  private Path out;

  @Override
  public Integer call() throws IOException {
    try {
      return report();
    } catch (UsageException usage) {
      return usage.report(spec.commandLine().getErr());
    }
  }

  private int report() throws IOException {
    TimeWindow window = scope.window(parent.clock());
    Path dir = directory.existing();
    Path target = target(dir);
    ActivityReport report = ActivityReport.read(dir, scope.user(), window);
    write(target, ReportPage.render(report, parent.clock().instant(), dir.toString()));
    spec.commandLine().getOut().printf("Wrote %s: %s, %s, %s, %s, %s.%n", out,
        ReportText.count(report.users().size(), "user", "users"),
        ReportText.count(report.requests(), "request", "requests"),
        ReportText.count(report.denials(), "denial", "denials"),
        ReportText.count(report.sessions(), "session", "sessions"),
        ReportText.count(report.allowedSecretReads(), "secret read", "secret reads"));
    spec.commandLine().getOut().flush();
    return AuditCommand.EXIT_OK;
  }

  /** Where the page goes: a file in an existing directory outside the audit directory. */
  private Path target(Path dir) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    Path parentDir = target.getParent();
    if (parentDir == null || !Files.isDirectory(parentDir)) {
      throw new UsageException("the directory for --out does not exist: " + parentDir);
    }
    if (Files.isDirectory(target)) {
      throw new UsageException("--out is a directory: " + out);
    }
    if (parentDir.toRealPath().startsWith(dir.toRealPath())) {
      throw new UsageException("--out is inside the audit directory, which kgate audit never writes to: " + out);
    }
    return target;
  }

  private static void write(Path target, String html) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, html, StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException failed) {
      Files.deleteIfExists(temp);
      throw failed;
    }
  }
}
