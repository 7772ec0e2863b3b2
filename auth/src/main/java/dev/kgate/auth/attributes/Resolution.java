package dev.kgate.auth.attributes;

/**
 * What {@link RequestAttributesResolver#resolve} makes of a request: the attributes the Kubernetes
 * API server would authorize ({@link RequestAttributes.Resource} or
 * {@link RequestAttributes.NonResource}), or {@link Refused} when the request line could be read in
 * more than one way and the gateway will not guess which one the API server would pick.
 */
public sealed interface Resolution permits RequestAttributes, Refused {}
