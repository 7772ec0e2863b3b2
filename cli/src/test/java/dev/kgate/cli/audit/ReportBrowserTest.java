package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.ReportLogFixture.ALICE;
import static dev.kgate.cli.audit.ReportLogFixture.BOB;
import static dev.kgate.cli.audit.ReportLogFixture.CLOCK;
import static dev.kgate.cli.audit.ReportLogFixture.CRAFTED;
import static dev.kgate.cli.audit.ReportLogFixture.CRAFTED_POD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kgate.audit.UserInfo;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reviewer sees it: the page {@code kgate audit report} wrote is opened in headless
 * Chromium (Debian's {@code chromium}), the DOM the browser built from it is checked, and a
 * screenshot is saved as {@value #SCREENSHOT} for a person to look at. Chromium must be on the
 * PATH; {@code .ci/run} installs it. Without it these tests fail, they do not skip.
 */
class ReportBrowserTest {

  /** Relative to the module: surefire runs tests in {@code cli/}. */
  static final String SCREENSHOT = "target/report-screenshots/report.png";
  private static final Path OUTPUT = Path.of(SCREENSHOT).getParent();
  private static final long CHROMIUM_SECONDS = 120;

  @TempDir static Path dir;
  @TempDir static Path browserHome;

  private static Path page;
  private static ReportDom dom;

  @BeforeAll
  static void writeTheReportAndOpenItInChromium() throws Exception {
    ReportLogFixture.write(dir);
    Files.createDirectories(OUTPUT);
    page = OUTPUT.resolve("report.html").toAbsolutePath();
    AuditRun run = AuditRun.of(CLOCK, "report", "--dir", dir.toString(), "--since", "7d", "--out", page.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    String dump = chromium("dump", "--dump-dom", page.toUri().toString());
    Files.writeString(OUTPUT.resolve("report-dom.html"), dump);
    dom = new ReportDom(dump);
  }

  @Test
  void theSummaryShowsTheWeeksFiguresAndOneRowPerUser() {
    ReportDom summary = dom.section("summary");

    assertThat(summary.byId("period")).isEqualTo("2025-03-03 12:00:00 to now");
    assertThat(List.of(summary.byId("users"), summary.byId("requests"), summary.byId("denials"),
        summary.byId("sessions"), summary.byId("secret-reads"), summary.byId("new-clusters")))
        .containsExactly("4", "11", "4", "2", "2", "5");
    assertThat(summary.rows("users")).containsExactly(
        List.of(ALICE, "5", "1", "1", "1", "1"),
        List.of(BOB, "4", "2", "1", "1", "2"),
        List.of(CRAFTED, "1", "0", "0", "0", "1"),
        List.of(UserInfo.ANONYMOUS, "1", "1", "0", "0", "1"));
    assertThat(summary.svgTexts("bar-value")).as("the requests-per-user chart, biggest first")
        .containsExactly("5", "4", "1", "1");
  }

  @Test
  void theCraftedUsernameIsShownAsTextAndNothingOfItRan() {
    assertThat(dom.html()).as("the browser built no element from the logged values, and no script set an attribute")
        .doesNotContainPattern("(?i)<(script|img)[\\s>/]")
        .doesNotContainPattern("<[^>]*data-pwned")
        .contains("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;");
    assertThat(dom.first("title")).startsWith("kgate audit report");
    assertThat(dom.section("user-3").first("h2")).isEqualTo(CRAFTED);
    assertThat(dom.section("user-3").rows("first-access")).extracting(row -> row.get(2))
        .containsExactly("get pods/" + CRAFTED_POD);
  }

  @Test
  void aliceHasRequestsPerClusterAndVerbAsAChartAndATable() {
    ReportDom alice = dom.section("user-1");

    assertThat(alice.first("h2")).isEqualTo(ALICE);
    assertThat(alice.header("requests")).containsExactly("Cluster", "get", "list", "create", "delete", "Total");
    assertThat(alice.rows("requests")).containsExactly(
        List.of("prod-eu", "1", "1", "1", "1", "4"),
        List.of("staging", "1", "0", "0", "0", "1"));
    assertThat(alice.svgTexts("bar-label")).containsExactly("prod-eu", "staging");
    assertThat(alice.svgTexts("bar-value")).containsExactly("4", "1");
    assertThat(alice.svgTexts("legend-label")).containsExactly("get", "list", "create", "delete");
  }

  @Test
  void aliceHasHerDenialHerExecSessionHerNewClusterAndHerSecretRead() {
    ReportDom alice = dom.section("user-1");

    assertThat(alice.rows("denials")).containsExactly(List.of("2025-03-05 10:10:00", "prod-eu", "delete",
        "deployments/payments", "payments", "denied", "no rule allows delete deployments on prod-eu"));
    assertThat(alice.rows("sessions")).containsExactly(List.of("2025-03-05 10:00:00", "2025-03-05 10:12:30",
        "12m 30s", "prod-eu", "payments/pay-0", "exec", "sh -c cat /etc/passwd (container app)", "101"));
    assertThat(alice.rows("first-access")).containsExactly(
        List.of("prod-eu", "2025-03-01 09:00:00", "get pods/web-1", "allowed", "before this period"),
        List.of("staging", "2025-03-05 09:03:00", "get pods/api-0", "allowed", "new in this period"));
    assertThat(alice.rows("secret-reads")).containsExactly(
        List.of("2025-03-05 09:02:00", "prod-eu", "get", "payments/db-password", "allowed"));
  }

  @Test
  void bobsOpenPortForwardAndTheAnonymousListOfSecretsAreThere() {
    assertThat(dom.section("user-2").rows("sessions")).containsExactly(List.of("2025-03-05 12:00:00",
        "no end recorded", "unknown", "staging", "data/db-0", "portforward", "ports 5432", "-"));
    assertThat(dom.section("user-2").rows("secret-reads")).extracting(row -> row.get(3), row -> row.get(4))
        .containsExactly(
            tuple("all in default", "allowed"), tuple("default/tls-cert", "denied"));
    assertThat(dom.section("user-4").rows("secret-reads")).containsExactly(
        List.of("2025-03-05 14:00:00", "prod-eu", "list", "all, in every namespace", "no valid token"));
  }

  @Test
  void theScreenshotShowsThePageWithItsCharts() throws Exception {
    Path screenshot = Path.of(SCREENSHOT).toAbsolutePath();
    Files.deleteIfExists(screenshot);

    chromium("screenshot", "--screenshot=" + screenshot, "--window-size=1280,2000", "--hide-scrollbars",
        "--force-device-scale-factor=1", page.toUri().toString());

    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertThat(image).as("a PNG at " + screenshot).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(2000);
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colors.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    assertThat(colors.size()).as("text and charts, not a blank page").isGreaterThan(50);
    // Alice's 4 allowed of 5 requests: 4/5 of the 486 px the summary chart gives its longest bar.
    assertThat(longestRun(image, 0x4e79a7)).as("a bar in the allowed/get blue, not only a legend square")
        .isBetween(380, 400);
    assertThat(longestRun(image, 0xe15759)).as("a bar in the refused/delete red").isGreaterThan(90);
  }

  /** The most pixels of exactly this colour side by side in one row. */
  private static int longestRun(BufferedImage image, int rgb) {
    int longest = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      int run = 0;
      for (int x = 0; x < image.getWidth(); x++) {
        run = (image.getRGB(x, y) & 0xffffff) == rgb ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
    }
    return longest;
  }

  /**
   * Runs headless Chromium with a fresh profile and returns what it printed on stdout; fails when
   * Chromium is not on the PATH, exits with an error or takes more than {@value #CHROMIUM_SECONDS} s.
   */
  private static String chromium(String name, String... args) throws IOException, InterruptedException {
    Path executable = onPath("chromium");
    Path profile = Files.createTempDirectory(browserHome, name + "-profile");
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    command.addAll(Arrays.asList(args));
    Path stdout = browserHome.resolve(name + ".out");
    Path stderr = browserHome.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().put("HOME", browserHome.toString());
    Process chromium = builder.start();
    if (!chromium.waitFor(CHROMIUM_SECONDS, TimeUnit.SECONDS)) {
      chromium.descendants().forEach(ProcessHandle::destroyForcibly);
      chromium.destroyForcibly();
      throw new AssertionError("chromium did not finish in " + CHROMIUM_SECONDS + " s: " + command
          + "\n" + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    if (chromium.exitValue() != 0) {
      throw new AssertionError("chromium exited with " + chromium.exitValue() + ": " + command
          + "\n" + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private static Path onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(program + " is not on the PATH (" + path + "): this test opens the audit report in"
        + " headless Chromium. Install Debian's chromium (apt-get install -y chromium); .ci/run does so.");
  }
}
