package dev.kgate.sim.stream.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ContainerCommandsTest {

  private final Container container = new Container("default", "web",
      Clock.fixed(Instant.parse("2025-01-07T12:00:00Z"), ZoneOffset.UTC));

  @Test
  void echoPrintsItsArgumentsOnOneLine() throws Exception {
    ProcessHarness.Result result = ProcessHarness.run(container, "echo", "hello", "world");
    assertThat(result.stdout()).as("stdout").isEqualTo("hello world\n");
    assertThat(result.code()).as("exit code").isZero();
  }

  @Test
  void lsListsADirectoryAndComplainsAboutAMissingOne() throws Exception {
    ProcessHarness.Result listing = ProcessHarness.run(container, "ls", "/etc");
    assertThat(listing.stdout()).as("sorted names").isEqualTo("hostname\nhosts\nos-release\n");

    ProcessHarness.Result missing = ProcessHarness.run(container, "ls", "/nope");
    assertThat(missing.stderr()).as("message").isEqualTo("ls: cannot access '/nope': No such file or directory\n");
    assertThat(missing.code()).as("exit code").isEqualTo(2);
  }

  @Test
  void hostnameEnvAndDateDescribeThePod() throws Exception {
    assertThat(ProcessHarness.run(container, "hostname").stdout()).as("hostname").isEqualTo("web\n");
    assertThat(ProcessHarness.run(container, "env").stdout()).as("env").contains("HOSTNAME=web\n");
    assertThat(ProcessHarness.run(container, "date").stdout()).as("date from the injected clock")
        .isEqualTo("Tue Jan  7 12:00:00 UTC 2025\n");
  }

  @Test
  void testDashDTellsDirectoriesFromFilesAndMissingPaths() throws Exception {
    assertThat(ProcessHarness.run(container, "test", "-d", "/tmp").code()).as("directory").isZero();
    assertThat(ProcessHarness.run(container, "test", "-d", "/etc/hostname").code()).as("file").isEqualTo(1);
    assertThat(ProcessHarness.run(container, "test", "-d", "/nope").code()).as("missing").isEqualTo(1);
  }

  @Test
  void sleepEndsOnItsTimerAndDiesWith130OnInterrupt() throws Exception {
    assertThat(ProcessHarness.run(container, "sleep", "0.01").code()).as("short sleep").isZero();

    try (ProcessHarness harness = new ProcessHarness()) {
      harness.start(container, List.of("sleep", "30"), false);
      harness.interrupt();
      assertThat(harness.await().code()).as("killed by SIGINT").isEqualTo(130);
    }
  }

  @Test
  void unknownCommandsExit127WithTheMessageOfWhoeverLookedThemUp() throws Exception {
    ProcessHarness.Result runtime = ProcessHarness.run(container, "nosuch");
    assertThat(runtime.stderr()).as("runtime").contains("exec: \"nosuch\": executable file not found in $PATH");
    assertThat(runtime.code()).as("exit code").isEqualTo(127);

    ProcessHarness.Result shell = ProcessHarness.run(container, "sh", "-c", "nosuch");
    assertThat(shell.stderr()).as("shell").isEqualTo("sh: nosuch: not found\n");
    assertThat(shell.code()).as("exit code").isEqualTo(127);
  }

  @Test
  void shellRedirectionsWriteAppendAndReadFiles() throws Exception {
    ProcessHarness.Result result = ProcessHarness.run(container, "sh", "-c",
        "echo a > /tmp/f; echo b >> /tmp/f; cat < /tmp/f; ls /nope 2>/dev/null || echo hidden");
    assertThat(result.stdout()).as("stdout").isEqualTo("a\nb\nhidden\n");
    assertThat(result.stderr()).as("stderr went to /dev/null").isEmpty();
    assertThat(container.fileSystem().read("/tmp/f")).as("file content")
        .hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("a\nb\n"));
  }

  @Test
  void shellExpandsVariablesPositionalArgumentsAndStatus() throws Exception {
    ProcessHarness.Result result = ProcessHarness.run(container, "sh", "-c",
        "X=1; echo \"$X $?\" ${HOSTNAME} '$X' $1; false; echo $?", "sh", "first");
    assertThat(result.stdout()).as("stdout").isEqualTo("1 0 web $X first\n1\n");
  }

  @Test
  void shellSyntaxErrorExitsTwo() throws Exception {
    ProcessHarness.Result result = ProcessHarness.run(container, "sh", "-c", "echo 'oops");
    assertThat(result.stderr()).as("stderr").contains("syntax error");
    assertThat(result.code()).as("exit code").isEqualTo(2);
  }

  @Test
  void shellWithoutATerminalRunsTheLinesItReads() throws Exception {
    ProcessHarness.Result result = ProcessHarness.run(container, List.of("sh"),
        "echo a\ncd /tmp\npwd\nexit 7\necho never\n".getBytes(StandardCharsets.UTF_8), false);
    assertThat(result.stdout()).as("stdout").isEqualTo("a\n/tmp\n");
    assertThat(result.code()).as("exit code").isEqualTo(7);
  }

  @Test
  void tarUnpacksWhatKubectlCpSendsAndPacksItBackTheWayGnuTarNamesIt() throws Exception {
    byte[] content = new byte[70_000];
    new Random(7).nextBytes(content);
    byte[] upload = tar("dest.bin", content);

    ProcessHarness.Result unpack = ProcessHarness.run(container, List.of("tar", "-xmf", "-", "-C", "/tmp"), upload, false);
    assertThat(unpack.code()).as("extract exit code (stderr: %s)", unpack.stderr()).isZero();
    assertThat(container.fileSystem().read("/tmp/dest.bin")).as("extracted file").hasValue(content);

    ProcessHarness.Result pack = ProcessHarness.run(container, "tar", "cf", "-", "/tmp/dest.bin");
    assertThat(pack.stderr()).as("GNU tar's notice").isEqualTo("tar: Removing leading `/' from member names\n");
    assertThat(pack.code()).as("create exit code").isZero();
    assertThat(pack.stdoutBytes().length % 10240).as("padded to a full record like GNU tar").isZero();
    try (TarArchiveInputStream archive = new TarArchiveInputStream(new ByteArrayInputStream(pack.stdoutBytes()))) {
      TarArchiveEntry entry = archive.getNextEntry();
      assertThat(entry.getName()).as("member name is the path without its leading slash").isEqualTo("tmp/dest.bin");
      assertThat(archive.readAllBytes()).as("member content").isEqualTo(content);
      assertThat(archive.getNextEntry()).as("one member").isNull();
    }
  }

  @Test
  void tarRefusesAMissingDirectoryOrPath() throws Exception {
    ProcessHarness.Result badDirectory = ProcessHarness.run(container, List.of("tar", "-xmf", "-", "-C", "/nope"),
        tar("x", new byte[1]), false);
    assertThat(badDirectory.code()).as("missing -C directory").isEqualTo(2);

    ProcessHarness.Result badPath = ProcessHarness.run(container, "tar", "cf", "-", "/nope");
    assertThat(badPath.stderr()).as("message").contains("tar: /nope: Cannot stat: No such file or directory");
    assertThat(badPath.code()).as("missing path").isEqualTo(2);
  }

  @Test
  void tailFromAnOffsetStreamsTheRest() throws Exception {
    ProcessHarness.Result result = ProcessHarness.run(container, "sh", "-c", "echo abcdef | tail -c+3");
    assertThat(result.stdout()).as("from the third byte").isEqualTo("cdef\n");
  }

  @Test
  void catWritesOnlyWhileTheReaderKeepsUp() throws Exception {
    byte[] content = new byte[200_000];
    new Random(3).nextBytes(content);
    container.fileSystem().write("/tmp/slow.bin", content);
    try (ProcessHarness harness = new ProcessHarness()) {
      harness.setWritable(false);
      harness.start(container, List.of("cat", "/tmp/slow.bin"), false);
      assertThat(harness.stdoutSoFar()).as("nothing written while the reader is behind").isEmpty();
      assertThat(harness.exited()).as("still running").isFalse();

      harness.setWritable(true);
      ProcessHarness.Result result = harness.await();
      assertThat(result.stdoutBytes()).as("all of it once the reader catches up").isEqualTo(content);
    }
  }

  @Test
  void ctrlCOnATerminalAbandonsTheCommandAndTheShellCarriesOn() throws Exception {
    try (ProcessHarness harness = new ProcessHarness()) {
      harness.start(container, List.of("sh"), true);
      harness.send("sleep 30\r");
      harness.send("\u0003");
      harness.send("exit\r");
      ProcessHarness.Result result = harness.await();
      assertThat(result.stdout()).as("terminal output").isEqualTo("/ # sleep 30\r\n^C\r\n/ # exit\r\n");
      assertThat(result.code()).as("exit takes the interrupted command's status").isEqualTo(130);
    }
  }

  @Test
  void ctrlDAtAnEmptyPromptEndsTheShell() throws Exception {
    try (ProcessHarness harness = new ProcessHarness()) {
      harness.start(container, List.of("sh"), true);
      harness.send("\u0004");
      ProcessHarness.Result result = harness.await();
      assertThat(result.stdout()).as("terminal output").isEqualTo("/ # exit\r\n");
      assertThat(result.code()).as("exit code").isZero();
    }
  }

  @Test
  void ctrlDEndsTheInputOfTheCommandOnlyAndTypedAheadLinesWait() throws Exception {
    try (ProcessHarness harness = new ProcessHarness()) {
      harness.start(container, List.of("sh"), true);
      harness.send("cat\rabc\r\u0004echo after\r");
      harness.send("exit 3\r");
      ProcessHarness.Result result = harness.await();
      assertThat(result.stdout()).as("terminal output")
          .isEqualTo("/ # cat\r\nabc\r\nabc\r\n/ # echo after\r\nafter\r\n/ # exit 3\r\n");
      assertThat(result.code()).as("exit code").isEqualTo(3);
    }
  }

  private static byte[] tar(String name, byte[] content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(content.length);
      out.putArchiveEntry(entry);
      out.write(content);
      out.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}
