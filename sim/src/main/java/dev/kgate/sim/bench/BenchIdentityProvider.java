package dev.kgate.sim.bench;

import dev.kgate.sim.idp.SimIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A throwaway OIDC issuer for load tests ({@code bench/load/compare-with-nginx.sh}): writes its
 * issuer URL, CA and one long-lived token into a directory, then serves discovery and keys until
 * killed, so the gateway under load verifies a real signed token.
 */
public final class BenchIdentityProvider {

  private BenchIdentityProvider() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: BenchIdentityProvider DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    SimIdp idp = SimIdp.start();
    Runtime.getRuntime().addShutdownHook(new Thread(idp::close, "bench-idp-stop"));
    idp.writeCaPem(dir.resolve("idp-ca.crt"));
    Files.writeString(dir.resolve("issuer"), idp.issuer().toString());
    String token = idp.mintToken("bench-user", Map.of("email", "bench@example.com", "email_verified", true,
        "groups", List.of("bench")), Duration.ofHours(12));
    // The token file appears last and whole: the script waits for it.
    Path partial = dir.resolve("token.partial");
    Files.writeString(partial, token);
    Files.move(partial, dir.resolve("token"), StandardCopyOption.ATOMIC_MOVE);
    System.out.println("bench IdP ready at " + idp.issuer());
    Thread.currentThread().join();
  }
}
