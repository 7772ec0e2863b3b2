package dev.kgate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

  @ParameterizedTest
  @ValueSource(strings = {"/home/alice/.kgate-demo/kubeconfig", "payments/ledger-0:/tmp/hello.txt"})
  void plainPathsArePrintedAsTheyAre(String word) {
    assertThat(ShellWords.quote(word)).isEqualTo(word);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/home/my projects/demo", "it's here", "$HOME/x", "a;rm -rf b", "tab\there"})
  void quotedWordsReachTheCommandUnchangedThroughBash(String word) throws IOException, InterruptedException {
    Process bash = new ProcessBuilder("bash", "-c", "printf %s " + ShellWords.quote(word)).start();
    assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(word);
  }
}
