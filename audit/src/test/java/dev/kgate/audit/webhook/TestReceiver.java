package dev.kgate.audit.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kgate.audit.AuditEventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * A webhook receiver on a local port, as Falco or Fluent Bit would be: records every POST and
 * answers what the test tells it to. It can be stopped (connections are then refused) and
 * started again on the same port.
 */
final class TestReceiver implements AutoCloseable {

  static final String PATH = "/k8s-audit";

  /** One POST as received, with the status it was answered with. */
  record Post(long atNanos, String authorization, String contentType, byte[] body, int status) {

    JsonNode json() {
      return AuditEventJson.MAPPER.readTree(body);
    }

    /** The {@code auditID/stage} of every item, in order. */
    List<String> keys() {
      List<String> keys = new ArrayList<>();
      for (JsonNode item : json().path("items").values()) {
        keys.add(item.path("auditID").stringValue() + "/" + item.path("stage").stringValue());
      }
      return keys;
    }

    boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  /** What the answer may depend on. */
  record Request(String authorization, byte[] body) {
    boolean contains(String text) {
      return new String(body, StandardCharsets.UTF_8).contains(text);
    }
  }

  /** What to answer. */
  record Answer(int status, Map<String, String> headers, String body) {
    static Answer status(int status) {
      return new Answer(status, Map.of(), "");
    }
  }

  private final SSLContext tls;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> answer = request -> Answer.status(200);
  private HttpServer server;
  private int port;

  private TestReceiver(SSLContext tls) {
    this.tls = tls;
  }

  static TestReceiver http() {
    TestReceiver receiver = new TestReceiver(null);
    receiver.start();
    return receiver;
  }

  static TestReceiver https(SSLContext serverContext) {
    TestReceiver receiver = new TestReceiver(serverContext);
    receiver.start();
    return receiver;
  }

  /** Starts listening, on the same port as before if it was started already. */
  synchronized void start() {
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      if (tls == null) {
        server = HttpServer.create(address, 0);
      } else {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
      server.createContext(PATH, this::handle);
      server.start();
      port = server.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops listening and closes open connections: the sink's next attempt is refused. */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Answers every later POST with what {@code answer} returns for it. */
  void answer(Function<Request, Answer> answer) {
    this.answer = answer;
  }

  void answerAll(int status) {
    answer(request -> Answer.status(status));
  }

  URI url(String host) {
    return URI.create((tls == null ? "http" : "https") + "://" + host + ":" + port + PATH);
  }

  URI url() {
    return url("127.0.0.1");
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  /** Keys of every event in an accepted POST, in arrival order, duplicates included. */
  List<String> deliveredKeys() {
    List<String> keys = new ArrayList<>();
    for (Post post : posts) {
      if (post.accepted()) {
        keys.addAll(post.keys());
      }
    }
    return keys;
  }

  /** Keys of delivered events, each once, in the order they first arrived. */
  List<String> uniqueDeliveredKeys() {
    Set<String> unique = new LinkedHashSet<>(deliveredKeys());
    return List.copyOf(unique);
  }

  long refusedPosts() {
    return posts.stream().filter(post -> !post.accepted()).count();
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Answer reply = answer.apply(new Request(authorization, body));
      posts.add(new Post(System.nanoTime(), authorization,
          exchange.getRequestHeaders().getFirst("Content-Type"), body, reply.status()));
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] text = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), text.length == 0 ? -1 : text.length);
      if (text.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(text);
        }
      }
    }
  }
}
