package dev.kgate.auth.attributes;

import java.util.List;

/**
 * The verbs a request can resolve to. Resource requests get one of {@link #RESOURCE_VERBS};
 * non-resource requests get their lowercase HTTP method, one of {@link #NON_RESOURCE_VERBS}.
 */
public final class Verbs {

  public static final String GET = "get";
  public static final String LIST = "list";
  public static final String WATCH = "watch";
  public static final String CREATE = "create";
  public static final String UPDATE = "update";
  public static final String PATCH = "patch";
  public static final String DELETE = "delete";
  public static final String DELETECOLLECTION = "deletecollection";

  /** In the order RBAC documentation lists them. */
  public static final List<String> RESOURCE_VERBS =
      List.of(GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE, DELETECOLLECTION);

  /** Lowercase HTTP methods the resolver accepts for non-resource URLs. */
  public static final List<String> NON_RESOURCE_VERBS =
      List.of("get", "head", "post", "put", "patch", "delete", "options");

  private Verbs() {}
}
