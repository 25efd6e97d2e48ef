import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Starts DynamoDB Local bound to one host (127.0.0.1) instead of every interface.
 *
 * DynamoDBLocal.jar has no host option: its DynamoDBProxyServer builds a Jetty {@code new Server(port)},
 * whose connector listens on all interfaces. This launcher builds the server the way the jar's own
 * ServerRunner does, sets the host on Jetty's connectors before start, and starts it. Reflection only, so
 * the file compiles against java.base alone (the source launcher compiles it at start-up: {@code java
 * -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java <DynamoDBLocal arguments>}).
 * The host is the system property {@code aftercare.host} (default 127.0.0.1).
 */
public final class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("aftercare.host", "127.0.0.1");
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field serverField = proxy.getClass().getDeclaredField("server");
    serverField.setAccessible(true);
    Object server = serverField.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local built no Jetty connector");
    for (Object connector : connectors) {
      Method setHost = connector.getClass().getMethod("setHost", String.class);
      setHost.invoke(connector, host);
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    System.out.println("DynamoDB Local listening on " + host);
  }
}
