package dev.kgate.cli.login;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The on-disk token cache, {@code ~/.kube/cache/kgate/} by default: one file per gateway, issuer
 * and client id, named by the SHA-256 of them, readable by its owner only (file 0600, directory 0700:
 * it holds refresh tokens). kubectl runs the exec plugin once per invocation, so ten parallel
 * {@code kubectl} calls are ten processes racing for one login; {@link #lock()} serialises them on
 * a lock file so the first refreshes or logs in and the others then find its fresh token.
 */
final class TokenCache {

  static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  /**
   * A file lock belongs to the whole JVM: a second thread asking for it gets an
   * OverlappingFileLockException, not a wait. Threads of one JVM (the tests, a long-lived caller)
   * therefore queue on this lock first; it is keyed by the lock file, so it holds no tokens.
   */
  private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Path file;
  private final Path lockFile;

  /** The entry of a login made without a gateway ({@code --issuer} only). */
  TokenCache(Path directory, String issuer, String clientId) {
    this(directory, key(Objects.requireNonNull(issuer, "issuer"), Objects.requireNonNull(clientId, "clientId")));
  }

  /** The entry of a login for one gateway: two gateways trusting one IdP keep separate logins. */
  TokenCache(Path directory, String gateway, String issuer, String clientId) {
    this(directory, key(new StringBuilder(Objects.requireNonNull(gateway, "gateway")).append('\n')
        .append(Objects.requireNonNull(issuer, "issuer")).toString(), Objects.requireNonNull(clientId, "clientId")));
  }

  private TokenCache(Path directory, String key) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    // StringBuilder, not +: the exec plugin's cached path avoids invokedynamic (see CredentialMain).
    this.file = this.directory.resolve(new StringBuilder(key).append(".json").toString());
    this.lockFile = this.directory.resolve(new StringBuilder(key).append(".lock").toString());
  }

  /** {@code $HOME/.kube/cache/kgate}, {@code $HOME} falling back to {@code user.home}. */
  static Path defaultDirectory() {
    String home = System.getenv("HOME");
    if (home == null || home.isEmpty()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".kube", "cache", "kgate");
  }

  static String key(String issuer, String clientId) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(new StringBuilder(issuer).append('\n').append(clientId).toString()
          .getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  Path file() {
    return file;
  }

  /** The cached tokens; empty when there are none or the file is unreadable (then a login replaces it). */
  Optional<TokenSet> read() {
    try {
      return Optional.of(TokenSet.fromJson(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Replaces the entry atomically: a reader never sees half a file. */
  void write(TokenSet tokens) {
    try {
      ensureDirectory();
      Path temp = Files.createTempFile(directory, ".tokens", ".tmp", fileMode());
      try {
        Files.writeString(temp, tokens.toJson(), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the token cache " + file, e);
    }
  }

  /** Removes the entry; true when there was one. */
  boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the token cache " + file, e);
    }
  }

  /** Blocks until this process holds the entry's lock, for everything between reading and writing it. */
  Lock lock() {
    ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, f -> new ReentrantLock());
    inProcess.lock();
    try {
      ensureDirectory();
      FileChannel channel = openLockFile();
      try {
        return new Lock(inProcess, channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      inProcess.unlock();
      throw new UncheckedIOException("cannot lock the token cache " + lockFile, e);
    } catch (RuntimeException e) {
      inProcess.unlock();
      throw e;
    }
  }

  private FileChannel openLockFile() throws IOException {
    try {
      return FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileMode());
    } catch (FileAlreadyExistsException e) {
      return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }
  }

  private void ensureDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      try {
        Files.createDirectories(directory, posix() ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)} : new FileAttribute<?>[0]);
      } catch (FileAlreadyExistsException e) {
        // another process made it first
      }
    }
    // createDirectories honours the umask, and an existing directory may be wider than it should be.
    if (posix() && !Files.getPosixFilePermissions(directory).equals(DIRECTORY_MODE)) {
      Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
    }
  }

  private FileAttribute<?>[] fileMode() {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
  }

  private boolean posix() {
    return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The held lock; closing it releases the file lock and then the in-process one. */
  static final class Lock implements AutoCloseable {
    private final ReentrantLock inProcess;
    private final FileChannel channel;
    private final FileLock fileLock;

    private Lock(ReentrantLock inProcess, FileChannel channel, FileLock fileLock) {
      this.inProcess = inProcess;
      this.channel = channel;
      this.fileLock = fileLock;
    }

    @Override
    public void close() {
      try {
        fileLock.release();
        channel.close();
      } catch (IOException e) {
        // closing the channel releases the lock anyway; nothing a caller could do
      } finally {
        inProcess.unlock();
      }
    }
  }
}
