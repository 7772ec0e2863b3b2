package dev.kgate.audit.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Runs {@link FileAuditLogBenchmark} on request ({@code -Dkgate.bench=true}); never in a normal build. */
@EnabledIfSystemProperty(named = "kgate.bench", matches = "true")
class FileAuditLogBenchmarkTest {

  @Test
  void printsEventsPerSecondIntoTheFileSinkWithFsyncOn() throws Exception {
    FileAuditLogBenchmark.main(FileAuditLogBenchmark.defaults().toArray(String[]::new));
    FileAuditLogBenchmark.main(new String[] {"500000", "1", "1"});
    FileAuditLogBenchmark.main(new String[] {"500000", "1000", "1"});
    FileAuditLogBenchmark.main(new String[] {"500000", "100", "2"});
  }
}
