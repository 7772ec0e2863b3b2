package dev.kgate.sim.cluster;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A watch as the API server streams it (PROTOCOLS.md §6): 200 and headers flushed at once, then
 * one {@code {"type":…,"object":…}\n} per change, for as long as {@code timeoutSeconds} says (or
 * the server's own 30–60 minutes), ending cleanly. Without a resource version (or with "0") the
 * current objects come first as ADDED; with one, remembered changes after it are replayed.
 * BOOKMARKs are sent only when the client asked for them.
 */
final class WatchStream implements ResponseStream {

  private static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;

  private final ChannelHandlerContext ctx;
  private final SimContext sim;
  private final SimRequest request;
  private final ResourcePath path;
  private final Runnable done;
  private final boolean table;
  private final String includeObject;
  private final List<WatchEvent> pending = new ArrayList<>();
  private WatchHub.Subscription subscription;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> bookmarks;
  private boolean live;
  private boolean finished;
  private long lastResourceVersion;

  WatchStream(ChannelHandlerContext ctx, SimContext sim, SimRequest request, ResourcePath path, Runnable done) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.sim = Objects.requireNonNull(sim, "sim");
    this.request = Objects.requireNonNull(request, "request");
    this.path = Objects.requireNonNull(path, "path");
    this.done = Objects.requireNonNull(done, "done");
    this.table = TableConverter.wantsTable(request.header("Accept"));
    this.includeObject = request.param("includeObject");
  }

  @Override
  public void start() {
    ctx.writeAndFlush(Responses.streamHead(Responses.JSON));
    WatchFilter filter = WatchFilter.of(path, request.param("fieldSelector"), request.param("labelSelector"));
    String rv = request.param("resourceVersion");
    boolean initialEvents = rv == null || rv.isEmpty() || rv.equals("0") || request.flag("sendInitialEvents");
    long since = initialEvents ? -1 : parse(rv);
    lastResourceVersion = Math.max(0, since);
    live = !initialEvents;
    subscription = sim.hub.subscribe(filter, since, e -> ctx.executor().execute(() -> onEvent(e)));
    if (initialEvents) {
      sim.store.get(listUri(), path).whenComplete((r, error) -> ctx.executor().execute(() -> onList(r)));
    }
    deadline = ctx.executor().schedule(this::end, timeout().toMillis(), TimeUnit.MILLISECONDS);
    if (request.flag("allowWatchBookmarks")) {
      long every = sim.bookmarkInterval.toMillis();
      bookmarks = ctx.executor().scheduleAtFixedRate(this::bookmark, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private Duration timeout() {
    String seconds = request.param("timeoutSeconds");
    if (seconds != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(seconds)));
      } catch (NumberFormatException e) {
        // An unparsable value falls back to the server's own choice, as the API server does.
      }
    }
    long random = ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT_SECONDS);
    return Duration.ofSeconds(MIN_REQUEST_TIMEOUT_SECONDS + random);
  }

  private String listUri() {
    StringBuilder uri = new StringBuilder(path.collectionPath());
    char sep = '?';
    for (String name : List.of("labelSelector", "fieldSelector")) {
      String value = request.param(name);
      if (value == null && name.equals("fieldSelector") && path.name() != null) {
        value = "metadata.name=" + path.name();
      }
      if (value != null) {
        uri.append(sep).append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return uri.toString();
  }

  private void onList(BackendResponse response) {
    if (finished) {
      return;
    }
    JsonNode list = response == null ? null : Json.parseOrNull(response.body());
    if (list != null && response.isSuccess()) {
      lastResourceVersion = Math.max(lastResourceVersion, Json.resourceVersion(list));
      for (JsonNode item : list.path("items")) {
        write("ADDED", item);
      }
    }
    long listed = lastResourceVersion;
    live = true;
    for (WatchEvent e : pending) {
      if (e.resourceVersion() > listed) {
        onEvent(e);
      }
    }
    pending.clear();
    if (request.flag("sendInitialEvents") && request.flag("allowWatchBookmarks")) {
      ObjectNode end = bookmarkObject();
      ((ObjectNode) end.path("metadata")).putObject("annotations").put("k8s.io/initial-events-end", "true");
      writeRaw("BOOKMARK", end);
    }
    ctx.flush();
  }

  private void onEvent(WatchEvent event) {
    if (finished) {
      return;
    }
    if (!live) {
      pending.add(event);
      return;
    }
    lastResourceVersion = Math.max(lastResourceVersion, event.resourceVersion());
    write(event.type(), event.object());
    ctx.flush();
  }

  private void bookmark() {
    if (!finished && live) {
      writeRaw("BOOKMARK", bookmarkObject());
      ctx.flush();
    }
  }

  private ObjectNode bookmarkObject() {
    ObjectNode object = Json.object();
    sim.catalog.find(path.group(), path.version(), path.resource()).ifPresent(t -> {
      object.put("kind", t.kind());
      object.put("apiVersion", t.groupVersion());
    });
    object.putObject("metadata").put("resourceVersion", String.valueOf(lastResourceVersion));
    return object;
  }

  private void write(String type, JsonNode object) {
    lastResourceVersion = Math.max(lastResourceVersion, Json.resourceVersion(object));
    writeRaw(type, table ? sim.tables.convert(path.resource(), object, includeObject) : object);
  }

  private void writeRaw(String type, JsonNode object) {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", object);
    byte[] line = Json.bytes(event);
    byte[] framed = new byte[line.length + 1];
    System.arraycopy(line, 0, framed, 0, line.length);
    framed[line.length] = '\n';
    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(framed)));
  }

  private void end() {
    if (finished) {
      return;
    }
    stop();
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    done.run();
  }

  @Override
  public void channelClosed() {
    stop();
  }

  private void stop() {
    finished = true;
    if (subscription != null) {
      subscription.cancel();
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (bookmarks != null) {
      bookmarks.cancel(false);
    }
    pending.clear();
  }

  private static long parse(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
