package dev.kgate.gateway.upstream;

import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads the cluster and user of one kubeconfig context. The file is parsed with fabric8's
 * kubeconfig model ({@link KubeConfigUtils#parseConfigFromString}), but not turned into a client
 * {@code Config} with {@code Config.fromKubeconfig}: that would run {@code exec} plugins during
 * startup and let {@code KUBERNETES_*}/{@code kubernetes.*} environment variables and system
 * properties silently replace the server, CA or token. Anything the gateway cannot honour safely
 * (exec and auth-provider plugins, basic auth, impersonation, proxies) is a {@link ConfigError}
 * saying why.
 */
final class KubeconfigReader {

  private KubeconfigReader() {}

  /**
   * @param file        the kubeconfig
   * @param contextName the context to use, or null for {@code current-context}
   * @param keyPath     key path of the credentials mapping, e.g. {@code clusters[2].credentials}
   */
  static KubeconfigEntry read(Path file, String contextName, String keyPath)
      throws ConfigException {
    String fileKey = keyPath + ".kubeconfig";
    Config kubeconfig = parse(file, fileKey);
    String name = contextName != null ? contextName : kubeconfig.getCurrentContext();
    if (name == null || name.isBlank()) {
      throw new ConfigException(
          keyPath + ".context", "required: the kubeconfig " + file + " has no current-context");
    }
    Context context = findContext(kubeconfig, name, contextName != null ? keyPath + ".context" : fileKey);
    Cluster cluster = findCluster(kubeconfig, context.getCluster(), name, fileKey);
    AuthInfo user = findUser(kubeconfig, context.getUser(), name, fileKey);

    List<ConfigError> errors = new ArrayList<>();
    String where = "context '" + name + "': ";
    checkSupported(cluster, user, where, fileKey, errors);
    Path dir = file.toAbsolutePath().getParent();
    String caPem =
        pem(cluster.getCertificateAuthorityData(), cluster.getCertificateAuthority(), dir,
            where + "certificate-authority", fileKey, errors);
    String certPem =
        pem(user.getClientCertificateData(), user.getClientCertificate(), dir,
            where + "client-certificate", fileKey, errors);
    String keyPem =
        pem(user.getClientKeyData(), user.getClientKey(), dir, where + "client-key", fileKey, errors);
    if ((certPem == null) != (keyPem == null) && errors.isEmpty()) {
      errors.add(new ConfigError(fileKey, where + "client-certificate and client-key go together"));
    }
    String token = blankToNull(user.getToken());
    Path tokenFile = user.getTokenFile() == null ? null : dir.resolve(user.getTokenFile()).normalize();
    if (token == null && tokenFile == null && certPem == null && errors.isEmpty()) {
      errors.add(
          new ConfigError(
              fileKey, where + "the user has no token, tokenFile or client certificate"));
    }
    if (cluster.getServer() == null || cluster.getServer().isBlank()) {
      errors.add(new ConfigError(fileKey, where + "the cluster has no server URL"));
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new KubeconfigEntry(
        cluster.getServer(),
        blankToNull(cluster.getTlsServerName()),
        caPem,
        Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify()),
        token,
        tokenFile,
        certPem,
        keyPem);
  }

  private static Config parse(Path file, String fileKey) throws ConfigException {
    String contents;
    try {
      contents = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(fileKey, "cannot read " + file + ": " + e.getMessage());
    }
    try {
      Config config = KubeConfigUtils.parseConfigFromString(contents);
      if (config == null) {
        throw new ConfigException(fileKey, "the kubeconfig " + file + " is empty");
      }
      return config;
    } catch (RuntimeException e) {
      throw new ConfigException(fileKey, "not a valid kubeconfig: " + firstLine(e.getMessage()));
    }
  }

  private static void checkSupported(
      Cluster cluster, AuthInfo user, String where, String fileKey, List<ConfigError> errors) {
    if (user.getExec() != null) {
      errors.add(
          new ConfigError(
              fileKey,
              where
                  + "exec credential plugins are not supported ('"
                  + user.getExec().getCommand()
                  + "'): the gateway would have to run a command at startup and could not refresh"
                  + " what it returns; give the gateway a token, tokenFile or client certificate"));
    }
    if (user.getAuthProvider() != null) {
      errors.add(
          new ConfigError(
              fileKey,
              where
                  + "auth-provider plugins are not supported ('"
                  + user.getAuthProvider().getName()
                  + "'; kubectl removed them too): use a token, tokenFile or client certificate"));
    }
    if (user.getUsername() != null || user.getPassword() != null) {
      errors.add(
          new ConfigError(
              fileKey,
              where + "basic authentication is not supported (Kubernetes removed it in 1.19)"));
    }
    if (user.getAs() != null
        || (user.getAsGroups() != null && !user.getAsGroups().isEmpty())
        || user.getAsUid() != null
        || (user.getAsUserExtra() != null && !user.getAsUserExtra().isEmpty())) {
      errors.add(
          new ConfigError(
              fileKey,
              where
                  + "impersonation (as, as-groups, as-uid, as-user-extra) is not supported: the"
                  + " gateway sets the impersonated identity itself, per request"));
    }
    if (cluster.getProxyUrl() != null) {
      errors.add(new ConfigError(fileKey, where + "proxy-url is not supported"));
    }
  }

  private static Context findContext(Config kubeconfig, String name, String errorKey)
      throws ConfigException {
    List<NamedContext> contexts = orEmpty(kubeconfig.getContexts());
    for (NamedContext context : contexts) {
      if (name.equals(context.getName()) && context.getContext() != null) {
        return context.getContext();
      }
    }
    throw new ConfigException(
        errorKey,
        "context '" + name + "' not found in the kubeconfig; it has: "
            + names(contexts.stream().map(NamedContext::getName).collect(Collectors.toList())));
  }

  private static Cluster findCluster(Config kubeconfig, String name, String context, String fileKey)
      throws ConfigException {
    for (NamedCluster cluster : orEmpty(kubeconfig.getClusters())) {
      if (Objects.equals(name, cluster.getName()) && cluster.getCluster() != null) {
        return cluster.getCluster();
      }
    }
    throw new ConfigException(
        fileKey, "context '" + context + "': cluster '" + name + "' not found in the kubeconfig");
  }

  private static AuthInfo findUser(Config kubeconfig, String name, String context, String fileKey)
      throws ConfigException {
    for (NamedAuthInfo user : orEmpty(kubeconfig.getUsers())) {
      if (Objects.equals(name, user.getName()) && user.getUser() != null) {
        return user.getUser();
      }
    }
    throw new ConfigException(
        fileKey, "context '" + context + "': user '" + name + "' not found in the kubeconfig");
  }

  /** The PEM text from inline base64 data or from a file relative to the kubeconfig, or null. */
  private static String pem(
      String data, String file, Path dir, String what, String fileKey, List<ConfigError> errors) {
    if (data != null && !data.isBlank()) {
      try {
        return new String(Base64.getMimeDecoder().decode(data.strip()), StandardCharsets.ISO_8859_1);
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError(fileKey, what + "-data is not valid base64"));
        return null;
      }
    }
    if (file != null && !file.isBlank()) {
      Path resolved = dir.resolve(file).normalize();
      try {
        return Files.readString(resolved, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        errors.add(new ConfigError(fileKey, what + ": cannot read " + resolved + ": " + e));
        return null;
      }
    }
    return null;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "no contexts" : String.join(", ", names);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable YAML";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
