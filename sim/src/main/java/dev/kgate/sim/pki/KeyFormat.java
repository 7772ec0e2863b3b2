package dev.kgate.sim.pki;

/**
 * How a private key is written as PEM. Tools disagree on what they accept, so tests exercise all
 * three: {@code PKCS8} ("BEGIN PRIVATE KEY", any algorithm), {@code PKCS1_RSA} ("BEGIN RSA PRIVATE
 * KEY", RSA keys only) and {@code SEC1_EC} ("BEGIN EC PRIVATE KEY", EC keys only).
 */
public enum KeyFormat {
  PKCS8,
  PKCS1_RSA,
  SEC1_EC
}
