package dev.kgate.sim.junit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every test
 * class through JUnit's extension auto-detection (see the module's
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}).
 *
 * <p>Leaks are only noticed when a leaked buffer has been garbage-collected and the detector is
 * next consulted, so after the class we collect garbage and allocate a few tracked buffers to make
 * the detector drain its reference queue.
 */
public final class LeakDetectionExtension implements AfterAllCallback {

  private static final int GC_ROUNDS = 3;

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int i = 0; i < GC_ROUNDS; i++) {
      System.gc();
      Thread.sleep(50);
      pokeDetector();
    }
    List<String> leaks = RecordingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size() + " Netty buffer leak(s) reported during " + context.getDisplayName() + ":\n"
              + String.join("\n\n", leaks));
    }
  }

  private static void pokeDetector() {
    for (int i = 0; i < 8; i++) {
      ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      pooled.release();
      ByteBuf heap = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
      heap.release();
    }
  }
}
