package dev.kgate.sim.cluster;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET …/pods/{pod}/log}: deterministic lines {@code <pod>/<container> line N}, honouring
 * {@code container}, {@code tailLines} and {@code timestamps}. With {@code follow=true} the answer
 * streams a new line every log interval until the client goes away, as a container that keeps
 * logging would. Unknown pods get a 404 Status, ambiguous or unknown containers a 400 Status,
 * with the API server's wording.
 */
final class LogStream implements ResponseStream {

  /** Lines a container "has logged" before anyone asks. */
  static final int EXISTING_LINES = 10;

  private final ChannelHandlerContext ctx;
  private final SimContext sim;
  private final SimRequest request;
  private final ResourcePath path;
  private final Runnable done;
  private ScheduledFuture<?> ticker;
  private boolean finished;
  private String prefix;
  private int nextLine;

  LogStream(ChannelHandlerContext ctx, SimContext sim, SimRequest request, ResourcePath path, Runnable done) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.sim = Objects.requireNonNull(sim, "sim");
    this.request = Objects.requireNonNull(request, "request");
    this.path = Objects.requireNonNull(path, "path");
    this.done = Objects.requireNonNull(done, "done");
  }

  @Override
  public void start() {
    sim.store.get(path.objectPath(), path).whenComplete((r, error) -> ctx.executor().execute(() -> onPod(r)));
  }

  private void onPod(BackendResponse response) {
    if (finished) {
      return;
    }
    JsonNode pod = response == null ? null : Json.parseOrNull(response.body());
    if (response == null || !response.isSuccess() || pod == null) {
      fail(404, KubeStatus.notFound("", "pods", path.name()));
      return;
    }
    List<String> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> containers.add(Json.text(c, "name")));
    String container = request.param("container");
    if (container == null || container.isEmpty()) {
      if (containers.size() != 1) {
        fail(400, KubeStatus.badRequest("a container name must be specified for pod " + path.name()
            + ", choose one of: " + containers.toString().replace(",", "")));
        return;
      }
      container = containers.get(0);
    } else if (!containers.contains(container)) {
      fail(400, KubeStatus.badRequest("container " + container + " is not valid for pod " + path.name()));
      return;
    }
    prefix = path.name() + "/" + container + " line ";
    int first = 1;
    String tail = request.param("tailLines");
    if (tail != null) {
      try {
        first = Math.max(1, EXISTING_LINES - Integer.parseInt(tail) + 1);
      } catch (NumberFormatException e) {
        fail(400, KubeStatus.badRequest("invalid tailLines: " + tail));
        return;
      }
    }
    StringBuilder existing = new StringBuilder();
    for (int n = first; n <= EXISTING_LINES; n++) {
      existing.append(line(n));
    }
    nextLine = EXISTING_LINES + 1;
    if (!request.flag("follow")) {
      finished = true;
      Responses.full(ctx, request.keepAlive(), 200, "text/plain", existing.toString().getBytes(StandardCharsets.UTF_8));
      done.run();
      return;
    }
    ctx.write(Responses.streamHead("text/plain"));
    writeText(existing.toString());
    long every = sim.logInterval.toMillis();
    ticker = ctx.executor().scheduleAtFixedRate(() -> {
      if (!finished) {
        writeText(line(nextLine++));
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  private String line(int n) {
    String text = prefix + n + "\n";
    if (request.flag("timestamps")) {
      return DateTimeFormatter.ISO_INSTANT.format(sim.clock.instant()) + " " + text;
    }
    return text;
  }

  private void writeText(String text) {
    if (text.isEmpty()) {
      ctx.flush();
      return;
    }
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
  }

  private void fail(int code, tools.jackson.databind.node.ObjectNode status) {
    finished = true;
    Responses.json(ctx, request.keepAlive(), code, status);
    done.run();
  }

  @Override
  public void channelClosed() {
    finished = true;
    if (ticker != null) {
      ticker.cancel(false);
    }
  }
}
