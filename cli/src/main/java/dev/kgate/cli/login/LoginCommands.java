package dev.kgate.cli.login;

import picocli.CommandLine;

/** Adds {@code login}, {@code credential}, {@code logout}, {@code whoami} and {@code kubeconfig} to the {@code kgate} command. */
public final class LoginCommands {

  private LoginCommands() {}

  public static void addTo(CommandLine kgate) {
    kgate.addSubcommand(new LoginCommand());
    kgate.addSubcommand(new CredentialCommand());
    kgate.addSubcommand(new LogoutCommand());
    kgate.addSubcommand(new WhoamiCommand());
    kgate.addSubcommand(new KubeconfigCommand());
  }
}
