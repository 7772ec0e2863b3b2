package dev.kgate.gateway.config;

import io.netty.util.NetUtil;
import java.util.regex.Pattern;

/** Syntax checks for host names and IP literals in the configuration. */
final class HostNames {

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?"
              + "(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*");

  private HostNames() {}

  /** A DNS name (letters, digits, '-', dots) or an IPv4/IPv6 literal without brackets. */
  static boolean isHostOrAddress(String text) {
    return isIpLiteral(text) || HOST_NAME.matcher(text).matches();
  }

  static boolean isIpLiteral(String text) {
    return NetUtil.isValidIpV4Address(text) || NetUtil.isValidIpV6Address(text);
  }
}
