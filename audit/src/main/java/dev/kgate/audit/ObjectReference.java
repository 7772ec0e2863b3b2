package dev.kgate.audit;

/**
 * The object a request is about, as in the Kubernetes audit {@code objectRef}. Every field may be
 * null: a discovery call has none, a list has no name, a cluster-scoped object has no namespace.
 */
public record ObjectReference(
    String resource,
    String namespace,
    String name,
    String apiGroup,
    String apiVersion,
    String subresource) {

  /** {@code resource} or {@code resource/subresource}, the way policy rules name it. */
  public String qualifiedResource() {
    if (resource == null) {
      return null;
    }
    return subresource == null ? resource : resource + "/" + subresource;
  }
}
