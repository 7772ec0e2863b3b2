package dev.kgate.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketChannelTapTest {

  private final List<String> seen = new ArrayList<>();
  private final WebSocketChannelTap tap = new WebSocketChannelTap(
      (stream, data, offset, length) -> seen.add(stream + ":" + new String(data, offset, length, StandardCharsets.UTF_8)));

  /** One RFC 6455 frame; masked with a fixed key when {@code mask}. */
  static byte[] frame(boolean fin, int opcode, byte[] payload, boolean mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    int maskBit = mask ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      out.write(maskBit | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >> shift) & 0xff);
      }
    }
    byte[] key = {0x37, (byte) 0xfa, 0x21, 0x3d};
    if (mask) {
      out.writeBytes(key);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(mask ? payload[i] ^ key[i & 3] : payload[i]);
    }
    return out.toByteArray();
  }

  static byte[] message(int channel, String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[data.length + 1];
    payload[0] = (byte) channel;
    System.arraycopy(data, 0, payload, 1, data.length);
    return payload;
  }

  private void feedByteByByte(byte[] bytes) {
    for (byte b : bytes) {
      ByteBuf one = Unpooled.wrappedBuffer(new byte[] {b});
      tap.feed(one);
      assertThat(one.readerIndex()).as("the relayed buffer is not consumed").isZero();
    }
  }

  private String joined() {
    StringBuilder text = new StringBuilder();
    String current = null;
    for (String part : seen) {
      String stream = part.substring(0, part.indexOf(':'));
      if (!stream.equals(current)) {
        text.append(text.length() == 0 ? "" : "|").append(stream).append(':');
        current = stream;
      }
      text.append(part.substring(part.indexOf(':') + 1));
    }
    return text.toString();
  }

  @Test
  void maskedClientMessagesSplitIntoSingleBytesAreUnmaskedPerChannel() {
    feedByteByByte(frame(true, 2, message(0, "echo hi\n"), true));
    feedByteByByte(frame(true, 2, message(4, "{\"Width\":100,\"Height\":30}"), true));

    assertThat(joined()).isEqualTo("STDIN:echo hi\n|RESIZE:{\"Width\":100,\"Height\":30}");
  }

  @Test
  void aMessageFragmentedAcrossContinuationFramesStaysOnItsChannelAndPingsBetweenAreSkipped() {
    byte[] first = frame(false, 2, message(2, "err "), false);
    byte[] ping = frame(true, 9, "ping!".getBytes(StandardCharsets.UTF_8), false);
    byte[] rest = frame(true, 0, "continued".getBytes(StandardCharsets.UTF_8), false);
    ByteBuf all = Unpooled.wrappedBuffer(first, ping, rest);

    tap.feed(all);

    assertThat(joined()).isEqualTo("STDERR:err continued");
    assertThat(all.readableBytes()).as("untouched").isEqualTo(first.length + ping.length + rest.length);
  }

  @Test
  void largeFramesWithSixteenAndSixtyFourBitLengthsArriveWhole() {
    String medium = "m".repeat(70_000 - 1);
    String big = "b".repeat(200);
    tap.feed(Unpooled.wrappedBuffer(frame(true, 2, message(1, medium), false)));
    tap.feed(Unpooled.wrappedBuffer(frame(true, 2, message(1, big), true)));

    assertThat(joined()).isEqualTo("STDOUT:" + medium + big);
  }

  @Test
  void theReadySignalAndTheV5CloseSignalCarryNoStreamData() {
    tap.feed(Unpooled.wrappedBuffer(frame(true, 2, new byte[] {1}, false)));
    tap.feed(Unpooled.wrappedBuffer(frame(true, 2, new byte[] {(byte) 0xff, 0}, true)));
    tap.feed(Unpooled.wrappedBuffer(frame(true, 2, message(3, "{\"status\":\"Success\"}"), false)));

    assertThat(joined()).isEqualTo("ERROR:{\"status\":\"Success\"}");
  }

  @Test
  void aCompressedFrameCannotBeFollowed() {
    byte[] compressed = frame(true, 2, message(1, "x"), false);
    compressed[0] |= 0x40;

    assertThatThrownBy(() -> tap.feed(Unpooled.wrappedBuffer(compressed)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("extension");
  }

  @Test
  void aContinuationWithoutAMessageCannotBeFollowed() {
    assertThatThrownBy(() -> tap.feed(Unpooled.wrappedBuffer(frame(true, 0, new byte[] {1, 2}, false))))
        .isInstanceOf(IllegalStateException.class);
  }
}
