package dev.kgate.auth.oidc;

import dev.kgate.auth.AuthFailure;
import java.util.Objects;
import java.util.function.Function;

/** A step's outcome inside token verification: a value to go on with, or the failure that ends it. */
sealed interface Checked<T> permits Checked.Ok, Checked.Failed {

  static <T> Checked<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Checked<T> failed(AuthFailure failure) {
    return new Failed<>(failure);
  }

  /** The next step, run only when this one succeeded; a failure passes through unchanged. */
  <U> Checked<U> then(Function<? super T, Checked<U>> next);

  record Ok<T>(T value) implements Checked<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public <U> Checked<U> then(Function<? super T, Checked<U>> next) {
      return next.apply(value);
    }
  }

  record Failed<T>(AuthFailure failure) implements Checked<T> {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }

    @Override
    public <U> Checked<U> then(Function<? super T, Checked<U>> next) {
      return new Failed<>(failure);
    }
  }
}
