package dev.kgate.audit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static final long MAX = 1000;
  private static final long HEADROOM = 100;

  @TempDir
  Path dir;

  private static byte[] body(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void batchesComeBackOldestFirstAfterARestartAndNewOnesFollowThem() throws Exception {
    Spool first = Spool.open(dir, MAX, HEADROOM);
    for (String text : new String[] {"a", "b", "c"}) {
      assertThat(first.write(body(text))).isTrue();
    }
    first.delivered(first.awaitOldest(0));

    Spool second = Spool.open(dir, MAX, HEADROOM);
    assertThat(second.pendingBatches()).isEqualTo(2);
    second.write(body("d"));
    StringBuilder order = new StringBuilder();
    for (Spool.Batch batch = second.awaitOldest(0); batch != null; batch = second.awaitOldest(0)) {
      order.append(new String(second.read(batch), StandardCharsets.UTF_8));
      second.delivered(batch);
    }

    assertThat(order).hasToString("bcd");
    assertThat(second.bytes()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly(Spool.REJECTED);
    }
  }

  @Test
  void aHalfWrittenBatchLeftByACrashIsRemovedAtOpen() throws Exception {
    Files.writeString(dir.resolve("batch-0000000000000000007.json.tmp"), "{\"kind\":\"EventList\",\"ite");

    Spool spool = Spool.open(dir, MAX, HEADROOM);

    assertThat(spool.pendingBatches()).isZero();
    assertThat(dir.resolve("batch-0000000000000000007.json.tmp")).doesNotExist();
  }

  @Test
  void aBatchThatDoesNotFitIsRefusedWhileAnEmptySpoolTakesEvenAnOversizedOne() throws Exception {
    Spool spool = Spool.open(dir, MAX, HEADROOM);

    assertThat(spool.write(new byte[(int) MAX + 1])).as("alone, it may exceed the bound").isTrue();
    assertThat(spool.write(new byte[1])).as("nothing fits beside it").isFalse();
    assertThat(spool.pendingBatches()).isEqualTo(1);
  }

  @Test
  void headroomIsLostWhenLessThanOneWholeBatchFits() throws Exception {
    Spool spool = Spool.open(dir, MAX, HEADROOM);
    spool.write(new byte[(int) (MAX - HEADROOM)]);
    assertThat(spool.hasHeadroom()).isTrue();

    spool.write(new byte[1]);

    assertThat(spool.hasHeadroom()).isFalse();
  }

  @Test
  void rejectedBatchesKeepCountingAndNumbersAreNotReusedAfterARestart() throws Exception {
    Spool spool = Spool.open(dir, MAX, HEADROOM);
    spool.write(new byte[600]);
    Path kept = spool.reject(spool.awaitOldest(0));
    assertThat(kept.getParent().getFileName()).hasToString(Spool.REJECTED);
    assertThat(spool.bytes()).isEqualTo(600);
    assertThat(spool.write(new byte[500])).as("rejected bytes count toward the bound").isFalse();

    Spool reopened = Spool.open(dir, MAX, HEADROOM);
    assertThat(reopened.bytes()).isEqualTo(600);
    Files.delete(kept);
    reopened.recountRejected();
    assertThat(reopened.bytes()).isZero();
    reopened.write(body("next"));
    assertThat(reopened.awaitOldest(0).file().getFileName().toString())
        .as("a new batch never takes a rejected batch's name")
        .isGreaterThan(kept.getFileName().toString());
  }
}
