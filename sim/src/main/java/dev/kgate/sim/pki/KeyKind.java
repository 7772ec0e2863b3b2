package dev.kgate.sim.pki;

/** The key algorithm of an issued certificate: EC P-256 (the default) or RSA 2048. */
public enum KeyKind {
  EC_P256,
  RSA_2048
}
