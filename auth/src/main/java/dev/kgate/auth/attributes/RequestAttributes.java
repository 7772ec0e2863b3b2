package dev.kgate.auth.attributes;

import java.util.Objects;

/**
 * The authorization attributes of one request, as the Kubernetes API server derives them in
 * {@code requestinfo.go}: a verb on a (sub)resource in a namespace, or a verb on a non-resource
 * URL. Absent parts are empty strings, never null, as in the API server (an empty namespace means
 * cluster-wide: a cluster-scoped resource, or a collection across all namespaces).
 */
public sealed interface RequestAttributes extends Resolution
    permits RequestAttributes.Resource, RequestAttributes.NonResource {

  /** The Kubernetes verb: {@code get, list, watch, create, …} or a lowercase HTTP method. */
  String verb();

  /**
   * A request for an API resource.
   *
   * @param verb        get, list, watch, create, update, patch, delete or deletecollection
   * @param apiGroup    the API group, empty for the core group
   * @param apiVersion  the version, e.g. {@code v1}
   * @param resource    the resource (plural, as in the path), e.g. {@code pods}
   * @param subresource e.g. {@code exec}, {@code status}; empty when none
   * @param namespace   the namespace; empty for cluster-wide requests
   * @param name        the object's name; empty for collections and creates
   */
  record Resource(
      String verb,
      String apiGroup,
      String apiVersion,
      String resource,
      String subresource,
      String namespace,
      String name)
      implements RequestAttributes {

    public Resource {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(apiGroup, "apiGroup");
      Objects.requireNonNull(apiVersion, "apiVersion");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(subresource, "subresource");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }

    /** {@code resource} or {@code resource/subresource}, the form RBAC rules name. */
    public String combinedResource() {
      return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
  }

  /**
   * A request for a URL that is not an API resource ({@code /version}, {@code /api}, {@code /healthz}).
   *
   * @param verb the lowercase HTTP method
   * @param path the percent-decoded path, trailing slash kept (RBAC tells {@code /version} and
   *             {@code /version/} apart)
   */
  record NonResource(String verb, String path) implements RequestAttributes {

    public NonResource {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(path, "path");
    }
  }
}
