package dev.kgate.sim.kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * Writes minimal kubeconfig files for tests: one cluster trusted through
 * {@code certificate-authority-data} (never {@code insecure-skip-tls-verify}), one user, one
 * context that is current. The file is created owner-readable only, like kubectl's own.
 */
public final class Kubeconfig {

  private Kubeconfig() {}

  /** A kubeconfig whose user authenticates with a static bearer token. */
  public static String withToken(String name, String server, String caPem, String token) {
    Objects.requireNonNull(token, "token");
    return document(name, server, caPem, "    token: " + token + "\n");
  }

  /** A kubeconfig whose user presents a client certificate (PEM strings, embedded as data). */
  public static String withClientCertificate(String name, String server, String caPem, String certPem, String keyPem) {
    return document(name, server, caPem,
        "    client-certificate-data: " + base64(certPem) + "\n"
            + "    client-key-data: " + base64(keyPem) + "\n");
  }

  /** Writes {@code content} to {@code file} with permissions {@code rw-------} where supported. */
  public static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; kubectl only warns about permissions there.
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String document(String name, String server, String caPem, String userFields) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(caPem, "caPem");
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + name + "\n"
        + "  cluster:\n"
        + "    server: " + server + "\n"
        + "    certificate-authority-data: " + base64(caPem) + "\n"
        + "users:\n"
        + "- name: " + name + "-user\n"
        + "  user:\n"
        + userFields
        + "contexts:\n"
        + "- name: " + name + "\n"
        + "  context:\n"
        + "    cluster: " + name + "\n"
        + "    user: " + name + "-user\n"
        + "    namespace: default\n"
        + "current-context: " + name + "\n";
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
