package dev.kgate.cli.rbac;

import java.util.List;
import java.util.Objects;

/**
 * One difference between what a cluster's RBAC holds and what the policy wants, as {@link RbacSync}
 * found it and {@link RbacDiff} prints it.
 *
 * @param type    what is (or, in a dry run, would be) done
 * @param key     the object
 * @param details lines describing the object or what changes in it: rules, roleRef, subjects
 */
public record RbacChange(Type type, ObjectKey key, List<String> details) {

  public RbacChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    details = List.copyOf(details);
  }

  /** What happens to the object; the symbol starts its line in the diff. */
  public enum Type {
    CREATE('+'),
    UPDATE('~'),
    DELETE('-'),
    /** The object's name is taken by one kgate does not manage: it is left alone, and sync fails. */
    CONFLICT('!');

    private final char symbol;

    Type(char symbol) {
      this.symbol = symbol;
    }

    public char symbol() {
      return symbol;
    }
  }
}
