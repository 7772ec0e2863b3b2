package dev.kgate.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainKeyTest {

  private static final List<String> CRAFTED = List.of("../../etc", "a/b", "..", ".", "/", "\\..\\x",
      "alice", "ALICE", "Alice", "alice ", "älice", "用户", "👩‍💻", "a\u0000b", "a\nb",
      "x".repeat(100_000), "system:serviceaccount:kube-system:default", "-", "--x--", "");

  @Test
  void craftedUsernamesGiveSafeDirectoryNames() {
    Path users = Path.of("/audit/users");
    for (String name : CRAFTED) {
      String key = ChainKey.dirName(name);
      assertThat(ChainKey.isSafeDirName(key)).as("safe: %s", key).isTrue();
      assertThat(key).matches("[a-z0-9][a-z0-9-]*").hasSizeLessThanOrEqualTo(61);
      assertThat(users.resolve(key).normalize().getParent()).as("inside users/: %s", name).isEqualTo(users);
    }
  }

  @Test
  void namesThatLookAlikeStillGetDifferentDirectories() {
    Set<String> keys = new HashSet<>();
    for (String name : CRAFTED) {
      keys.add(ChainKey.dirName(name));
    }
    assertThat(keys).hasSize(CRAFTED.size());
    assertThat(ChainKey.dirName("alice")).startsWith("alice-");
    assertThat(ChainKey.dirName("ALICE")).startsWith("alice-").isNotEqualTo(ChainKey.dirName("alice"));
  }

  @Test
  void theLongNameUsedOnAPrefixClashIsAlsoSafeAndDistinct() {
    assertThat(ChainKey.longDirName("alice")).startsWith(ChainKey.dirName("alice"))
        .isNotEqualTo(ChainKey.dirName("alice"));
    assertThat(ChainKey.isSafeDirName(ChainKey.longDirName("../../etc"))).isTrue();
  }

  @Test
  void unauthenticatedRequestsShareAChainPerSourceNetwork() {
    assertThat(ChainKey.chainOf("system:anonymous", List.of("1.2.3.4", "10.1.2.3")))
        .as("the peer address, listed last, counts; a forged X-Forwarded-For does not")
        .isEqualTo("system:anonymous@10.1.2.0/24");
    assertThat(ChainKey.chainOf("system:anonymous", List.of("10.1.2.200")))
        .isEqualTo(ChainKey.chainOf("system:anonymous", List.of("10.1.2.3")));
    assertThat(ChainKey.chainOf("system:anonymous", List.of("2001:db8:1:2:3:4:5:6")))
        .isEqualTo("system:anonymous@2001:db8:1:2:0:0:0:0/64");
    assertThat(ChainKey.chainOf("", List.of("[::ffff:10.9.8.7]"))).isEqualTo("system:anonymous@10.9.8.0/24");
  }

  @Test
  void anAddressThatIsNotALiteralIsNeverResolved() {
    assertThat(ChainKey.chainOf("system:anonymous", List.of("evil.example.com"))).isEqualTo("system:anonymous@unknown");
    assertThat(ChainKey.chainOf("system:anonymous", List.of("999.1.1.1"))).isEqualTo("system:anonymous@unknown");
    assertThat(ChainKey.chainOf("system:anonymous", List.of())).isEqualTo("system:anonymous@unknown");
  }

  @Test
  void anAuthenticatedUserHasAChainOfTheirOwnWhateverTheAddress() {
    assertThat(ChainKey.chainOf("alice", List.of("10.0.0.1"))).isEqualTo("alice");
  }
}
