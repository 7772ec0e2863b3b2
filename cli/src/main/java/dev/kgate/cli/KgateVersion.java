package dev.kgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version of this kgate build, from a properties file Maven filters at build time (so it is
 * right both in the packaged jar and when running from {@code target/classes} in tests).
 */
final class KgateVersion {

  private static final String RESOURCE = "version.properties";

  private KgateVersion() {}

  static String current() {
    try (InputStream in = KgateVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** One line: product, version and the Java runtime it runs on. */
  static String describe() {
    return "kgate " + current() + " (Java " + Runtime.version() + ", " + System.getProperty("java.vendor") + ")";
  }

  /** Lets {@code kgate --version} print the same line as {@code kgate version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {describe()};
    }
  }
}
