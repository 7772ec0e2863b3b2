package dev.kgate.sim.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The test JVM really runs Netty's leak detector at paranoid and a leak really fails the class. */
class LeakDetectionExtensionTest {

  private static ExtensionContext context() {
    return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, method, args) ->
            method.getName().equals("getDisplayName") ? "LeakingTestClass" : null);
  }

  @Test
  void theDetectorRunsAtParanoidAndIsOurs() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    assertThat(System.getProperty("io.netty.customResourceLeakDetector")).isEqualTo(RecordingLeakDetector.class.getName());
  }

  @Test
  void aLeakedBufferFailsTheTestClassAndACleanRunPasses() throws Exception {
    LeakDetectionExtension extension = new LeakDetectionExtension();
    extension.afterAll(context()); // starts clean
    leakSome();
    assertThatThrownBy(() -> extension.afterAll(context()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("leak")
        .hasMessageContaining("LeakingTestClass");
    extension.afterAll(context()); // the leaks were reported once and forgotten
  }

  private static void leakSome() {
    for (int i = 0; i < 16; i++) {
      ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
      leaked.writeLong(i);
    }
  }
}
